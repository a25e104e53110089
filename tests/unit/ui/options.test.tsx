import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { OptionsPage } from '../../../components/options/OptionsPage';
import { deleteAllReports, exportReports, importReportsFromFile } from '../../../lib/ui/data';
import { allReports, saveReport } from '../../../lib/storage/reports';
import type { Highlight } from '../../../lib/report';
import { createHarness, makeReport, stubI18n } from './harness';

beforeEach(() => {
  fakeBrowser.reset();
  stubI18n();
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function richReports() {
  const answer = '我們用軟件來播放視頻 👍🏽。\nسأرسل لك الفيديو على الإيميل.';
  const mark: Highlight = {
    id: crypto.randomUUID(),
    start: 3,
    end: 5,
    exact: '軟件',
    prefix: '我們用',
    suffix: '來播放視頻 👍🏽。\nسأرسل لك الفيديو ع',
    category: 'regional_vocabulary',
    severity: 'major',
    suggestion: '軟體',
    alternatives: ['程式'],
    note: 'Taiwan',
    source: 'user',
  };
  return [
    makeReport({
      answer,
      expected_locale: 'zh-TW',
      highlights: [mark],
      prompt: '怎麼播放？',
      include_prompt: true,
      comment: 'mixed',
      page_url: 'https://chatgpt.com/c/x',
    }),
    makeReport({ status: 'failed', status_reason: 'rejected', model: { label: 'GPT-5', source: 'page' } }),
    makeReport({ status: 'ready', site: 'claude', expected_locale: 'pt-BR', answer: 'Apanhe o autocarro.' }),
  ];
}

describe('data export, import and deletion', () => {
  it('round-trips every report through export → delete all → import without loss', async () => {
    const reports = richReports();
    const h = await createHarness();
    for (const r of reports) await saveReport(h.db, r);
    const before = await allReports(h.db);

    const file = await exportReports(h.api, new Date('2026-11-02T10:00:00Z'));
    expect(file.filename).toBe('sounds-local-reports-2026-11-02.jsonl');
    expect(file.count).toBe(3);
    expect(await deleteAllReports(h.api)).toBe(3);
    expect(await allReports(h.db)).toEqual([]);

    const result = await importReportsFromFile(h.api, new Blob([file.jsonl], { type: 'application/jsonl' }));
    expect(result).toEqual({ added: 3, unchanged: 0, problems: [] });
    expect(await allReports(h.db)).toEqual(before);
    // Importing the same file again changes nothing.
    expect(await importReportsFromFile(h.api, new Blob([file.jsonl]))).toEqual({ added: 0, unchanged: 3, problems: [] });
  });

  it('exports through a Blob URL and <a download>', async () => {
    const h = await createHarness();
    await saveReport(h.db, makeReport());
    const created: Blob[] = [];
    vi.stubGlobal(
      'URL',
      Object.assign(Object.create(URL), URL, {
        createObjectURL: (blob: Blob) => (created.push(blob), 'blob:test/1'),
        revokeObjectURL: () => {},
      }),
    );
    const clicks: HTMLAnchorElement[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push(this);
    });
    render(h.wrap(<OptionsPage />));
    fireEvent.click(await screen.findByRole('button', { name: 'Export reports (JSONL)' }));
    expect(await screen.findByText(/Exported 1 report to sounds-local-reports-\d{4}-\d{2}-\d{2}\.jsonl\./)).toBeTruthy();
    expect(clicks).toHaveLength(1);
    expect(clicks[0]!.download).toMatch(/\.jsonl$/);
    expect(clicks[0]!.getAttribute('href')).toBe('blob:test/1');
    expect(JSON.parse((await created[0]!.text()).trim()).schema_version).toBe(1);
    click.mockRestore();
  });

  it('imports a chosen file and shows what was added, unchanged and refused', async () => {
    const h = await createHarness();
    const existing = makeReport();
    await saveReport(h.db, existing);
    const fresh = makeReport({ answer: 'New one.' });
    const text = [JSON.stringify(existing), JSON.stringify(fresh), '{not json', JSON.stringify({ ...fresh, id: 'nope' })].join('\n');
    render(h.wrap(<OptionsPage />));
    const input = (await screen.findByLabelText('Import reports (JSONL)')) as HTMLInputElement;
    const file = new File([text], 'backup.jsonl', { type: 'application/jsonl' });
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    fireEvent.change(input);
    expect(await screen.findByText('Added or updated 1 reports; 1 were already up to date.')).toBeTruthy();
    expect(screen.getByText('2 lines could not be imported:')).toBeTruthy();
    expect(screen.getByText('line 3: not valid JSON')).toBeTruthy();
    expect(screen.getByText(/^line 4: id:/)).toBeTruthy();
    expect((await h.api.getReport(fresh.id)).answer).toBe('New one.');
  });

  it('deletes all reports only after a confirmation', async () => {
    const h = await createHarness();
    for (const r of richReports()) await saveReport(h.db, r);
    render(h.wrap(<OptionsPage />));
    fireEvent.click(await screen.findByRole('button', { name: 'Delete all reports…' }));
    expect(screen.getByRole('alertdialog').textContent).toMatch(/Delete all 3 reports from this browser\?/);
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(await allReports(h.db)).toHaveLength(3);
    fireEvent.click(screen.getByRole('button', { name: 'Delete all reports…' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, delete 3 reports' }));
    expect(await screen.findByText('Deleted 3 reports.')).toBeTruthy();
    expect(await allReports(h.db)).toHaveLength(0);
  });

  it('keeps the keyboard inside the delete confirmation and gives it back to the Delete button on Cancel or Escape', async () => {
    const h = await createHarness();
    for (const r of richReports()) await saveReport(h.db, r);
    render(h.wrap(<OptionsPage />));
    const opener = await screen.findByRole('button', { name: 'Delete all reports…' });
    fireEvent.click(opener);
    const dialog = screen.getByRole('alertdialog');
    const [confirm, cancel] = within(dialog).getAllByRole('button');
    await waitFor(() => expect(document.activeElement).toBe(confirm));
    cancel!.focus();
    fireEvent.keyDown(cancel!, { key: 'Tab' });
    expect(document.activeElement).toBe(confirm);
    fireEvent.keyDown(confirm!, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(cancel);
    fireEvent.click(cancel!);
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Delete all reports…' })));
    fireEvent.click(screen.getByRole('button', { name: 'Delete all reports…' }));
    fireEvent.keyDown(screen.getByRole('alertdialog'), { key: 'Escape' });
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Delete all reports…' })));
    expect(await allReports(h.db)).toHaveLength(3);
  });
});

describe('the default locale', () => {
  it('pre-fills from navigator.languages by the same rule as the background, and asks which Portuguese for plain "pt"', async () => {
    vi.stubGlobal('navigator', { ...navigator, languages: ['pt', 'en-GB'] });
    const h = await createHarness({}, { firstRun: true });
    render(h.wrap(<OptionsPage />));
    const field = (await screen.findByRole('combobox', { name: 'Default expected locale' })) as HTMLInputElement;
    // lib/locale.ts defaultLocaleFrom: `pt` gets its likely region, as a capture before first run would.
    expect(field.value).toBe('pt-BR');
    fireEvent.input(field, { target: { value: 'pt' } });
    expect(await screen.findByText(/Which Portuguese\? Add the region, for example pt-BR, pt-PT\./)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Save locale' }));
    await waitFor(() => expect(field.getAttribute('aria-invalid')).toBe('true'));
    expect((await h.api.getState()).settings.default_locale).toBeUndefined();

    fireEvent.input(field, { target: { value: 'pt-br' } });
    expect(await screen.findByText('Brazilian Portuguese')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Save locale' }));
    expect(await screen.findByText('Saved. New reports expect Brazilian Portuguese.')).toBeTruthy();
    expect((await h.api.getState()).settings.default_locale).toBe('pt-BR');
    expect(field.value).toBe('pt-BR');
  });

  it('prefers a later tag with a region for the same language', async () => {
    vi.stubGlobal('navigator', { ...navigator, languages: ['zh', 'zh-TW', 'en'] });
    const h = await createHarness({}, { firstRun: true });
    render(h.wrap(<OptionsPage />));
    const field = (await screen.findByRole('combobox', { name: 'Default expected locale' })) as HTMLInputElement;
    expect(field.value).toBe('zh-TW');
  });
});

describe('supported sites', () => {
  it('lists the sites from the adapter registry', async () => {
    const h = await createHarness();
    render(h.wrap(<OptionsPage />));
    const section = await screen.findByRole('region', { name: 'Supported sites' });
    expect(section.textContent).toContain('ChatGPT');
    expect(section.textContent).toContain('chatgpt.com');
  });
});

describe('the UI language choice', () => {
  it('says the choice reaches the button on chatbot pages and the menus too, not only the popup and this page', async () => {
    const h = await createHarness();
    render(h.wrap(<OptionsPage />));
    const picker = await screen.findByRole('combobox', { name: 'Language of Sounds Local' });
    const help = document.getElementById(picker.getAttribute('aria-describedby')!)!.textContent!;
    expect(help).toContain('the button on chatbot pages');
    expect(help).toContain('right-click menu');
    expect(help).not.toMatch(/button on chatbot pages and the toolbar follow the browser/);
  });
});
