// The popup app: the report list and the editor. It opens on, in order: the first-run
// question (which locale answers should sound like) until it is answered; the report named
// in the URL (`popup.html?report=<id>`, used by "Open in tab"); the report just captured
// on a page (get-state's focus_report_id, cleared once shown); otherwise the list.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { PopupState, ReportPage } from '@/lib/ui/api';
import { appUrl } from '@/lib/ui/navigation';
import { t } from '@/lib/ui/i18n';
import { useServices } from './services';
import { PAGE_SIZE, ReportList } from './ReportList';
import { ReportEditor } from './ReportEditor';
import { UploadStatusBanner } from './UploadStatus';
import { DriveProgressList } from './drives/DriveProgress';
import { FirstRun } from './FirstRun';

// The upload review loads when it is opened, not with the list: it brings the redaction code
// and libphonenumber's metadata (about 240 kB), which the popup's first page must not wait for.
const loadUploadReview = () => import('./UploadReview');

function UploadReviewScreen(props: { onBack: () => void; onChanged: () => void }) {
  const [screen, setScreen] = useState<Awaited<ReturnType<typeof loadUploadReview>> | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    loadUploadReview().then(
      (module) => live && setScreen(module),
      (e: unknown) => live && setError((e as Error).message),
    );
    return () => {
      live = false;
    };
  }, []);
  if (error)
    return (
      <p class="notice notice-error" role="alert">
        {error}
      </p>
    );
  if (!screen)
    return (
      <p class="loading" role="status">
        {t('loading')}
      </p>
    );
  return <screen.UploadReview onBack={props.onBack} onChanged={props.onChanged} />;
}

/** Resolves after the browser has painted the next frame (or at once where nothing paints). */
function afterNextPaint(): Promise<void> {
  if (typeof requestAnimationFrame !== 'function') return Promise.resolve();
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

type View =
  | { name: 'loading' }
  | { name: 'first-run'; after: View }
  | { name: 'list'; returnTo?: string }
  | { name: 'editor'; reportId: string }
  | { name: 'upload' };

export function PopupApp(props: { initialReportId?: string }) {
  const { api, inTab, openOptions, openInTab } = useServices();
  const [view, setView] = useState<View>(props.initialReportId ? { name: 'editor', reportId: props.initialReportId } : { name: 'loading' });
  const [state, setState] = useState<PopupState | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The list's first page, asked for at once, next to the state (not after it).
  const firstPage = useRef<Promise<ReportPage>>(props.initialReportId ? Promise.resolve({ reports: [] }) : api.listReports({ limit: PAGE_SIZE }));
  // Only the first list shown uses it: a list shown later (after Back) reads afresh.
  const firstPageTaken = useRef(Boolean(props.initialReportId));
  const takeFirstPage = () => {
    if (firstPageTaken.current) return undefined;
    firstPageTaken.current = true;
    return firstPage.current;
  };
  // Bumped when an upload settles, so the list reloads with the new statuses.
  const [listGeneration, setListGeneration] = useState(0);

  // The list renders as soon as the quick state is in; the per-status counts (slow to
  // compute with 10,000 reports) fill in the filter and the upload entry after.
  const refreshState = () => {
    const quick = api.getStateQuick().then(
      (s) => {
        setState((old) => ({ ...s, counts: old?.counts }));
        return s as PopupState;
      },
      (e: unknown) => {
        setError((e as Error).message);
        return null;
      },
    );
    // Counting 10,000 reports holds IndexedDB (and a core) for 100-300 ms: ask once the list's
    // first page is in and painted.
    void Promise.all([quick, firstPage.current.catch(() => undefined)])
      .then(afterNextPaint)
      .then(() => api.getCounts())
      .then(
        (counts) => setState((old) => (old ? { ...old, counts } : old)),
        () => {},
      );
    return quick;
  };

  // A layout effect, so the requests' replies (often in already: lib/ui/early.ts) render the
  // list before the first paint, not one frame after it.
  useLayoutEffect(() => {
    void refreshState().then(async (s) => {
      let next: View | undefined;
      if (props.initialReportId) next = { name: 'editor', reportId: props.initialReportId };
      else if (s?.focus_report_id) {
        next = { name: 'editor', reportId: s.focus_report_id };
        // Shown once: the next time the popup opens it starts at the list.
        void api.clearFocus().catch(() => {});
      } else next = { name: 'list' };
      // The first-run question comes before the first report: when one was just captured
      // from a page, or when there are none yet. (Someone with reports but no default, or
      // opening a report in a tab, sees the list's reminder instead.)
      const firstReport = !props.initialReportId && (Boolean(s?.focus_report_id) || (await firstPage.current.catch(() => undefined))?.reports.length === 0);
      setView(s && !s.settings.default_locale && firstReport ? { name: 'first-run', after: next } : next);
    });
  }, []);

  /** First run answered: store it, and give the report waiting to be edited the same locale. */
  async function chooseLocale(tag: string, then: View) {
    await api.setSettings({ default_locale: tag });
    if (then.name === 'editor') {
      const report = await api.getReport(then.reportId).catch(() => undefined);
      if (report && report.expected_locale !== tag && !report.highlights.length && report.status === 'draft')
        await api.saveReport({ ...report, expected_locale: tag });
    }
    await refreshState();
    setView(then);
  }

  // In a tab, keep the address in step with the view so a reload stays put.
  useEffect(() => {
    if (!inTab || view.name === 'loading') return;
    history.replaceState(null, '', appUrl({ reportId: view.name === 'editor' ? view.reportId : undefined, inTab: true }));
  }, [view, inTab]);

  // Back from a report: the list, with the keyboard on the row of the report just left.
  const showList = (returnTo?: string) => {
    setView({ name: 'list', returnTo });
    void refreshState();
  };

  return (
    <div class={`app${inTab ? ' in-tab' : ''}`}>
      <header class="app-header">
        <h1 class="app-title">{t('extName')}</h1>
        <div class="actions push-end">
          {!inTab && view.name === 'list' ? (
            <button type="button" class="subtle" onClick={() => void openInTab()}>
              {t('openListInTab')}
            </button>
          ) : null}
          <button type="button" class="subtle" onClick={() => void openOptions()}>
            {t('settings')}
          </button>
        </div>
      </header>
      <main class="app-main">
        {error ? (
          <p class="notice notice-error" role="alert">
            {error}
          </p>
        ) : null}
        {view.name === 'loading' ? (
          <p class="loading" role="status">
            {t('loading')}
          </p>
        ) : null}
        {view.name === 'first-run' ? <FirstRun languages={globalThis.navigator?.languages ?? []} onChoose={(tag) => chooseLocale(tag, view.after)} /> : null}
        {view.name === 'list' ? (
          <>
            {state?.counts?.ready ? (
              <div class="upload-entry">
                <button
                  type="button"
                  class="primary"
                  // Fetched as the pointer or the keyboard gets there, so the click rarely waits for it.
                  onPointerEnter={() => void loadUploadReview()}
                  onFocus={() => void loadUploadReview()}
                  onClick={() => setView({ name: 'upload' })}
                >
                  {t('uploadReviewButton', state.counts.ready)}
                </button>
              </div>
            ) : null}
            {state?.drives.length ? <DriveProgressList drives={state.drives} /> : null}
            <UploadStatusBanner
              onIdle={() => {
                setListGeneration((n) => n + 1);
                void refreshState();
              }}
            />
            <ReportList
              key={listGeneration}
              state={state}
              initialPage={takeFirstPage()}
              returnTo={view.returnTo}
              onOpen={(reportId) => setView({ name: 'editor', reportId })}
              onChanged={() => void refreshState()}
            />
          </>
        ) : null}
        {view.name === 'editor' ? <ReportEditor reportId={view.reportId} onBack={() => showList(view.reportId)} /> : null}
        {view.name === 'upload' ? <UploadReviewScreen onBack={() => showList()} onChanged={() => void refreshState()} /> : null}
      </main>
    </div>
  );
}
