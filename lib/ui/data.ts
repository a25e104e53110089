// The options page's data actions as plain functions over the api, so tests drive them
// without a browser: export to a JSONL file, import one, delete every report.
import type { Api, ImportResult } from './api';

export interface ExportFile {
  filename: string;
  jsonl: string;
  count: number;
}

export async function exportReports(api: Api, now = new Date()): Promise<ExportFile> {
  const { jsonl, count } = await api.exportReports();
  return { jsonl, count, filename: `sounds-local-reports-${now.toISOString().slice(0, 10)}.jsonl` };
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

export async function importReportsFromFile(api: Api, file: Blob): Promise<ImportResult> {
  return api.importReports(await file.text());
}

const PAGE = 500;
const DELETE_CHUNK = 1_000;

/** Delete every stored report, paging through the index; returns how many were removed. */
export async function deleteAllReports(api: Api): Promise<number> {
  const ids: string[] = [];
  let page = await api.listReports({ limit: PAGE });
  for (;;) {
    ids.push(...page.reports.map((r) => r.id));
    if (!page.next) break;
    page = await api.listReports({ limit: PAGE, before: page.next });
  }
  let removed = 0;
  for (let i = 0; i < ids.length; i += DELETE_CHUNK) removed += (await api.deleteReports(ids.slice(i, i + DELETE_CHUNK))).length;
  return removed;
}
