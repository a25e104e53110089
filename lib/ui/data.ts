// The options page's data actions as plain functions over the api, so tests drive them
// without a browser: export to a JSONL file, import one, delete every report, and the
// private withdraw-keys file beside them.
import type { Api, ImportResult } from './api';
import { MAX_IMPORT_ERRORS } from '../jsonl';

export interface ExportFile {
  filename: string;
  jsonl: string;
  count: number;
}

export async function exportReports(api: Api, now = new Date()): Promise<ExportFile> {
  const { jsonl, count } = await api.exportReports();
  return { jsonl, count, filename: `sounds-local-reports-${now.toISOString().slice(0, 10)}.jsonl` };
}

export interface OwnerKeysExport {
  filename: string;
  text: string;
  count: number;
}

/** The private withdraw-keys file: named so that it is not mistaken for the shareable reports export. */
export async function exportOwnerKeys(api: Api, now = new Date()): Promise<OwnerKeysExport> {
  const { text, count } = await api.exportOwnerKeys();
  return { text, count, filename: `sounds-local-withdraw-keys-PRIVATE-${now.toISOString().slice(0, 10)}.json` };
}

/** Hand a file to the browser's downloads via a Blob URL and an <a download>. */
export function downloadText(doc: Document, filename: string, text: string, type = 'application/jsonl'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = doc.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  doc.body.append(link);
  link.click();
  link.remove();
  // Revoke after the click has been handled; revoking at once can cancel the download in Firefox.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** How far a long import or deletion has got, for a progress bar. */
export type Progress = (done: number, total: number) => void;

/** Lines per import message: one background transaction each, and a progress step. */
export const IMPORT_CHUNK = 1_000;

/**
 * Import a JSONL file in chunks of IMPORT_CHUNK lines (each one message and one transaction
 * in the background), adding up what each chunk added, left unchanged or refused. Problems
 * keep the file's line numbers.
 */
export async function importReportsFromFile(api: Api, file: Blob, onProgress?: Progress): Promise<ImportResult> {
  const lines = (await file.text()).replace(/^\ufeff/, '').split(/\r?\n/);
  while (lines.length && !lines.at(-1)!.trim()) lines.pop();
  const total = lines.length;
  const result: ImportResult = { added: 0, unchanged: 0, problems: [] };
  onProgress?.(0, total);
  for (let at = 0; at < total; at += IMPORT_CHUNK) {
    const chunk = await api.importReports(lines.slice(at, at + IMPORT_CHUNK).join('\n'), at + 1);
    result.added += chunk.added;
    result.unchanged += chunk.unchanged;
    result.problems.push(...chunk.problems);
    onProgress?.(Math.min(at + IMPORT_CHUNK, total), total);
  }
  if (result.problems.length > MAX_IMPORT_ERRORS) result.problems.splice(MAX_IMPORT_ERRORS, Infinity, '…and more problems');
  return result;
}

const PAGE = 500;
const DELETE_CHUNK = 1_000;

/** Delete every stored report, paging through the index; returns how many were removed. */
export async function deleteAllReports(api: Api, onProgress?: Progress, total?: number): Promise<number> {
  const ids: string[] = [];
  let page = await api.listReports({ limit: PAGE });
  for (;;) {
    ids.push(...page.reports.map((r) => r.id));
    if (!page.next) break;
    page = await api.listReports({ limit: PAGE, before: page.next });
  }
  const all = Math.max(total ?? 0, ids.length);
  let removed = 0;
  onProgress?.(0, all);
  for (let i = 0; i < ids.length; i += DELETE_CHUNK) {
    removed += (await api.deleteReports(ids.slice(i, i + DELETE_CHUNK))).length;
    onProgress?.(removed, all);
  }
  return removed;
}
