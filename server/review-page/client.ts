// The review page's script (served bundled at /review/review.js; see server/review-page.ts).
// One report at a time: the answer with its marks, then one vote per mark — agree,
// disagree, not sure — with an optional better wording. Keyboard: the page language's own
// vote keys (review_keyAgree…: A/D/U in English, Z/A/U in German, 1/2/3 where initials would
// not fit) or 1/2/3 in every language vote on the highlighted mark and move on, J/K move
// between marks, Enter sends once every mark has a vote. The receiver's error texts are
// English (they are the protocol's); the page says what each status means in the page's
// language instead. Report text is only ever set as text (textContent), never parsed as markup.
import { localeDisplayName } from '../../lib/locale';
import type { UploadedReport } from '../../lib/report';
import type { Vote } from '../../lib/review';
import { formatMessage } from '../../lib/ui/i18n';

interface PageData {
  drive: string;
  name: string;
  /** The page's language (BCP 47), as the server picked it from Accept-Language. */
  lang: string;
  /** review_*, category_*, severity_* messages and localeWithCode in chrome.i18n's format (placeholders applied here). */
  messages: Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
}

interface NextResponse {
  report: UploadedReport;
  drive: { id: string; name: string; min_votes: number };
  remaining: number;
}

const VOTE_ORDER: Vote[] = ['agree', 'disagree', 'unsure'];

const data = JSON.parse(document.getElementById('review-data')!.textContent!) as PageData;
const numbers = new Intl.NumberFormat(data.lang);
/** A review_* message with chrome.i18n's placeholder rules; a missing one shows as its key. */
const t = (key: string, ...substitutions: string[]) => {
  const entry = data.messages[`review_${key}`];
  return entry ? formatMessage(entry, substitutions) : key;
};
/** A locale by name in the page's language (Intl.DisplayNames), its code kept beside it and isolated from the sentence's direction. */
const localeWithCode = (tag: string) => {
  const entry = data.messages.localeWithCode;
  const name = localeDisplayName(tag, data.lang);
  const code = `\u2068${tag}\u2069`;
  return entry ? formatMessage(entry, [name, code]) : `${name} (${code})`;
};
const label = (kind: 'category' | 'severity', code: string) => data.messages[`${kind}_${code}`]?.message ?? code.replace(/_/g, ' ');
const capitalized = (vote: Vote) => `${vote[0]!.toUpperCase()}${vote.slice(1)}`;
/** The key shown beside each vote, in the page's language (a letter, or a digit where initials would not fit). */
const voteKey = (vote: Vote) => t(`key${capitalized(vote)}`);
/** The page language's vote keys; the digit keys 1/2/3 (top row or keypad, any layout) always work too. */
const VOTE_KEYS = new Map<string, Vote>(VOTE_ORDER.map((vote) => [voteKey(vote).toLowerCase(), vote]));
function voteOf(event: KeyboardEvent): Vote | undefined {
  const digit = /^(?:Digit|Numpad)([1-3])$/.exec(event.code)?.[1];
  if (digit) return VOTE_ORDER[Number(digit) - 1];
  return VOTE_KEYS.get(event.key.toLowerCase());
}
const app = document.getElementById('review-app')!;
const tokenKey = `sounds-local-review-token:${data.drive}`;
const contributorKey = `sounds-local-review-contributor:${data.drive}`;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const child of children) node.append(child);
  return node;
}

/** The keyboard shortcuts of the report on screen; dropped whenever the screen changes. */
let keyHandler: ((event: KeyboardEvent) => void) | undefined;

function show(...nodes: Node[]) {
  if (keyHandler) document.removeEventListener('keydown', keyHandler);
  keyHandler = undefined;
  app.replaceChildren(...nodes);
}

function status(text: string, kind: 'info' | 'error' = 'info') {
  return el('p', { class: kind === 'error' ? 'review-error' : 'review-status', role: kind === 'error' ? 'alert' : 'status' }, text);
}

// ── Token ──────────────────────────────────────────────────────────────────────────────

function tokenForm(error?: string) {
  const token = el('input', { id: 'review-token', type: 'password', autocomplete: 'off', required: '', 'aria-describedby': 'review-token-help' });
  const contributor = el('input', {
    id: 'review-contributor',
    type: 'text',
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-describedby': 'review-contributor-help',
  });
  contributor.value = sessionStorage.getItem(contributorKey) ?? '';
  const form = el(
    'form',
    { class: 'review-token-form' },
    el(
      'div',
      { class: 'field' },
      el('label', { for: 'review-token' }, t('tokenLabel')),
      token,
      el('p', { id: 'review-token-help', class: 'field-help' }, t('tokenHelp')),
    ),
    el(
      'div',
      { class: 'field' },
      el('label', { for: 'review-contributor' }, t('contributorLabel')),
      contributor,
      el('p', { id: 'review-contributor-help', class: 'field-help' }, t('contributorHelp')),
    ),
    el('button', { type: 'submit', class: 'primary' }, t('start')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!token.value.trim()) return;
    sessionStorage.setItem(tokenKey, token.value.trim());
    if (contributor.value.trim()) sessionStorage.setItem(contributorKey, contributor.value.trim());
    else sessionStorage.removeItem(contributorKey);
    void next();
  });
  show(...(error ? [status(error, 'error')] : []), form);
  token.focus();
}

function authHeaders(): Record<string, string> {
  return { Authorization: `Bearer ${sessionStorage.getItem(tokenKey) ?? ''}` };
}

// ── One report ─────────────────────────────────────────────────────────────────────────

async function next(notice?: string) {
  show(status(t('loading')));
  const params = new URLSearchParams({ drive: data.drive });
  const contributor = sessionStorage.getItem(contributorKey);
  if (contributor) params.set('contributor', contributor);
  let response: Response;
  try {
    response = await fetch(`/v1/review/next?${params}`, { headers: authHeaders(), cache: 'no-store' });
  } catch {
    return show(status(t('errorGeneric'), 'error'), retryButton());
  }
  if (response.status === 401) {
    sessionStorage.removeItem(tokenKey);
    return tokenForm(t('errorToken'));
  }
  if (response.status === 204)
    return show(...(notice ? [status(notice)] : []), el('p', { class: 'review-done', role: 'status' }, t('done')), changeTokenButton());
  // 400 here is the contributor id (the drive's id was good enough to serve this page).
  if (response.status === 400 && contributor) {
    sessionStorage.removeItem(contributorKey);
    return tokenForm(t('errorContributor'));
  }
  if (response.status === 404) return show(status(t('errorNoDrive'), 'error'));
  // 503: the report picked was withdrawn a moment ago; ask again, once, before saying so.
  if (response.status === 503 && !notice) return next(t('errorWithdrawn'));
  if (!response.ok) return show(...(await problem(response)), retryButton());
  render((await response.json()) as NextResponse, notice);
}

/**
 * What a refusal means, in the page's language, with the receiver's own (English, protocol)
 * words folded away beneath for whoever needs to report it.
 */
async function problem(response: Response, during: 'next' | 'votes' = 'next'): Promise<Node[]> {
  let original = '';
  try {
    original = ((await response.json()) as { error?: string }).error ?? '';
  } catch {
    // not JSON: no original words to show
  }
  const code = numbers.format(response.status);
  const text =
    response.status === 429 || response.status === 503
      ? t('errorBusy')
      : response.status >= 500
        ? t('errorServer', code)
        : during === 'votes'
          ? t('errorVotesRefused', code)
          : t('errorRefused', code);
  const nodes: Node[] = [status(text, 'error')];
  // <bdi>: English, left to right, while its paragraph stays aligned with the page.
  if (original)
    nodes.push(
      el('details', { class: 'review-original' }, el('summary', {}, t('errorOriginal')), el('p', {}, el('bdi', { lang: 'en' }, original.slice(0, 500)))),
    );
  return nodes;
}

function retryButton() {
  const button = el('button', { type: 'button' }, t('start'));
  button.addEventListener('click', () => void next());
  return button;
}

function changeTokenButton() {
  const button = el('button', { type: 'button', class: 'link' }, t('changeToken'));
  button.addEventListener('click', () => {
    sessionStorage.removeItem(tokenKey);
    tokenForm();
  });
  return button;
}

/** The answer as text nodes with each (non-overlapping) mark in a <mark>, numbered. */
function answerWithMarks(report: UploadedReport, order: string[]): HTMLElement {
  const box = el('div', { class: 'review-answer', lang: report.expected_locale, dir: 'auto' });
  const marks = [...report.highlights].sort((a, b) => a.start - b.start || b.end - a.end);
  let at = 0;
  for (const h of marks) {
    if (h.start < at) continue; // an overlapping mark is still listed and voted on below
    box.append(report.answer.slice(at, h.start));
    const n = order.indexOf(h.id) + 1;
    box.append(
      el(
        'mark',
        { class: `mark sev-${h.severity}`, id: `answer-mark-${n}`, title: t('markNumber', numbers.format(n)) },
        report.answer.slice(h.start, h.end),
        el('sup', { 'aria-hidden': 'true' }, numbers.format(n)),
      ),
    );
    at = h.end;
  }
  box.append(report.answer.slice(at));
  return box;
}

function render(shown: NextResponse, notice?: string) {
  const { report } = shown;
  const marks = [...report.highlights].sort((a, b) => a.start - b.start);
  const order = marks.map((h) => h.id);
  const votes = new Map<string, Vote>();
  const wordings = new Map<string, HTMLInputElement>();
  const sections: HTMLElement[] = [];
  let current = 0;

  const message = el('div', { class: 'review-problem', hidden: '' });
  const say = (...nodes: Node[]) => {
    message.replaceChildren(...nodes);
    message.hidden = false;
  };
  const send = el('button', { type: 'submit', class: 'primary' }, t('submit'));

  const setCurrent = (i: number, focus = false) => {
    current = Math.max(0, Math.min(marks.length - 1, i));
    sections.forEach((s, k) => s.classList.toggle('current', k === current));
    if (focus) sections[current]?.querySelector<HTMLInputElement>('input[type=radio]:checked, input[type=radio]')?.focus();
    sections[current]?.scrollIntoView({ block: 'nearest' });
  };

  marks.forEach((h, i) => {
    const radios = VOTE_ORDER.map((vote) => {
      const id = `vote-${i}-${vote}`;
      const input = el('input', { type: 'radio', name: `vote-${i}`, id, value: vote });
      input.addEventListener('change', () => {
        votes.set(h.id, vote);
        message.hidden = true;
      });
      return el(
        'label',
        { for: id, class: `vote vote-${vote}` },
        input,
        ` ${t(`vote${capitalized(vote)}`)} `,
        el('kbd', { 'aria-hidden': 'true' }, voteKey(vote).toUpperCase()),
      );
    });
    const wording = el('input', { type: 'text', id: `wording-${i}`, maxlength: '500', lang: report.expected_locale, dir: 'auto' });
    wordings.set(h.id, wording);
    const details = el(
      'dl',
      { class: 'review-facts' },
      el('dt', {}, t('markedPhrase')),
      // <bdi>, not dir=auto on the <dd>: the phrase keeps its own direction while the row stays aligned with the page's.
      el('dd', { lang: report.expected_locale }, el('bdi', {}, h.exact)),
      el('dt', {}, t('suggestion')),
      el('dd', { lang: report.expected_locale }, el('bdi', {}, h.suggestion || '—')),
      el('dt', {}, t('category')),
      el('dd', {}, label('category', h.category)),
      el('dt', {}, t('severity')),
      el('dd', {}, label('severity', h.severity)),
      ...(h.note ? [el('dt', {}, t('note')), el('dd', {}, el('bdi', {}, h.note))] : []),
    );
    const section = el(
      'section',
      { class: 'review-mark', 'aria-labelledby': `mark-heading-${i}` },
      el('h3', { id: `mark-heading-${i}` }, t('markNumber', numbers.format(i + 1))),
      details,
      el('fieldset', { class: 'votes' }, el('legend', {}, t('voteLegend')), ...radios),
      el('div', { class: 'field' }, el('label', { for: `wording-${i}` }, t('betterWording')), wording),
    );
    section.addEventListener('focusin', () => setCurrent(i));
    sections.push(section);
  });

  const form = el('form', { class: 'review-form', 'aria-label': t('voteLegend') }, ...sections, message, send);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void submit();
  });

  async function submit() {
    if (votes.size < marks.length) {
      say(status(t('voteAll'), 'error'));
      setCurrent(
        marks.findIndex((h) => !votes.has(h.id)),
        true,
      );
      return;
    }
    send.disabled = true;
    const body = {
      report_id: report.id,
      votes: marks.map((h) => {
        const wording = wordings.get(h.id)!.value.trim();
        return { highlight_id: h.id, vote: votes.get(h.id)!, ...(wording ? { suggestion: wording } : {}) };
      }),
    };
    try {
      const response = await fetch('/v1/review/votes', {
        method: 'POST',
        headers: { ...authHeaders(), 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (response.status === 401) return tokenForm(t('errorToken'));
      // The report was withdrawn by its author while on screen: nothing to vote on any more.
      if (response.status === 404) return next(t('errorWithdrawn'));
      // One of the reviewer's own reports (the receiver learnt the contributor id meanwhile): skip it.
      if (response.status === 403) return next(t('errorOwnReport'));
      if (!response.ok) {
        say(...(await problem(response, 'votes')));
        send.disabled = false;
        return;
      }
      await next();
    } catch {
      say(status(t('errorGeneric'), 'error'));
      send.disabled = false;
    }
  }

  function onKey(event: KeyboardEvent) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target as HTMLElement | null;
    const typing = target?.tagName === 'INPUT' && (target as HTMLInputElement).type === 'text';
    if (typing) return;
    const key = event.key.toLowerCase();
    const vote = voteOf(event);
    if (vote) {
      event.preventDefault();
      const input = sections[current]!.querySelector<HTMLInputElement>(`input[value=${vote}]`)!;
      input.checked = true;
      input.dispatchEvent(new Event('change'));
      setCurrent(current + 1 < marks.length ? current + 1 : current, true);
      return;
    }
    // J/K by the letter, or by the key's place where the layout has no Latin letters.
    const move = key === 'j' || key === 'k' ? key : /^[a-z]$/.test(key) ? undefined : { KeyJ: 'j', KeyK: 'k' }[event.code];
    if (move) {
      event.preventDefault();
      setCurrent(current + (move === 'j' ? 1 : -1), true);
      return;
    }
    if (key === 'enter' && target?.tagName !== 'BUTTON') {
      event.preventDefault();
      void submit();
    }
  }
  const facts = el(
    'dl',
    { class: 'review-facts review-report-facts' },
    el('dt', {}, t('expected')),
    el('dd', {}, localeWithCode(report.expected_locale)),
    el('dt', {}, t('remaining')),
    el('dd', { id: 'review-remaining' }, numbers.format(shown.remaining)),
  );
  show(
    ...(notice ? [status(notice)] : []),
    el(
      'article',
      { class: 'review-report', 'aria-labelledby': 'review-answer-heading', 'data-report-id': report.id },
      facts,
      el('h2', { id: 'review-answer-heading' }, t('answer')),
      answerWithMarks(report, order),
      ...(report.comment ? [el('h3', {}, t('comment')), el('p', { class: 'review-comment', dir: 'auto' }, report.comment)] : []),
      el('p', { class: 'hint review-shortcuts' }, t('shortcuts')),
      form,
    ),
    changeTokenButton(),
  );
  keyHandler = onKey;
  document.addEventListener('keydown', onKey);
  setCurrent(0);
}

if (sessionStorage.getItem(tokenKey)) void next();
else tokenForm();
