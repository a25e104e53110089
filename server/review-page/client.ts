// The review page's script (served bundled at /review/review.js; see server/review-page.ts).
// One report at a time: the answer with its marks, then one vote per mark — agree,
// disagree, not sure — with an optional better wording. Keyboard: A/D/U or 1/2/3 vote on the
// highlighted mark and move on, J/K move between marks, Enter sends once every mark has a
// vote. Report text is only ever set as text (textContent), never parsed as markup.
import type { UploadedReport } from '../../lib/report';
import type { Vote } from '../../lib/review';
import { formatMessage } from '../../lib/ui/i18n';

interface PageData {
  drive: string;
  name: string;
  /** The page's language (BCP 47), as the server picked it from Accept-Language. */
  lang: string;
  /** review_*, category_*, severity_* messages in chrome.i18n's format (placeholders applied here). */
  messages: Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
}

interface NextResponse {
  report: UploadedReport;
  drive: { id: string; name: string; min_votes: number };
  remaining: number;
}

const VOTE_KEYS: Record<string, Vote> = { a: 'agree', '1': 'agree', d: 'disagree', '2': 'disagree', u: 'unsure', '3': 'unsure' };
const VOTE_ORDER: Vote[] = ['agree', 'disagree', 'unsure'];

const data = JSON.parse(document.getElementById('review-data')!.textContent!) as PageData;
const numbers = new Intl.NumberFormat(data.lang);
/** A review_* message with chrome.i18n's placeholder rules; a missing one shows as its key. */
const t = (key: string, ...substitutions: string[]) => {
  const entry = data.messages[`review_${key}`];
  return entry ? formatMessage(entry, substitutions) : key;
};
const label = (kind: 'category' | 'severity', code: string) => data.messages[`${kind}_${code}`]?.message ?? code.replace(/_/g, ' ');
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
  if (!response.ok) return show(status(await errorText(response), 'error'), retryButton());
  render((await response.json()) as NextResponse, notice);
}

async function errorText(response: Response) {
  try {
    const body = (await response.json()) as { error?: string };
    return body.error ?? t('errorGeneric');
  } catch {
    return t('errorGeneric');
  }
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

  const message = el('p', { class: 'review-error', role: 'alert', hidden: '' });
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
      const key = vote === 'agree' ? 'A' : vote === 'disagree' ? 'D' : 'U';
      return el(
        'label',
        { for: id, class: `vote vote-${vote}` },
        input,
        ` ${t(`vote${vote[0]!.toUpperCase()}${vote.slice(1)}`)} `,
        el('kbd', { 'aria-hidden': 'true' }, key),
      );
    });
    const wording = el('input', { type: 'text', id: `wording-${i}`, maxlength: '500', lang: report.expected_locale, dir: 'auto' });
    wordings.set(h.id, wording);
    const details = el(
      'dl',
      { class: 'review-facts' },
      el('dt', {}, t('markedPhrase')),
      el('dd', { lang: report.expected_locale, dir: 'auto' }, h.exact),
      el('dt', {}, t('suggestion')),
      el('dd', { lang: report.expected_locale, dir: 'auto' }, h.suggestion || '—'),
      el('dt', {}, t('category')),
      el('dd', {}, label('category', h.category)),
      el('dt', {}, t('severity')),
      el('dd', {}, label('severity', h.severity)),
      ...(h.note ? [el('dt', {}, t('note')), el('dd', { dir: 'auto' }, h.note)] : []),
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
      message.textContent = t('voteAll');
      message.hidden = false;
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
      if (!response.ok) throw new Error(await errorText(response));
      await next();
    } catch (error) {
      message.textContent = error instanceof Error && error.message ? error.message : t('errorGeneric');
      message.hidden = false;
      send.disabled = false;
    }
  }

  function onKey(event: KeyboardEvent) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target as HTMLElement | null;
    const typing = target?.tagName === 'INPUT' && (target as HTMLInputElement).type === 'text';
    if (typing) return;
    const key = event.key.toLowerCase();
    const vote = VOTE_KEYS[key];
    if (vote) {
      event.preventDefault();
      const input = sections[current]!.querySelector<HTMLInputElement>(`input[value=${vote}]`)!;
      input.checked = true;
      input.dispatchEvent(new Event('change'));
      setCurrent(current + 1 < marks.length ? current + 1 : current, true);
      return;
    }
    if (key === 'j' || key === 'k') {
      event.preventDefault();
      setCurrent(current + (key === 'j' ? 1 : -1), true);
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
    el('dd', {}, report.expected_locale),
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
