import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { PopupApp } from '../../../components/PopupApp';
import { PAGE_SIZE } from '../../../components/ReportList';
import { saveReport } from '../../../lib/storage/reports';
import type { Report } from '../../../lib/report';
import { EXTENSION_ID, createHarness, makeReport, stubI18n } from './harness';
import { ServicesProvider } from '../../../components/services';

beforeEach(() => {
  fakeBrowser.reset();
  stubI18n();
});
afterEach(cleanup);

async function seeded(reports: Report[]) {
  const h = await createHarness();
  for (const report of reports) await saveReport(h.db, report);
  return h;
}

const rows = () => screen.queryAllByRole('listitem').filter((li) => li.classList.contains('report-row'));

describe('the report list', () => {
  it('tells a new user what to do when there are no reports', async () => {
    const h = await createHarness();
    render(h.wrap(<PopupApp />));
    expect(await screen.findByText('No reports yet')).toBeTruthy();
    expect(screen.getByText(/Open a chatbot answer and click “Doesn't sound local”/)).toBeTruthy();
  });

  it('never says "No reports yet" while the first page is still on its way, then shows the rows', async () => {
    const h = await seeded([makeReport({ answer: 'First.' }), makeReport({ answer: 'Second.' })]);
    // The first page held back, as when a stopped service worker is still starting.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const api = { ...h.api, listReports: async (query: Parameters<typeof h.api.listReports>[0]) => (await gate, h.api.listReports(query)) };
    // Everything added to or taken off the page, even if replaced before anyone looked (or before a paint).
    const seen: string[] = [];
    const observer = new MutationObserver((records) => {
      for (const record of records) for (const node of [...record.addedNodes, ...record.removedNodes]) seen.push(node.textContent ?? '');
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    render(
      <ServicesProvider services={{ ...h.services, api }}>
        <PopupApp />
      </ServicesProvider>,
    );
    expect(await screen.findByRole('status')).toBeTruthy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    await waitFor(() => expect(rows()).toHaveLength(2));
    observer.disconnect();
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((text) => text.includes('No reports yet'))).toEqual([]);
  });

  it('opens on the report just captured once, then on the list', async () => {
    const h = await createHarness();
    const id = await h.capture({ answer: 'The colour is grey.' });
    render(h.wrap(<PopupApp />));
    expect(await screen.findByRole('region', { name: 'Answer' })).toBeTruthy();
    await waitFor(async () => expect((await h.api.getState()).focus_report_id).toBeUndefined());
    cleanup();
    render(h.wrap(<PopupApp />));
    await waitFor(() => expect(rows()).toHaveLength(1));
    fireEvent.click(within(rows()[0]!).getByRole('button', { name: /^Open report: / }));
    expect((await screen.findByRole('region', { name: 'Answer' })).textContent).toBe('The colour is grey.');
    fireEvent.click(screen.getByRole('button', { name: 'Back to reports' }));
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(id).toBeTruthy();
  });

  it('opens the report named in the URL (the "Open in tab" address)', async () => {
    const report = makeReport({ answer: 'Opened from a tab.' });
    const h = await seeded([report, makeReport()]);
    render(h.wrap(<PopupApp initialReportId={report.id} />));
    expect((await screen.findByRole('region', { name: 'Answer' })).textContent).toBe('Opened from a tab.');
  });

  it('pages newest first with Load more, and filters by status with counts', async () => {
    const reports = Array.from({ length: 45 }, (_, i) => makeReport({ status: i % 3 === 0 ? 'ready' : 'draft', answer: `Report ${i}\nsecond line` }));
    const h = await seeded(reports);
    render(h.wrap(<PopupApp />));
    await waitFor(() => expect(rows()).toHaveLength(PAGE_SIZE));
    // Newest first: the last made is on top; each row shows its first line only.
    expect(rows()[0]!.textContent).toContain('Report 44');
    expect(rows()[0]!.textContent).not.toContain('second line');
    expect(rows()[0]!.textContent).toContain('ChatGPT');
    expect(rows()[0]!.textContent).toContain('en-GB');
    expect(rows()[0]!.textContent).toContain('Marks: 0');

    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(rows()).toHaveLength(40));
    // The keyboard moves on to the first report Load more brought in.
    await waitFor(() => expect(document.activeElement?.closest('.report-row')).toBe(rows()[PAGE_SIZE]));
    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(rows()).toHaveLength(45));
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
    const shown = rows().map((r) => /Report (\d+)/.exec(r.textContent ?? '')![1]);
    expect(shown).toEqual(Array.from({ length: 45 }, (_, i) => String(44 - i)));

    const filter = screen.getByRole('combobox', { name: 'Status' }) as HTMLSelectElement;
    expect([...filter.options].map((o) => o.textContent)).toEqual(['All (45)', 'Drafts (30)', 'Ready (15)', 'Uploaded (0)', 'Failed (0)', 'Withdrawn (0)']);
    fireEvent.change(filter, { target: { value: 'ready' } });
    await waitFor(() => expect(rows()).toHaveLength(15));
    for (const row of rows()) expect(within(row).getByText('Ready')).toBeTruthy();
    fireEvent.change(filter, { target: { value: 'failed' } });
    expect(await screen.findByText('No reports with this status.')).toBeTruthy();
  });

  it('searches the loaded reports, including marked phrases and suggestions', async () => {
    const marked = makeReport({ answer: 'Take the autocarro.' });
    marked.highlights = [
      {
        id: crypto.randomUUID(),
        start: 9,
        end: 18,
        exact: 'autocarro',
        prefix: 'Take the ',
        suffix: '.',
        category: 'regional_vocabulary',
        severity: 'minor',
        suggestion: 'ônibus',
        source: 'user',
      },
    ];
    const h = await seeded([makeReport({ answer: 'Nothing here.' }), marked, makeReport({ answer: 'Dial 911.', comment: 'emergency' })]);
    render(h.wrap(<PopupApp />));
    await waitFor(() => expect(rows()).toHaveLength(3));
    const search = screen.getByRole('searchbox', { name: 'Search reports' });
    fireEvent.input(search, { target: { value: 'ÔNIBUS' } });
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0]!.textContent).toContain('Take the autocarro.');
    expect(rows()[0]!.textContent).toContain('Marks: 1');
    fireEvent.input(search, { target: { value: 'emergency' } });
    await waitFor(() => expect(rows()[0]!.textContent).toContain('Dial 911.'));
    fireEvent.input(search, { target: { value: 'zzz' } });
    expect(await screen.findByText('No report matches “zzz”.')).toBeTruthy();
  });

  it('deletes a report and brings it back with Undo', async () => {
    const keep = makeReport({ answer: 'Keep me.' });
    const gone = makeReport({ answer: 'Delete me.', comment: 'with a comment' });
    const h = await seeded([keep, gone]);
    render(h.wrap(<PopupApp />));
    await waitFor(() => expect(rows()).toHaveLength(2));
    const row = rows().find((r) => r.textContent?.includes('Delete me.'))!;
    fireEvent.click(within(row).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(await h.api.getReport(gone.id).catch(() => undefined)).toBeUndefined();
    expect(screen.getByText('Report deleted.')).toBeTruthy();
    const undo = screen.getByRole('button', { name: 'Undo' });
    await waitFor(() => expect(document.activeElement).toBe(undo));
    fireEvent.click(undo);
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(await h.api.getReport(gone.id)).toEqual(gone);
    expect((await h.api.getState()).counts.draft).toBe(2);
  });

  it('shows why an upload failed, and a note when a page cannot be read', async () => {
    const h = await seeded([makeReport({ status: 'failed', status_reason: 'rejected: answer too short' })]);
    await h.background.handle(
      { type: 'page-status', site: 'chatgpt', answers: 0, unreadable: true },
      { id: EXTENSION_ID, url: 'https://chatgpt.com/c/1', tab: { id: 3 } },
    );
    render(h.wrap(<PopupApp />));
    expect(await screen.findByText('Upload failed: rejected: answer too short')).toBeTruthy();
    expect(screen.getByText("Sounds Local can't read this page yet (ChatGPT) — report it.")).toBeTruthy();
  });

  it('copies an unreadable page’s structure for a bug report, and offers nothing to copy without one', async () => {
    const h = await createHarness();
    const fingerprint = 'sounds-local page structure v1 (tags, attribute names, class prefixes; no text)\nmain\n  div.Msg_bot [data-author]';
    const tab = (id: number) => ({ id: EXTENSION_ID, url: 'https://chatgpt.com/c/1', tab: { id } });
    await h.background.handle({ type: 'page-status', site: 'chatgpt', answers: 0, unreadable: true }, tab(3));
    const first = render(h.wrap(<PopupApp />));
    expect(await screen.findByText("Sounds Local can't read this page yet (ChatGPT) — report it.")).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Copy page structure for a bug report' })).toBeNull();
    first.unmount();
    await h.background.handle({ type: 'page-status', site: 'chatgpt', answers: 0, unreadable: true, fingerprint }, tab(3));
    let copied = '';
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: async (text: string) => void (copied = text) } });
    render(h.wrap(<PopupApp />));
    fireEvent.click(await screen.findByRole('button', { name: 'Copy page structure for a bug report' }));
    await screen.findByText(/^Copied\. Paste it into a new issue/);
    expect(copied).toBe(`Site: chatgpt\n${fingerprint}`);
  });

  it('offers "Open in tab" for a row', async () => {
    const report = makeReport();
    const h = await seeded([report]);
    render(h.wrap(<PopupApp />));
    await waitFor(() => expect(rows()).toHaveLength(1));
    fireEvent.click(within(rows()[0]!).getByRole('button', { name: 'Open in tab' }));
    expect(h.services.openInTab).toHaveBeenCalledWith(report.id);
  });
  it('names each row by site, locale, marks, status and date, so rows are told apart by ear', async () => {
    const one = makeReport({ site: 'chatgpt', expected_locale: 'pt-BR', status: 'ready', created_at: '2026-11-02T10:00:00.000Z' });
    const h = await seeded([one, makeReport({ site: 'gemini', expected_locale: 'en-GB', created_at: '2026-11-01T10:00:00.000Z' })]);
    render(h.wrap(<PopupApp />));
    await waitFor(() => expect(rows()).toHaveLength(2));
    const names = rows().map((row) =>
      within(row)
        .getByRole('button', { name: /^Open report: / })
        .getAttribute('aria-label'),
    );
    expect(names[0]).toMatch(/^Open report: ChatGPT, pt-BR, 0 marks, Ready, /);
    expect(names[1]).toMatch(/^Open report: Gemini, en-GB, /);
    expect(new Set(names).size).toBe(2);
    // The other buttons in a row are described by the same summary.
    const del = within(rows()[0]!).getByRole('button', { name: 'Delete' });
    expect(document.getElementById(del.getAttribute('aria-describedby')!)?.textContent).toBe(names[0]);
  });
});
