// The list of reports, newest first, one page at a time through the background's index
// (fast with 10,000 reports). Search filters the reports loaded so far, client-side: the
// background pages by status and time only, so "Load more" widens what search sees.
import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Report, ReportStatus } from '@/lib/report';
import type { AppState, PopupState, ReportCursor, ReportPage } from '@/lib/ui/api';
import { firstLine, formatDate, siteName, statusLabel } from '@/lib/ui/format';
import { localeDisplayName } from '@/lib/locale';
import { t, tp, uiLanguage } from '@/lib/ui/i18n';
import { useServices } from './services';
import { Toast, type ToastMessage } from './Toast';
import { DriftNotice } from './DriftNotice';
import { PAGE_SIZE } from '@/lib/ui/early';

export { PAGE_SIZE };
export const FILTERS = ['all', 'draft', 'ready', 'uploaded', 'failed', 'withdrawn'] as const;
export type StatusFilter = (typeof FILTERS)[number];

/** Whether a report matches a search: answer, comment, site, locale, marked phrases and suggestions. */
export function matchesSearch(report: Report, query: string): boolean {
  const q = query.trim().toLocaleLowerCase();
  if (!q) return true;
  const haystack = [
    report.answer,
    report.comment ?? '',
    siteName(report.site),
    report.site,
    report.expected_locale,
    report.model.label ?? '',
    ...report.highlights.flatMap((h) => [h.exact, h.suggestion, h.note ?? '', ...(h.alternatives ?? [])]),
  ];
  return haystack.some((text) => text.toLocaleLowerCase().includes(q));
}

function filterCount(filter: StatusFilter, counts: AppState['counts'] | undefined): number | undefined {
  if (!counts) return undefined;
  if (filter === 'all') return Object.values(counts).reduce((a, b) => a + b, 0);
  return counts[filter];
}

export function ReportList(props: {
  state: PopupState | null;
  /** The first page of all reports, already asked for by the app (used once, for the "all" filter). */
  initialPage?: Promise<ReportPage>;
  /** The report the user just left: its row gets the keyboard focus once loaded. */
  returnTo?: string;
  onOpen: (id: string) => void;
  /** Ask the app to re-read counts after a change. */
  onChanged: () => void;
}) {
  const { api, openInTab, openOptions, inTab } = useServices();
  const uid = useId();
  const [filter, setFilter] = useState<StatusFilter>('all');
  const [query, setQuery] = useState('');
  const [reports, setReports] = useState<Report[]>([]);
  const [next, setNext] = useState<ReportCursor | undefined>();
  /** Uploaded reports whose edited version replaced the receiver's copy. */
  const [updated, setUpdated] = useState<ReadonlySet<string>>(new Set());
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [toast, setToast] = useState<ToastMessage | null>(null);
  const generation = useRef(0);
  const listRef = useRef<HTMLOListElement>(null);
  const lastIndex = useRef(0);
  // After the Undo toast closes, the keyboard goes back to the row where the deleted one was.
  const returnFocus = () => {
    const rows = listRef.current?.querySelectorAll<HTMLElement>('.report-open');
    if (rows?.length) rows[Math.min(lastIndex.current, rows.length - 1)]!.focus();
    else listRef.current?.ownerDocument.querySelector<HTMLElement>('select')?.focus();
  };

  // Where the keyboard goes after a load: the row of the report just left (after Back), or
  // the first row "Load more" brought in.
  const focusAfterLoad = useRef<{ id?: string; index?: number } | null>(props.returnTo ? { id: props.returnTo } : null);
  useEffect(() => {
    const want = focusAfterLoad.current;
    if (!want || loading) return;
    const rows = [...(listRef.current?.querySelectorAll<HTMLElement>('.report-row') ?? [])];
    const row = want.id ? rows.find((r) => r.dataset.reportId === want.id) : rows[want.index ?? 0];
    // "Load more" waits for its rows (an effect of an earlier render may run in between).
    if (!row && want.index !== undefined) return;
    focusAfterLoad.current = null;
    row?.querySelector<HTMLElement>('.report-open')?.focus();
  }, [loading, reports]);

  const prefetch = useRef(props.initialPage);
  async function load(reset: boolean) {
    if (!reset) focusAfterLoad.current = { index: reports.length };
    const mine = reset ? ++generation.current : generation.current;
    setLoading(true);
    setError(null);
    try {
      const prefetched = reset && filter === 'all' ? prefetch.current : undefined;
      prefetch.current = undefined;
      const page = await (prefetched ??
        api.listReports({
          status: filter === 'all' ? undefined : (filter as ReportStatus),
          limit: PAGE_SIZE,
          before: reset ? undefined : next,
        }));
      if (mine !== generation.current) return;
      setReports((old) => (reset ? page.reports : [...old, ...page.reports]));
      setNext(page.next);
      setUpdated((old) => new Set([...(reset ? [] : old), ...(page.updated ?? [])]));
    } catch (e) {
      if (mine === generation.current) setError((e as Error).message);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }

  // Before the first paint (a layout effect): a first page already in shows at once.
  useLayoutEffect(() => {
    void load(true);
  }, [filter]);

  async function remove(report: Report, index: number) {
    try {
      const removed = await api.deleteReports([report.id]);
      setReports((rs) => rs.filter((r) => r.id !== report.id));
      props.onChanged();
      setToast({
        id: Date.now(),
        text: t('reportDeleted'),
        action: {
          label: t('undo'),
          run: () => {
            void api.restoreReports(removed).then(
              () => {
                props.onChanged();
                void load(true);
              },
              (e: unknown) => setError((e as Error).message),
            );
          },
        },
      });
      lastIndex.current = index;
    } catch (e) {
      setError((e as Error).message);
    }
  }

  const visible = useMemo(() => reports.filter((r) => matchesSearch(r, query)), [reports, query]);
  const total = filterCount('all', props.state?.counts);
  const language = uiLanguage();

  return (
    <div class="view list">
      {props.state ? <DriftNotice state={props.state} /> : null}
      {props.state && !props.state.settings.default_locale ? (
        <p class="notice">
          {t('chooseLocaleNotice')}{' '}
          <button type="button" class="link" onClick={() => void openOptions()}>
            {t('openSettings')}
          </button>
        </p>
      ) : null}

      <div class="list-controls">
        <div class="field inline-field">
          <label for={`${uid}-filter`}>{t('filterLabel')}</label>
          <select id={`${uid}-filter`} value={filter} onChange={(e) => setFilter(e.currentTarget.value as StatusFilter)}>
            {FILTERS.map((f) => {
              const count = filterCount(f, props.state?.counts);
              return (
                <option key={f} value={f}>
                  {count === undefined ? t(`filter_${f}`) : t('filterOption', [t(`filter_${f}`), count])}
                </option>
              );
            })}
          </select>
        </div>
        <div class="field inline-field grow">
          <label for={`${uid}-search`}>{t('searchLabel')}</label>
          <input
            id={`${uid}-search`}
            type="search"
            dir="auto"
            value={query}
            aria-describedby={`${uid}-search-help`}
            onInput={(e) => setQuery(e.currentTarget.value)}
          />
        </div>
      </div>
      <p id={`${uid}-search-help`} class="help">
        {t('searchHelp')}
      </p>

      {error ? (
        <p class="notice notice-error" role="alert">
          {error}
        </p>
      ) : null}

      {!loading && !reports.length && (total === 0 || (total === undefined && filter === 'all')) ? (
        <div class="empty">
          <p class="empty-title">{t('emptyTitle')}</p>
          <p>{t('emptyBody')}</p>
        </div>
      ) : !loading && !reports.length ? (
        <p class="empty">{t('emptyFilter')}</p>
      ) : query.trim() && !visible.length ? (
        <p class="empty">{next ? t('searchNoMatchMore', query.trim()) : t('searchNoMatch', query.trim())}</p>
      ) : null}

      <ol ref={listRef} class="report-list" aria-label={t('reportsListLabel')}>
        {visible.map((report) => {
          // Said by the row's buttons, so rows read apart by ear ("Open report: ChatGPT, pt-BR, 3 marks, …").
          const summary = t('openReportLabel', [
            siteName(report.site),
            report.expected_locale,
            tp('rowMarks', report.highlights.length),
            statusLabel(report.status),
            formatDate(report.created_at, language),
          ]);
          const summaryId = `${uid}-row-${report.id}`;
          return (
            <li key={report.id} class="report-row" data-report-id={report.id}>
              <div class="row-top">
                <span class="site">{siteName(report.site)}</span>
                <bdi class="locale" title={localeDisplayName(report.expected_locale, language)}>
                  {report.expected_locale}
                </bdi>
                <span class={`badge badge-${report.status}`}>{statusLabel(report.status)}</span>
                {report.status === 'uploaded' && updated.has(report.id) ? <span class="badge badge-updated">{t('status_updated')}</span> : null}
                <time class="date push-end" dateTime={report.created_at}>
                  {formatDate(report.created_at, language)}
                </time>
              </div>
              <p class="first-line" dir="auto">
                {firstLine(report.answer)}
              </p>
              {(report.status === 'failed' || report.status === 'uploaded') && report.status_reason ? (
                <p class="status-reason">{t('uploadFailedReason', report.status_reason)}</p>
              ) : null}
              <div class="row-bottom">
                <span class="muted">{t('marksCount', report.highlights.length)}</span>
                <div class="actions push-end">
                  <button type="button" class="report-open" aria-label={summary} onClick={() => props.onOpen(report.id)}>
                    {t('open')}
                  </button>
                  {!inTab ? (
                    <button type="button" class="subtle" aria-describedby={summaryId} onClick={() => void openInTab(report.id)}>
                      {t('openInTab')}
                    </button>
                  ) : null}
                  <button type="button" class="subtle danger" aria-describedby={summaryId} onClick={() => void remove(report, reports.indexOf(report))}>
                    {t('delete')}
                  </button>
                </div>
              </div>
              <span id={summaryId} class="visually-hidden">
                {summary}
              </span>
            </li>
          );
        })}
      </ol>

      {loading ? (
        <p class="loading" role="status">
          {t('loading')}
        </p>
      ) : null}
      {next && !loading ? (
        <button type="button" class="load-more" onClick={() => void load(false)}>
          {t('loadMore')}
        </button>
      ) : null}
      <Toast toast={toast} onDismiss={() => setToast(null)} focusAction returnFocus={returnFocus} />
    </div>
  );
}
