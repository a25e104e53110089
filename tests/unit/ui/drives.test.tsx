// @vitest-environment-options { "settings": { "fetch": { "disableSameOriginPolicy": true } } }
// The drive UI against the real background (harness, fake-indexeddb) and the real reference
// receiver process hosting drives: joining from the options page (permission asked inside
// the click), the review grouped per drive with a per-report choice, and the editor's drive
// picker with the drive's guidelines and category subset.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { OptionsPage } from '../../../components/options/OptionsPage';
import { PopupApp } from '../../../components/PopupApp';
import { ReportEditor } from '../../../components/ReportEditor';
import { saveReport } from '../../../lib/storage/reports';
import { startReceiver, type ReceiverProcess } from '../../../server/testing';
import { createHarness, makeReport, stubI18n, stubManifest } from './harness';
import { tabbables } from '../../../components/focusTrap';

const manifest = (endpoint: string, id: string, overrides: Record<string, unknown> = {}) => ({
  id,
  name: `Drive ${id}`,
  organizer: 'Taipei Language Meetup',
  description: 'Mainland vocabulary in answers for Taiwan.',
  locales: ['zh-TW'],
  endpoint,
  guidelines: { en: 'Mark mainland vocabulary; one report per answer.' },
  categories: ['regional_vocabulary', 'wrong_script'],
  license: 'CC-BY-4.0',
  privacy_url: 'https://example.org/privacy',
  requires_token: false,
  ...overrides,
});

let receiver: ReceiverProcess;
beforeAll(async () => {
  // The manifests name the receiver's own URL, known only once it listens: start, then write them.
  receiver = await startReceiver({ env: { LOG: 'quiet' } });
  const { writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  writeFileSync(join(receiver.dataDir, 'drives', 'tw-2026.json'), JSON.stringify(manifest(receiver.url, 'tw-2026')));
  writeFileSync(join(receiver.dataDir, 'drives', 'bad.json'), JSON.stringify({ ...manifest(receiver.url, 'bad'), license: 'MIT', locales: [] }));
});
afterAll(() => receiver?.stop());

let permissionRequests: Array<{ origins?: string[] }>;
let clicking = false;
let requestedDuringClick: boolean | undefined;
beforeEach(() => {
  fakeBrowser.reset();
  stubI18n();
  stubManifest('chrome');
  permissionRequests = [];
  (fakeBrowser as unknown as { permissions: unknown }).permissions = {
    request: vi.fn((p: { origins?: string[] }) => {
      permissionRequests.push(p);
      requestedDuringClick = clicking;
      return Promise.resolve(true);
    }),
  };
});
afterEach(cleanup);

function click(element: Element) {
  clicking = true;
  try {
    fireEvent.click(element);
  } finally {
    clicking = false;
  }
}

const harness = () =>
  createHarness({}, { upload: { fetch: (input, init) => fetch(input, init), config: { baseDelayMs: 50, maxDelayMs: 100, timeoutMs: 5_000 } } });

describe('joining from the options page', () => {
  it('shows the drive before joining, asks for its endpoint inside the Join click, then lists it; Leave removes it', async () => {
    const h = await harness();
    render(h.wrap(<OptionsPage />));
    const section = await screen.findByRole('region', { name: 'Feedback drives' });
    expect(within(section).getByText('You have not joined a drive.')).toBeTruthy();
    fireEvent.input(within(section).getByRole('textbox', { name: 'Join link or code' }), { target: { value: `${receiver.url}/v1/drives/tw-2026` } });
    click(within(section).getByRole('button', { name: 'Look up drive' }));

    const dialog = await within(section).findByRole('dialog', { name: 'Join “Drive tw-2026”?' });
    expect(within(dialog).getByText('Taipei Language Meetup')).toBeTruthy();
    expect(within(dialog).getByText(receiver.url, { selector: 'code' })).toBeTruthy();
    expect(within(dialog).getByRole('link', { name: 'CC-BY-4.0' }).getAttribute('href')).toBe('https://creativecommons.org/licenses/by/4.0/');
    expect(within(dialog).getByRole('link', { name: 'https://example.org/privacy' })).toBeTruthy();
    expect(within(dialog).getByText('Mark mainland vocabulary; one report per answer.')).toBeTruthy();
    expect(await h.db.getAll('drives')).toEqual([]);
    expect(permissionRequests).toEqual([]);

    click(within(dialog).getByRole('button', { name: 'Agree and join' }));
    expect(permissionRequests).toEqual([{ origins: ['http://127.0.0.1/*'] }]);
    expect(requestedDuringClick).toBe(true);
    expect(await within(section).findByText('Joined “Drive tw-2026”. New reports in its locale belong to it while it runs.')).toBeTruthy();
    const list = await within(section).findByRole('list', { name: 'Drives you joined' });
    expect(within(list).getByRole('heading', { name: 'Drive tw-2026' })).toBeTruthy();
    expect((await h.db.getAll('drives')).map((d) => d.id)).toEqual(['tw-2026']);
    // The pseudonym the drive's uploads carry, to paste into its review page.
    const pseudonym = (await h.db.get('drives', 'tw-2026'))!.contributor!;
    expect(pseudonym).toMatch(/^slc-[a-z2-7]{26}$/);
    expect(within(list).getByText(pseudonym, { selector: 'code' }).getAttribute('aria-describedby')).toBe('drive-tw-2026-contributor-help');
    expect(within(list).getByText(/^Sent with this drive’s uploads, and made for this drive alone\./)).toBeTruthy();

    click(within(list).getByRole('button', { name: 'Leave “Drive tw-2026”' }));
    expect(await within(section).findByText(/^You left “Drive tw-2026”\. Your reports for it are kept/)).toBeTruthy();
    await waitFor(() => expect(within(section).getByText('You have not joined a drive.')).toBeTruthy());
  });

  it('keeps the keyboard inside the join dialog, and Escape gives it back to Look up drive', async () => {
    const h = await harness();
    render(h.wrap(<OptionsPage />));
    const section = await screen.findByRole('region', { name: 'Feedback drives' });
    fireEvent.input(within(section).getByRole('textbox', { name: 'Join link or code' }), { target: { value: `${receiver.url}/v1/drives/tw-2026` } });
    const lookUp = within(section).getByRole('button', { name: 'Look up drive' });
    lookUp.focus();
    click(lookUp);
    const dialog = await within(section).findByRole('dialog', { name: 'Join “Drive tw-2026”?' });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    await waitFor(() => expect(dialog.contains(document.activeElement)).toBe(true));
    const stops = tabbables(dialog);
    expect(stops.length).toBeGreaterThan(1);
    stops[stops.length - 1]!.focus();
    fireEvent.keyDown(document.activeElement!, { key: 'Tab' });
    expect(document.activeElement).toBe(stops[0]);
    fireEvent.keyDown(document.activeElement!, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(stops[stops.length - 1]);
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    await waitFor(() => expect(within(section).queryByRole('dialog')).toBeNull());
    expect(document.activeElement).toBe(lookUp);
    expect(await h.db.getAll('drives')).toEqual([]);
  });

  it('lists every problem of an invalid manifest and joins nothing', async () => {
    const h = await harness();
    render(h.wrap(<OptionsPage />));
    const section = await screen.findByRole('region', { name: 'Feedback drives' });
    const input = within(section).getByRole('textbox', { name: 'Join link or code' });
    fireEvent.input(input, { target: { value: `${receiver.url}/v1/drives/bad` } });
    click(within(section).getByRole('button', { name: 'Look up drive' }));
    expect(await within(section).findByText('This drive’s manifest is not valid, so the drive can’t be joined:')).toBeTruthy();
    const problems = within(section).getByRole('list', { name: 'Problems with this drive' });
    expect(within(problems).getByText(/^license: license must be one of/)).toBeTruthy();
    expect(within(problems).getByText(/^locales: locales is empty/)).toBeTruthy();
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(within(section).queryByRole('button', { name: 'Agree and join' })).toBeNull();
    expect(await h.db.getAll('drives')).toEqual([]);
  });
});

describe('a drive whose manifest changed', () => {
  it('shows the change when the options open and joins the new terms only after “Agree to the change”', async () => {
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const file = join(receiver.dataDir, 'drives', 'tw-change.json');
    writeFileSync(file, JSON.stringify(manifest(receiver.url, 'tw-change')));
    const h = await harness();
    await h.api.joinDrive(await h.api.previewDrive(`${receiver.url}/v1/drives/tw-change`));
    writeFileSync(file, JSON.stringify(manifest(receiver.url, 'tw-change', { license: 'CC0-1.0', name: 'Taiwan drive, renamed' })));

    render(h.wrap(<OptionsPage />));
    const section = await screen.findByRole('region', { name: 'Feedback drives' });
    const notice = await within(section).findByText('“Drive tw-change” changed since you joined. Its reports wait until you agree to the change:');
    const alert = notice.closest('[role="alert"]') as HTMLElement;
    expect(within(alert).getByText('new name: Taiwan drive, renamed')).toBeTruthy();
    expect(within(alert).getByText('new licence: CC0-1.0')).toBeTruthy();
    expect((await h.db.get('drives', 'tw-change'))?.consented.license).toBe('CC-BY-4.0');

    click(within(alert).getByRole('button', { name: 'Agree to the change' }));
    expect(permissionRequests).toEqual([{ origins: ['http://127.0.0.1/*'] }]);
    expect(await within(section).findByText('You agreed to the changed drive “Taiwan drive, renamed”.')).toBeTruthy();
    expect(await h.db.get('drives', 'tw-change')).toMatchObject({ consented: { name: 'Taiwan drive, renamed', license: 'CC0-1.0' } });
    await waitFor(() => expect(within(section).queryByText(/changed since you joined/)).toBeNull());
  });
});

describe('the review with drives', () => {
  it('groups reports by drive with licence and endpoint, lets one be left out, and uploads only the rest', async () => {
    const h = await harness();
    await h.api.setSettings({ endpoint: receiver.url });
    const looked = await h.api.previewDrive(`${receiver.url}/v1/drives/tw-2026`);
    await h.api.joinDrive(looked);
    const inDrive = [
      makeReport({ status: 'ready', drive_id: 'tw-2026', expected_locale: 'zh-TW', answer: '這個視頻很好。' }),
      makeReport({ status: 'ready', drive_id: 'tw-2026', expected_locale: 'zh-TW', answer: '請下載軟件。' }),
    ];
    const plain = makeReport({ status: 'ready', answer: 'The color is gray.' });
    for (const r of [...inDrive, plain]) await saveReport(h.db, r);

    render(h.wrap(<PopupApp />));
    click(await screen.findByRole('button', { name: 'Review and upload (3 ready)' }));
    const driveGroup = await screen.findByRole('region', { name: 'Drive: Drive tw-2026' });
    const plainGroup = screen.getByRole('region', { name: 'Not part of a drive' });
    expect(within(driveGroup).getByText('CC-BY-4.0')).toBeTruthy();
    expect(within(driveGroup).getByText('Taipei Language Meetup')).toBeTruthy();
    expect(within(driveGroup).getByText(receiver.url, { selector: 'code' })).toBeTruthy();
    expect(within(plainGroup).getByText(receiver.url, { selector: 'code' })).toBeTruthy();
    const pseudonym = (await h.db.get('drives', 'tw-2026'))!.contributor!;
    const shown = within(driveGroup).getByText(pseudonym, { selector: 'code' });
    expect(shown.closest('p')?.textContent).toMatch(
      new RegExp(`^You appear to this drive’s reviewers as ${pseudonym}\\. A random name made for this drive only`),
    );
    expect(plainGroup.textContent).not.toMatch(/You appear to|slc-/);

    // Leave the report about 軟件 out of this upload.
    const item = within(driveGroup)
      .getAllByRole('listitem')
      .find((li) => li.textContent?.includes('請下載軟件'))!;
    const second = within(item).getByRole('checkbox', { name: /^Include report \d of 3 in this upload$/ }) as HTMLInputElement;
    expect(second.checked).toBe(true);
    click(second);
    expect(second.checked).toBe(false);
    click(screen.getByRole('checkbox', { name: `Send these reports to ${receiver.url}` }));
    click(screen.getByRole('button', { name: 'Upload 2 reports' }));
    expect(await screen.findByText('2 uploaded, 0 failed', {}, { timeout: 10_000 })).toBeTruthy();

    expect((await h.api.getReport(inDrive[0]!.id)).status).toBe('uploaded');
    expect((await h.api.getReport(inDrive[1]!.id)).status).toBe('ready');
    expect((await h.api.getReport(plain.id)).status).toBe('uploaded');
  });

  it('says how many ready reports are shown and how many wait when there are more than the review holds', async () => {
    const h = await harness();
    await h.api.setSettings({ endpoint: receiver.url });
    const tx = h.db.transaction('reports', 'readwrite');
    for (let i = 0; i < 503; i++) void tx.store.put(makeReport({ status: 'ready' }));
    await tx.done;
    const review = await h.api.uploadReview();
    expect(review).toMatchObject({ total_ready: 503, shown: 500 });
    expect(review.groups[0]!.reports).toHaveLength(500);
  });
});

describe('the drive in the editor', () => {
  it('shows the report’s drive with its guidelines, offers none or another, and narrows the categories', async () => {
    const h = await harness();
    await h.api.joinDrive(await h.api.previewDrive(`${receiver.url}/v1/drives/tw-2026`));
    const report = makeReport({ drive_id: 'tw-2026', expected_locale: 'zh-TW', answer: '這個視頻很好。' });
    await saveReport(h.db, report);
    render(h.wrap(<ReportEditor reportId={report.id} onBack={() => {}} />));
    const picker = (await screen.findByRole('combobox', { name: 'Drive' })) as HTMLSelectElement;
    await waitFor(() => expect([...picker.options].map((o) => o.textContent)).toEqual(['No drive', 'Drive tw-2026']));
    expect(picker.value).toBe('tw-2026');
    const guidelines = screen.getByText('Guidelines of “Drive tw-2026”').closest('details')!;
    expect(guidelines.open).toBe(false);
    expect(within(guidelines).getByText('Mark mainland vocabulary; one report per answer.')).toBeTruthy();

    // Mark a phrase: only the drive's categories are offered.
    const answer = document.querySelector('.answer')!;
    const text = answer.firstChild?.nodeType === 3 ? answer.firstChild : answer.querySelector('*')!.firstChild!;
    const range = document.createRange();
    range.setStart(text!, 2);
    range.setEnd(text!, 4);
    getSelection()!.removeAllRanges();
    getSelection()!.addRange(range);
    document.dispatchEvent(new Event('selectionchange'));
    click(await screen.findByRole('button', { name: 'Mark' }));
    const chips = within(await screen.findByRole('group', { name: 'Category' })).getAllByRole('radio') as HTMLInputElement[];
    const more = screen.getByRole('combobox', { name: 'More categories' }) as HTMLSelectElement;
    const offered = [...chips.map((c) => c.value), ...[...more.options].map((o) => o.value).filter(Boolean)];
    expect(offered.sort()).toEqual(['regional_vocabulary', 'wrong_script']);

    // Moving the report to no drive is saved with it (the editor saves every change by itself).
    fireEvent.change(picker, { target: { value: '' } });
    await waitFor(async () => expect((await h.api.getReport(report.id)).drive_id).toBeUndefined(), { timeout: 5_000 });
  });
});

describe('the report list after uploads', () => {
  it('shows a withdrawn report as withdrawn and an uploaded one whose correction replaced it as updated', async () => {
    const h = await harness();
    const updated = makeReport({ status: 'uploaded', answer: 'Corrected after upload.' });
    const withdrawn = makeReport({ status: 'withdrawn', answer: 'Taken back.' });
    const plain = makeReport({ status: 'uploaded', answer: 'Sent once.' });
    for (const r of [updated, withdrawn, plain]) await saveReport(h.db, r);
    const receipt = { secret: 'a'.repeat(64), owner_key_hash: 'b'.repeat(64), endpoint: receiver.url };
    await h.db.put('receipts', { report_id: updated.id, ...receipt, remote: 'updated' });
    await h.db.put('receipts', { report_id: withdrawn.id, ...receipt, remote: 'withdrawn' });
    await h.db.put('receipts', { report_id: plain.id, ...receipt, remote: 'accepted' });
    render(h.wrap(<PopupApp />));
    const row = async (text: string) => (await screen.findByText(text)).closest('li')!;
    expect([...(await row('Corrected after upload.')).querySelectorAll('.badge')].map((b) => b.textContent)).toEqual(['Uploaded', 'Updated']);
    expect([...(await row('Taken back.')).querySelectorAll('.badge')].map((b) => b.textContent)).toEqual(['Withdrawn']);
    expect([...(await row('Sent once.')).querySelectorAll('.badge')].map((b) => b.textContent)).toEqual(['Uploaded']);
  });
});
