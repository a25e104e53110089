// The upload review (DESIGN §8): exactly what will be sent, per report, to which endpoint;
// each redaction as a chip the user can undo; consent the first time an endpoint is used;
// then Upload, which asks for the endpoint's host permission from the click itself, queues
// the reports, and follows the background's progress until every report is settled.
import type { ComponentChildren, Ref } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Report, UploadedReport } from '@/lib/report';
import type { ReportRedaction } from '@/lib/redact';
import type { UploadGroup, UploadReview as Review, UploadReviewItem } from '@/lib/ui/api';
import {
  outgoingSegments,
  outgoingWithUndone,
  redactionSpans,
  requestEndpointPermission,
  requestUploadPermission,
  shortOriginal,
  undoKey,
} from '@/lib/ui/upload';
import { firstLine, siteName } from '@/lib/ui/format';
import { localeDisplayName } from '@/lib/locale';
import { dynamicKey, t, tp, uiLanguage } from '@/lib/ui/i18n';
import type { ProblemMessage } from '@/lib/background/uploads';
import { useServices } from './services';
import { categoryLabel, severityLabel } from './MarkForm';
import { RetryNotice, UploadProgressBar, useUploadStatus } from './UploadStatus';

type Phase =
  | { name: 'review' }
  /** The browser's permission prompt is open. */
  | { name: 'permission' }
  | { name: 'starting' }
  | { name: 'sending'; reportIds: string[]; queued: number; updates: number; skipped: Array<{ id: string; reason: string }> };

export function UploadReview(props: { onBack: () => void; onChanged: () => void }) {
  const { api, openOptions } = useServices();
  const [review, setReview] = useState<Review | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [undone, setUndone] = useState<ReadonlySet<string>>(new Set());
  /** Reports the user left out of this upload (they stay ready). */
  const [excluded, setExcluded] = useState<ReadonlySet<string>>(new Set());
  const [stored, setStored] = useState<ReadonlyMap<string, Report>>(new Map());
  const [consent, setConsent] = useState(false);
  const [consentError, setConsentError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [phase, setPhase] = useState<Phase>({ name: 'review' });
  const consentRef = useRef<HTMLInputElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  const load = () => api.uploadReview().then(setReview, (e: unknown) => setLoadError((e as Error).message));
  useEffect(() => {
    void load();
  }, []);

  useLayoutEffect(() => {
    // A screen-reader user hears where they are; the keyboard starts at the top of the view.
    headingRef.current?.focus();
  }, [review !== null, phase.name === 'sending']);

  async function toggleRedaction(item: UploadReviewItem, redaction: ReportRedaction) {
    setError(null);
    try {
      // The stored report is what the background redacts when queuing: recompute from it.
      if (!stored.has(item.id)) {
        const report = await api.getReport(item.id);
        setStored((map) => new Map(map).set(item.id, report));
      }
      const key = undoKey(item.id, redaction.id);
      setUndone((set) => {
        const next = new Set(set);
        if (next.has(key)) next.delete(key);
        else next.add(key);
        return next;
      });
    } catch (e) {
      setError((e as Error).message);
    }
  }

  const sendable = (review?.groups ?? []).filter((g) => !g.problem && g.endpoint && g.permission_pattern);
  const included = (g: UploadGroup) => g.reports.filter((r) => !excluded.has(r.id));
  const toSend = sendable.filter((g) => included(g).length > 0);
  const count = toSend.reduce((n, g) => n + included(g).length, 0);
  const unconsented = toSend.find((g) => !g.consented);

  function onUpload() {
    if (!review || phase.name !== 'review' || count === 0) return;
    if (unconsented && !consent) {
      setConsentError(t('uploadConsentRequired', unconsented.endpoint ?? ''));
      consentRef.current?.focus();
      return;
    }
    setError(null);
    const hosts = [...new Set(toSend.map((g) => new URL(g.endpoint!).host))].join(', ');
    const reportIds = toSend.flatMap((g) => included(g).map((r) => r.id));
    const ids = new Set(reportIds);
    const undoneKeys = [...undone].filter((key) => ids.has(key.slice(0, key.indexOf('/'))));
    // No await before this line: the prompt only opens inside the click's user gesture.
    const asked = requestUploadPermission([...new Set(toSend.map((g) => g.permission_pattern!))]);
    setPhase({ name: 'permission' });
    asked.then(
      async (permission) => {
        if (permission !== 'granted') {
          setPhase({ name: 'review' });
          setError(permission === 'data-refused' ? t('uploadDataCollectionRefused') : t('uploadPermissionRefused', hosts));
          return;
        }
        setPhase({ name: 'starting' });
        try {
          const started = await api.startUpload({ reportIds, undone: undoneKeys, consent: !unconsented || consent });
          setPhase({ name: 'sending', reportIds, ...started });
          props.onChanged();
        } catch (e) {
          setPhase({ name: 'review' });
          setError((e as Error).message);
        }
      },
      (e: unknown) => {
        setPhase({ name: 'review' });
        setError(t('uploadPermissionFailed', [hosts, (e as Error)?.message ?? String(e)]));
      },
    );
  }

  /** Agree to a drive's changed manifest; a new endpoint's permission is asked from this click. */
  function onReconsent(group: UploadGroup) {
    const pending = group.drive?.pending;
    if (!pending) return;
    setError(null);
    const asked = pending.permission_pattern ? requestEndpointPermission([pending.permission_pattern]) : Promise.resolve(true);
    asked.then(
      async (granted) => {
        if (!granted) {
          setError(t('uploadPermissionRefused', new URL(pending.endpoint).host));
          return;
        }
        try {
          await api.reconsentDrive(group.key);
          await load();
        } catch (e) {
          setError((e as Error).message);
        }
      },
      (e: unknown) => setError((e as Error)?.message ?? String(e)),
    );
  }

  const bar = (
    <div class="editor-bar">
      <button type="button" class="back" onClick={props.onBack}>
        <span aria-hidden="true" class="flip-rtl">
          ←
        </span>{' '}
        {t('backToReports')}
      </button>
    </div>
  );

  if (loadError) {
    return (
      <div class="view upload-review">
        {bar}
        <p class="notice notice-error" role="alert">
          {loadError}
        </p>
      </div>
    );
  }
  if (!review)
    return (
      <p class="loading" role="status">
        {t('loading')}
      </p>
    );

  if (phase.name === 'sending') {
    return (
      <div class="view upload-review">
        {bar}
        <Sending phase={phase} endpoint={toSend.map((g) => g.endpoint).join(', ')} onChanged={props.onChanged} headingRef={headingRef} />
      </div>
    );
  }

  const shown = review.shown;
  const busy = phase.name !== 'review';
  let number = 0;
  return (
    <div class="view upload-review">
      {bar}
      <h2 class="view-title" tabIndex={-1} ref={headingRef}>
        {t('uploadReviewTitle')}
      </h2>
      {shown === 0 ? <p class="empty">{t('uploadNothingReady')}</p> : <p class="help">{t('uploadReviewIntro')}</p>}
      {review.total_ready > shown ? (
        <p class="notice notice-warn" role="status">
          {t('uploadShownOfTotal', [shown, review.total_ready, review.total_ready - shown])}
        </p>
      ) : null}

      {review.groups.map((group) => {
        const first = number;
        number += group.reports.length;
        return (
          <GroupView
            key={group.key}
            group={group}
            first={first}
            total={shown}
            busy={busy}
            excluded={excluded}
            undone={undone}
            stored={stored}
            onToggleRedaction={(item, r) => void toggleRedaction(item, r)}
            onToggleExcluded={(id) =>
              setExcluded((set) => {
                const next = new Set(set);
                if (next.has(id)) next.delete(id);
                else next.add(id);
                return next;
              })
            }
            onReconsent={() => onReconsent(group)}
            onOpenSettings={() => void openOptions()}
          />
        );
      })}

      {sendable.length ? (
        <div class="save-bar upload-bar">
          {unconsented ? (
            <div class="consent">
              <div class="checkbox">
                <input
                  id="upload-consent"
                  ref={consentRef}
                  type="checkbox"
                  checked={consent}
                  disabled={busy}
                  aria-invalid={consentError ? 'true' : undefined}
                  aria-describedby={`${consentError ? 'upload-consent-error ' : ''}upload-consent-help`}
                  onChange={(e) => {
                    setConsent(e.currentTarget.checked);
                    setConsentError(null);
                  }}
                />
                <label for="upload-consent">{t('uploadConsent', unconsented.endpoint ?? '')}</label>
              </div>
              {consentError ? (
                <p id="upload-consent-error" class="field-error">
                  {consentError}
                </p>
              ) : null}
              <p id="upload-consent-help" class="help">
                {t('uploadConsentHelp')}
              </p>
            </div>
          ) : null}
          <div class="actions">
            <button type="button" class="primary" disabled={busy || count === 0} onClick={onUpload}>
              {tp('uploadButton', count)}
            </button>
            <span class="save-state" role="status" aria-live="polite">
              {phase.name === 'permission' ? t('uploadAskingPermission', [...new Set(toSend.map((g) => new URL(g.endpoint!).host))].join(', ')) : ''}
              {phase.name === 'starting' ? t('uploadRunning') : ''}
            </span>
          </div>
          {error ? (
            <p class="notice notice-error" role="alert">
              {error}
            </p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

/** One destination: the drive (or none), its licence and endpoint, and its reports. */
function GroupView(props: {
  group: UploadGroup;
  first: number;
  total: number;
  busy: boolean;
  excluded: ReadonlySet<string>;
  undone: ReadonlySet<string>;
  stored: ReadonlyMap<string, Report>;
  onToggleRedaction: (item: UploadReviewItem, redaction: ReportRedaction) => void;
  onToggleExcluded: (id: string) => void;
  onReconsent: () => void;
  onOpenSettings: () => void;
}) {
  const { group } = props;
  const drive = group.drive;
  const headingId = `upload-group-${group.key || 'none'}`;
  const title = drive ? t('uploadGroupDrive', drive.name ?? drive.id) : t('uploadGroupNoDrive');
  return (
    <section class="upload-group" aria-labelledby={headingId}>
      <h3 id={headingId} class="group-title">
        {title}
      </h3>
      <dl class="group-facts">
        {drive?.organizer ? (
          <div class="pair">
            <dt>{t('driveOrganizer')}</dt>
            <dd dir="auto">{drive.organizer}</dd>
          </div>
        ) : null}
        {drive?.license ? (
          <div class="pair">
            <dt>{t('driveLicense')}</dt>
            <dd>{drive.license}</dd>
          </div>
        ) : null}
        {group.endpoint ? (
          <div class="pair">
            <dt>{t('uploadSendingTo')}</dt>
            <dd>
              <code class="endpoint">{group.endpoint}</code>
            </dd>
          </div>
        ) : null}
      </dl>
      {drive?.contributor ? (
        <p class="help contributor">
          {/* The pseudonym goes where the translation puts it, as code so it reads (and copies) whole. */}
          {t('uploadContributor', '\uE000')
            .split('\uE000')
            .flatMap((part, i) => (i === 0 ? [part] : [<code class="contributor">{drive.contributor}</code>, part]))}{' '}
          {t('uploadContributorHelp')}
        </p>
      ) : null}
      {drive?.check_error ? <p class="notice">{t('uploadDriveCheckFailed', drive.check_error)}</p> : null}
      {group.problem ? (
        <div class="notice notice-warn" role="alert">
          <p>{group.problem_message ? problemText(group.problem_message) : group.problem}</p>
          {drive?.pending ? (
            <>
              <ul class="problems">
                {drive.pending.changes.includes('name') ? <li>{t('driveChangedName', drive.pending.name)}</li> : null}
                {drive.pending.changes.includes('endpoint') ? <li>{t('driveChangedEndpoint', drive.pending.endpoint)}</li> : null}
                {drive.pending.changes.includes('license') ? <li>{t('driveChangedLicense', drive.pending.license)}</li> : null}
              </ul>
              <button type="button" disabled={props.busy} onClick={props.onReconsent}>
                {t('driveReconsent')}
              </button>
            </>
          ) : (
            <button type="button" class="link" onClick={props.onOpenSettings}>
              {t('uploadOpenSettings')}
            </button>
          )}
        </div>
      ) : null}
      <ol class="review-list" aria-label={t('uploadReportsLabel')}>
        {group.reports.map((item, index) => (
          <ReviewItem
            key={item.id}
            item={item}
            number={props.first + index + 1}
            total={props.total}
            undone={props.undone}
            stored={props.stored.get(item.id)}
            disabled={props.busy}
            sendable={!group.problem}
            included={!props.excluded.has(item.id)}
            onToggleIncluded={() => props.onToggleExcluded(item.id)}
            onToggle={(redaction) => props.onToggleRedaction(item, redaction)}
          />
        ))}
      </ol>
    </section>
  );
}

function ReviewItem(props: {
  item: UploadReviewItem;
  number: number;
  total: number;
  undone: ReadonlySet<string>;
  stored?: Report;
  disabled: boolean;
  /** False when the group can't be uploaded now: no include box. */
  sendable: boolean;
  included: boolean;
  onToggleIncluded: () => void;
  onToggle: (redaction: ReportRedaction) => void;
}) {
  const { item } = props;
  const mine = useMemo(() => {
    const ids = new Set<string>();
    for (const r of item.redactions) if (props.undone.has(undoKey(item.id, r.id))) ids.add(r.id);
    return ids;
  }, [props.undone, item]);
  // Until the user undoes something the background's own outgoing copy is shown as it is.
  const outgoing: UploadedReport = useMemo(
    () => (mine.size && props.stored ? outgoingWithUndone(props.stored, item.redactions, mine) : item.outgoing),
    [mine, props.stored, item],
  );
  const language = uiLanguage();
  const headingId = `review-${item.id}`;

  return (
    <li class={`review-item${props.included ? '' : ' excluded'}`} aria-labelledby={headingId}>
      <div class="row-top">
        <h4 id={headingId} class="review-heading">
          {t('uploadReportHeading', [props.number, props.total])}
        </h4>
        <span class="site">{siteName(outgoing.site)}</span>
        <bdi class="locale" title={localeDisplayName(outgoing.expected_locale, language)}>
          {outgoing.expected_locale}
        </bdi>
      </div>
      {props.sendable ? (
        <div class="checkbox include-report">
          <input id={`include-${item.id}`} type="checkbox" checked={props.included} disabled={props.disabled} onChange={props.onToggleIncluded} />
          <label for={`include-${item.id}`}>{t('uploadIncludeReport', [props.number, props.total])}</label>
        </div>
      ) : null}
      {item.replaces ? <p class="help replaces">{t('uploadReplaces')}</p> : null}
      <dl class="review-fields">
        <dt>{t('uploadAnswerLabel')}</dt>
        <dd>
          <OutgoingText text={outgoing.answer} field="answer" item={item} undone={mine} highlights={outgoing.highlights} lang={outgoing.expected_locale} />
        </dd>
        <dt>{t('uploadMarksLabel')}</dt>
        <dd>
          {outgoing.highlights.length ? (
            <ul class="review-marks">
              {outgoing.highlights.map((h) => (
                <li key={h.id}>
                  <span class="mark-exact" dir="auto">
                    {h.exact}
                  </span>{' '}
                  <span aria-hidden="true" class="flip-rtl">
                    →
                  </span>{' '}
                  <span class="mark-suggestion" dir="auto">
                    {h.suggestion}
                  </span>{' '}
                  <span class="mark-meta">
                    {categoryLabel(h.category)} · {severityLabel(h.severity)}
                  </span>
                </li>
              ))}
            </ul>
          ) : (
            <span class="muted">{t('uploadNoMarks')}</span>
          )}
        </dd>
        <div class="pair">
          <dt>{t('uploadLocaleLabel')}</dt>
          <dd>
            {/* The language's own parentheses and order ("中文（台灣）（zh-TW）"), not hard-coded ASCII ones. */}
            <bdi>{t('localeWithCode', [localeDisplayName(outgoing.expected_locale, language), outgoing.expected_locale])}</bdi>
          </dd>
        </div>
        {outgoing.model.label ? (
          <div class="pair">
            <dt>{t('uploadModelLabel')}</dt>
            <dd dir="auto">{outgoing.model.label}</dd>
          </div>
        ) : null}
        <dt>{t('uploadPromptLabel')}</dt>
        <dd>
          {outgoing.prompt !== undefined ? (
            <OutgoingText text={outgoing.prompt} field="prompt" item={item} undone={mine} />
          ) : (
            <span class="muted">{t('uploadPromptNotIncluded')}</span>
          )}
        </dd>
        {outgoing.comment ? (
          <>
            <dt>{t('uploadCommentLabel')}</dt>
            <dd>
              <OutgoingText text={outgoing.comment} field="comment" item={item} undone={mine} />
            </dd>
          </>
        ) : null}
        <dt>{t('uploadRedactionsLabel')}</dt>
        <dd>
          {item.redactions.length ? (
            <ul class="chips">
              {item.redactions.map((r) => (
                <RedactionChip key={r.id} redaction={r} kept={mine.has(r.id)} disabled={props.disabled} onToggle={() => props.onToggle(r)} />
              ))}
            </ul>
          ) : (
            <span class="muted">{t('uploadNoRedactions')}</span>
          )}
        </dd>
      </dl>
      <details class="raw">
        <summary>{t('uploadRawData')}</summary>
        <pre dir="ltr">{JSON.stringify(outgoing, null, 2)}</pre>
      </details>
    </li>
  );
}

/** One field's text as it will be sent: replacements and kept originals marked, marks highlighted. */
function OutgoingText(props: {
  text: string;
  field: ReportRedaction['field'];
  item: UploadReviewItem;
  undone: ReadonlySet<string>;
  highlights?: UploadedReport['highlights'];
  lang?: string;
}) {
  const spans = redactionSpans(props.text, props.item.redactions, props.field, props.undone);
  const segments = outgoingSegments(props.text, spans, props.highlights);
  const kindOf = (id: string) => props.item.redactions.find((r) => r.id === id);
  return (
    <div class={`outgoing outgoing-${props.field}`} dir="auto" lang={props.lang}>
      {segments.map((segment) => {
        let node: ComponentChildren = segment.text;
        if (segment.redaction) {
          const r = kindOf(segment.redaction.id);
          const kind = r ? t(`redactionKind_${r.kind}`) : '';
          node = (
            <span
              class={segment.redaction.kept ? 'redaction-kept' : 'redacted'}
              title={segment.redaction.kept ? t('redactionKeptMarkLabel', kind) : t('redactionMarkLabel', [kind, r?.replacement ?? ''])}
            >
              {node}
            </span>
          );
        }
        if (segment.highlight) node = <mark class={`mark sev-${segment.highlight.severity}`}>{node}</mark>;
        return <span key={segment.start}>{node}</span>;
      })}
    </div>
  );
}

function RedactionChip(props: { redaction: ReportRedaction; kept: boolean; disabled: boolean; onToggle: () => void }) {
  const { redaction: r, kept } = props;
  const kind = t(`redactionKind_${r.kind}`);
  const field = t(`redactionField_${r.field}`);
  return (
    <li class={`chip${kept ? ' chip-kept' : ''}`}>
      {kept ? null : <span class="chip-replacement">{r.replacement}</span>}{' '}
      <span class="chip-original" dir="auto" title={r.original}>
        {shortOriginal(r.original)}
      </span>
      {kept ? <span class="chip-state">— {t('redactionKept')}</span> : null}{' '}
      <button
        type="button"
        class="subtle chip-button"
        disabled={props.disabled}
        aria-label={kept ? t('redoRedactionLabel', [r.original, kind, field, r.replacement]) : t('undoRedactionLabel', [r.original, kind, field])}
        onClick={props.onToggle}
      >
        {kept ? t('redoRedaction') : t('undoRedaction')}
      </button>
    </li>
  );
}

/** After Upload: progress while the background sends, then what happened to each report. */
function Sending(props: { phase: Extract<Phase, { name: 'sending' }>; endpoint: string; onChanged: () => void; headingRef: Ref<HTMLHeadingElement> }) {
  const { api } = useServices();
  const { status, error, retryNow } = useUploadStatus({ onIdle: props.onChanged });
  const [outcome, setOutcome] = useState<{ uploaded: number; failed: Report[] } | null>(null);
  const finished = Boolean(status && !status.running && status.pending === 0);

  useEffect(() => {
    if (!finished) return;
    let live = true;
    // Count this upload's own reports (a run's counts can include reports queued earlier).
    Promise.all(props.phase.reportIds.map((id) => api.getReport(id).catch(() => null))).then((reports) => {
      if (!live) return;
      const settled = reports.filter((r): r is Report => Boolean(r));
      setOutcome({ uploaded: settled.filter((r) => r.status === 'uploaded').length, failed: settled.filter((r) => r.status === 'failed') });
      props.onChanged();
    });
    return () => {
      live = false;
    };
  }, [finished]);

  const total = Math.max(status?.progress?.total ?? 0, props.phase.queued);
  const done = finished ? total : (status?.progress?.done ?? 0);
  return (
    <div class="sending">
      <h2 class="view-title" tabIndex={-1} ref={props.headingRef}>
        {outcome ? t('uploadDoneTitle') : t('uploadSendingTitle')}
      </h2>
      <p class="sending-to">
        <span class="sending-to-label">{outcome ? t('uploadSentTo') : t('uploadSendingTo')}</span> <code class="endpoint">{props.endpoint}</code>
      </p>
      <UploadProgressBar done={done} total={total} />
      {props.phase.skipped.length ? (
        <div class="notice notice-warn">
          <p>{tp('uploadSkipped', props.phase.skipped.length)}</p>
          <ul class="problems">
            {[...new Set(props.phase.skipped.map((s) => s.reason))].map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <p class="upload-summary" role="status" aria-live="polite">
        {outcome ? t('uploadFinished', [outcome.uploaded, outcome.failed.length]) : status?.running || !status ? t('uploadRunning') : ''}
      </p>
      {error ? (
        <p class="notice notice-error" role="alert">
          {error}
        </p>
      ) : null}
      {status && !status.running && status.pending > 0 ? <RetryNotice status={status} onRetry={() => void retryNow()} /> : null}
      {outcome?.failed.length ? (
        <section class="failed-list" aria-labelledby="upload-failed-title">
          <h3 id="upload-failed-title">{t('uploadFailedTitle')}</h3>
          <ul>
            {outcome.failed.map((report) => (
              <li key={report.id}>
                <span class="first-line" dir="auto">
                  {firstLine(report.answer, 80)}
                </span>
                <span class="status-reason">{t('uploadFailedReason', report.status_reason ?? '')}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

/** A group's problem in the UI's language, dates formatted for it. */
function problemText(problem: ProblemMessage): string {
  const args = problem.args.map((arg) =>
    typeof arg === 'string' ? arg : new Intl.DateTimeFormat(uiLanguage(), { dateStyle: 'medium' }).format(new Date(arg.date)),
  );
  return t(dynamicKey(problem.key), args);
}
