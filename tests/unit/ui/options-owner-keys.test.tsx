// The options page's "Withdraw keys (private)" block: the export downloads a separate JSON
// file (never the reports JSONL) with its warning; the import restores keys beside the
// reports and shows a refused file's reasons next to its own button.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { OptionsPage } from '../../../components/options/OptionsPage';
import { saveReport } from '../../../lib/storage/reports';
import { newOwnerKey } from '../../../lib/upload/credentials';
import type { Receipt } from '../../../lib/storage/db';
import { createHarness, makeReport, stubI18n } from './harness';

beforeEach(() => {
  fakeBrowser.reset();
  stubI18n();
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

async function uploadedReport(h: Awaited<ReturnType<typeof createHarness>>): Promise<Receipt> {
  const report = await saveReport(h.db, makeReport({ status: 'uploaded' }));
  const key = await newOwnerKey();
  const receipt: Receipt = {
    report_id: report.id,
    secret: key.secret,
    owner_key_hash: key.hash,
    endpoint: 'https://feedback.example.org/api',
    remote: 'accepted',
  };
  await h.db.put('receipts', receipt);
  return receipt;
}

function captureDownloads() {
  const blobs: Blob[] = [];
  vi.stubGlobal(
    'URL',
    Object.assign(Object.create(URL), URL, { createObjectURL: (blob: Blob) => (blobs.push(blob), 'blob:test/keys'), revokeObjectURL: () => {} }),
  );
  const links: HTMLAnchorElement[] = [];
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    links.push(this);
  });
  return { blobs, links };
}

function choose(input: HTMLInputElement, text: string, name: string) {
  Object.defineProperty(input, 'files', { value: [new File([text], name, { type: 'application/json' })], configurable: true });
  fireEvent.change(input);
}

describe('withdraw keys on the options page', () => {
  it('downloads the keys as a separate private JSON file, with the warning beside the button', async () => {
    const h = await createHarness();
    const receipt = await uploadedReport(h);
    const { blobs, links } = captureDownloads();
    render(h.wrap(<OptionsPage />));
    const button = await screen.findByRole('button', { name: 'Export withdraw keys' });
    expect(button.getAttribute('aria-describedby')).toBeTruthy();
    expect(document.getElementById(button.getAttribute('aria-describedby')!)?.textContent).toMatch(/anyone holding it can withdraw or change/);
    fireEvent.click(button);
    expect(await screen.findByText(/^Withdraw keys saved to sounds-local-withdraw-keys-PRIVATE-\d{4}-\d\d-\d\d\.json \(uploaded reports: 1\)\./)).toBeTruthy();
    expect(links).toHaveLength(1);
    expect(links[0]!.download).toMatch(/^sounds-local-withdraw-keys-PRIVATE-.*\.json$/);
    const file = JSON.parse(await blobs[0]!.text());
    expect(file.keys).toEqual([expect.objectContaining({ report_id: receipt.report_id, secret: receipt.secret })]);
  });

  it('says there is nothing to export, and downloads nothing, before any upload', async () => {
    const h = await createHarness();
    const { links } = captureDownloads();
    render(h.wrap(<OptionsPage />));
    fireEvent.click(await screen.findByRole('button', { name: 'Export withdraw keys' }));
    expect(await screen.findByText('No report has been uploaded from this browser, so there are no withdraw keys to export.')).toBeTruthy();
    expect(links).toHaveLength(0);
  });

  it('restores keys from a chosen file and reports a conflicting key without replacing it', async () => {
    const h = await createHarness();
    const [kept, restored] = [await uploadedReport(h), await uploadedReport(h)];
    const text = (await h.api.exportOwnerKeys()).text;
    await h.db.delete('receipts', restored.report_id);
    const other = await newOwnerKey();
    await h.db.put('receipts', { ...kept, secret: other.secret, owner_key_hash: other.hash });
    render(h.wrap(<OptionsPage />));
    choose((await screen.findByLabelText('Import withdraw keys')) as HTMLInputElement, text, 'keys.json');
    expect(await screen.findByText('Withdraw keys restored: 1. Already here: 0. Skipped because the report is not in this browser: 0.')).toBeTruthy();
    expect(screen.getByText(new RegExp(`already holds a different withdraw key for these reports \\(that key is kept\\): ${kept.report_id}$`))).toBeTruthy();
    expect((await h.db.get('receipts', kept.report_id))?.secret).toBe(other.secret);
    expect((await h.db.get('receipts', restored.report_id))?.secret).toBe(restored.secret);
  });

  it('shows why a damaged file was refused, as an alert, and changes nothing', async () => {
    const h = await createHarness();
    const receipt = await uploadedReport(h);
    const file = JSON.parse((await h.api.exportOwnerKeys()).text);
    await h.db.delete('receipts', receipt.report_id);
    file.keys[0].owner_key_hash = 'f'.repeat(64);
    render(h.wrap(<OptionsPage />));
    choose((await screen.findByLabelText('Import withdraw keys')) as HTMLInputElement, JSON.stringify(file), 'keys.json');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/^This withdraw-keys file is damaged or was changed, so nothing was imported:/);
    expect(alert.textContent).toContain(`the key for report ${receipt.report_id} does not match its hash`);
    expect(await h.db.getAll('receipts')).toEqual([]);
  });
});
