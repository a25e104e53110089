// The user's own data: export every report as JSONL, import such a file back (nothing is
// lost on a round trip), keep the private withdraw keys in a file of their own, and delete
// every report after a confirmation.
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { deleteAllReports, downloadText, exportOwnerKeys, exportReports, importReportsFromFile } from '@/lib/ui/data';
import { ApiError, type ImportResult, type OwnerKeysImportResult } from '@/lib/ui/api';
import { t, tp } from '@/lib/ui/i18n';
import { useServices } from '../services';
import { trapTab } from '../focusTrap';
import type { SectionProps } from './OptionsPage';

export function DataSection({ state, refresh }: SectionProps) {
  const { api } = useServices();
  const uid = useId();
  const [exportMessage, setExportMessage] = useState<string | null>(null);
  const [importResult, setImportResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [deleteMessage, setDeleteMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [keysMessage, setKeysMessage] = useState<string | null>(null);
  const [keysResult, setKeysResult] = useState<OwnerKeysImportResult | null>(null);
  const [keysError, setKeysError] = useState<{ error: string; problems: string[] } | null>(null);
  const [progress, setProgress] = useState<{ kind: 'import' | 'delete'; done: number; total: number } | null>(null);
  const deleteRef = useRef<HTMLButtonElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);
  const total = Object.values(state.counts).reduce((a, b) => a + b, 0);

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const onExport = () =>
    run(async () => {
      const file = await exportReports(api);
      downloadText(document, file.filename, file.jsonl);
      setExportMessage(tp('exportDone', file.count, file.filename));
    });

  const onImport = (input: HTMLInputElement) =>
    run(async () => {
      const file = input.files?.[0];
      if (!file) return;
      setImportResult(null);
      try {
        setImportResult(await importReportsFromFile(api, file, (done, all) => setProgress({ kind: 'import', done, total: all })));
      } finally {
        setProgress(null);
      }
      input.value = '';
      await refresh();
    });

  const onExportKeys = () =>
    run(async () => {
      setKeysError(null);
      const file = await exportOwnerKeys(api);
      if (!file.count) {
        setKeysMessage(t('ownerKeysExportNone'));
        return;
      }
      downloadText(document, file.filename, file.text, 'application/json');
      setKeysMessage(t('ownerKeysExportDone', [file.count, file.filename]));
    });

  const onImportKeys = (input: HTMLInputElement) =>
    run(async () => {
      const file = input.files?.[0];
      if (!file) return;
      setKeysResult(null);
      setKeysError(null);
      try {
        setKeysResult(await api.importOwnerKeys(await file.text()));
      } catch (e) {
        // A refused file is shown beside its own button, with what was wrong in it.
        if (!(e instanceof ApiError)) throw e;
        setKeysError({ error: e.message, problems: e.problems });
      } finally {
        input.value = '';
      }
      await refresh();
    });

  const onDeleteAll = () =>
    run(async () => {
      let removed = 0;
      try {
        removed = await deleteAllReports(api, (done, all) => setProgress({ kind: 'delete', done, total: all }), total);
      } finally {
        setProgress(null);
      }
      setConfirming(false);
      setDeleteMessage(tp('deleteAllDone', removed));
      await refresh();
      queueMicrotask(() => deleteRef.current?.focus());
    });

  return (
    <div class="section-body">
      <p class="help">{t('optionsDataIntro', total)}</p>
      {error ? (
        <p class="notice notice-error" role="alert">
          {error}
        </p>
      ) : null}

      <div class="data-action">
        <h3>{t('exportTitle')}</h3>
        <p class="help">{t('exportHelp')}</p>
        <div class="actions">
          <button type="button" disabled={busy} onClick={() => void onExport()}>
            {t('exportButton')}
          </button>
          <span role="status" class="save-state">
            {exportMessage ?? ''}
          </span>
        </div>
      </div>

      <div class="data-action">
        <h3>{t('importTitle')}</h3>
        <p class="help" id={`${uid}-import-help`}>
          {t('importHelp')}
        </p>
        <input
          id={`${uid}-import`}
          class="visually-hidden-file"
          type="file"
          accept=".jsonl,.ndjson,.json,.txt,application/jsonl,application/x-ndjson,application/json,text/plain"
          aria-describedby={`${uid}-import-help`}
          disabled={busy}
          onChange={(e) => void onImport(e.currentTarget)}
        />
        {/* The label is the visible button; it follows the input so CSS can show its focus ring. */}
        <label class="file-button" for={`${uid}-import`}>
          {t('importButton')}
        </label>
        {progress?.kind === 'import' ? (
          <ProgressBar label={t('importProgress', [progress.done, progress.total])} done={progress.done} total={progress.total} />
        ) : null}
        <div role="status" aria-live="polite">
          {importResult ? (
            <div class="import-result">
              <p>{t('importDone', [importResult.added, importResult.unchanged])}</p>
              {importResult.problems.length ? (
                <>
                  <p class="field-error">{tp('importProblems', importResult.problems.length)}</p>
                  <ul class="problems">
                    {importResult.problems.map((p) => (
                      <li key={p}>{p}</li>
                    ))}
                  </ul>
                </>
              ) : null}
            </div>
          ) : null}
        </div>
      </div>

      <div class="data-action owner-keys">
        <h3>{t('ownerKeysTitle')}</h3>
        <p class="help">{t('ownerKeysHelp')}</p>
        <p class="notice notice-warn" id={`${uid}-keys-warning`}>
          {t('ownerKeysWarning')}
        </p>
        <div class="actions">
          <button type="button" disabled={busy} aria-describedby={`${uid}-keys-warning`} onClick={() => void onExportKeys()}>
            {t('ownerKeysExportButton')}
          </button>
          <input
            id={`${uid}-keys-import`}
            class="visually-hidden-file"
            type="file"
            accept=".json,application/json"
            disabled={busy}
            onChange={(e) => void onImportKeys(e.currentTarget)}
          />
          <label class="file-button" for={`${uid}-keys-import`}>
            {t('ownerKeysImportButton')}
          </label>
        </div>
        <p role="status" class="save-state">
          {keysMessage ?? ''}
        </p>
        <div role="status" aria-live="polite">
          {keysResult ? (
            <div class="import-result">
              <p>{t('ownerKeysImportDone', [keysResult.restored, keysResult.unchanged, keysResult.missing])}</p>
              {keysResult.conflicts.length ? <p class="field-error">{t('ownerKeysImportConflicts', keysResult.conflicts.join(', '))}</p> : null}
            </div>
          ) : null}
        </div>
        {keysError ? (
          <div class="notice notice-error" role="alert">
            <p>{keysError.error}</p>
            {keysError.problems.length ? (
              <ul class="problems">
                {keysError.problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}
      </div>

      <div class="data-action danger-zone">
        <h3>{t('deleteAllTitle')}</h3>
        <p class="help">{t('deleteAllHelp')}</p>
        {!confirming ? (
          <div class="actions">
            <button
              ref={deleteRef}
              type="button"
              class="danger"
              disabled={busy || total === 0}
              onClick={() => {
                setDeleteMessage(null);
                setConfirming(true);
              }}
            >
              {t('deleteAllButton')}
            </button>
            <span role="status" class="save-state">
              {deleteMessage ?? ''}
            </span>
          </div>
        ) : (
          <div
            class="confirm"
            role="alertdialog"
            aria-labelledby={`${uid}-confirm`}
            onKeyDown={(e) => {
              trapTab(e, e.currentTarget);
              if (e.key === 'Escape') {
                setConfirming(false);
                queueMicrotask(() => deleteRef.current?.focus());
              }
            }}
          >
            <p id={`${uid}-confirm`}>{tp('deleteAllConfirm', total)}</p>
            <div class="actions">
              <button type="button" class="danger" disabled={busy} onClick={() => void onDeleteAll()} ref={confirmRef}>
                {tp('deleteAllConfirmButton', total)}
              </button>
              <button
                type="button"
                onClick={() => {
                  setConfirming(false);
                  queueMicrotask(() => deleteRef.current?.focus());
                }}
              >
                {t('cancel')}
              </button>
            </div>
          </div>
        )}
        {progress?.kind === 'delete' ? (
          <ProgressBar label={t('deleteProgress', [progress.done, progress.total])} done={progress.done} total={progress.total} />
        ) : null}
      </div>
    </div>
  );
}

/** A long import or deletion: a bar and "3,000 of 10,000" (announced politely). */
function ProgressBar(props: { label: string; done: number; total: number }) {
  return (
    <div class="upload-progress data-progress">
      <progress max={Math.max(props.total, 1)} value={props.done} aria-label={props.label} />
      <span class="progress-text" aria-live="polite">
        {props.label}
      </span>
    </div>
  );
}
