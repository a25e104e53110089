// @vitest-environment-options { "settings": { "fetch": { "disableSameOriginPolicy": true } } }
// The upload UI against the real background service and uploader (harness, fake-indexeddb)
// sending to the real reference receiver process, or to a scripted server for answers the
// receiver never gives. happy-dom's fetch without its same-origin check stands in for the
// extension's fetch, which host permissions exempt from CORS.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PopupApp } from '../../../components/PopupApp';
import { OptionsPage } from '../../../components/options/OptionsPage';
import { saveReport } from '../../../lib/storage/reports';
import type { Report } from '../../../lib/report';
import { runExport, startReceiver, type ReceiverProcess } from '../../../server/testing';
import { markPhrase } from '../../helpers/reports';
import { acceptAll, reply, scriptedServer, type Responder } from '../../helpers/upload';
import { createHarness, makeReport, stubI18n, stubManifest } from './harness';
import { findReportRedactions, redactReport } from '../../../lib/redact';
import { toUploaded } from '../../../lib/report';
import { outgoingSegments, redactionSpans } from '../../../lib/ui/upload';
import { readTokens } from '../../../lib/upload/credentials';

let receiver: ReceiverProcess;
beforeAll(async () => {
  receiver = await startReceiver({ env: { LOG: 'quiet' } });
});
afterAll(() => receiver?.stop());

let permissionRequests: Array<{ origins?: string[] }>;
let grant: boolean;
/** Whether the last permission request ran while the click event was being dispatched. */
let requestedDuringClick: boolean | undefined;
let clicking = false;

beforeEach(() => {
  fakeBrowser.reset();
  stubI18n();
  stubManifest('chrome');
  permissionRequests = [];
  grant = true;
  requestedDuringClick = undefined;
  // fakeBrowser has no permissions API.
  (fakeBrowser as unknown as { permissions: unknown }).permissions = {
    request: vi.fn((permissions: { origins?: string[] }) => {
      permissionRequests.push(permissions);
      requestedDuringClick = clicking;
      return Promise.resolve(grant);
    }),
  };
});
afterEach(cleanup);

/** A trusted-like click: the permission stub records whether it was called inside it. */
function click(element: Element) {
  clicking = true;
  try {
    fireEvent.click(element);
  } finally {
    clicking = false;
  }
}

const FAST = { baseDelayMs: 50, maxDelayMs: 100, timeoutMs: 5_000 };

async function setup(endpoint: string, reports: Report[], config: Record<string, number> = FAST) {
  const h = await createHarness({}, { upload: { fetch: (input, init) => fetch(input, init), config } });
  await h.api.setSettings({ endpoint });
  for (const report of reports) await saveReport(h.db, report);
  return h;
}

function withEmail(): Report {
  const answer = 'Write to ana.silva@example.com.br or call +55 11 91234-5678 about the autocarro.';
  return makeReport({
    status: 'ready',
    answer,
    expected_locale: 'pt-BR',
    highlights: [markPhrase(answer, 'autocarro', 'ônibus')],
    prompt: 'Como chego à rodoviária?',
    include_prompt: false,
    comment: 'European Portuguese vocabulary.',
    page_url: 'https://chatgpt.com/c/private',
  });
}

function withPrompt(): Report {
  return makeReport({
    status: 'ready',
    answer: 'The color of the truck is gray.',
    expected_locale: 'en-GB',
    prompt: 'What colour is the lorry? Reply to bob@example.org',
    include_prompt: true,
  });
}

/** The review card whose outgoing answer contains `text`. */
function reviewItem(text: string): HTMLElement {
  const items = [...document.querySelectorAll<HTMLElement>('.review-item')];
  const item = items.find((li) => li.querySelector('.outgoing-answer')?.textContent?.includes(text));
  if (!item) throw new Error(`no review item with "${text}"`);
  return item;
}

const sentOfType = (h: { sent: unknown[] }, type: string) => h.sent.filter((m) => (m as { type: string }).type === type) as any[];

async function openReview() {
  click(await screen.findByRole('button', { name: /^Review and upload \(\d+ ready\)$/ }));
  await screen.findByRole('heading', { name: 'Review before uploading' });
  await screen.findByRole('list', { name: 'Reports to upload' });
}

describe('the upload review', () => {
  it('shows the endpoint and each report exactly as it will be sent, redactions marked', async () => {
    const email = withEmail();
    const prompt = withPrompt();
    const h = await setup(receiver.url, [email, prompt, makeReport({ status: 'draft' })]);
    render(h.wrap(<PopupApp />));
    expect(await screen.findByRole('button', { name: 'Review and upload (2 ready)' })).toBeTruthy();
    await openReview();

    expect(screen.getByText(receiver.url, { selector: 'code' })).toBeTruthy();
    expect(screen.getAllByRole('heading', { name: /^Report \d of 2$/ })).toHaveLength(2);

    const first = reviewItem('autocarro');
    const answer = first.querySelector('.outgoing-answer')!;
    expect(answer.textContent).toBe('Write to [EMAIL] or call [PHONE] about the autocarro.');
    expect([...answer.querySelectorAll('.redacted')].map((s) => s.textContent)).toEqual(['[EMAIL]', '[PHONE]']);
    expect(answer.querySelector('mark')?.textContent).toBe('autocarro');
    expect(within(first).getByText('ônibus')).toBeTruthy();
    expect(within(first).getByText('European Portuguese vocabulary.')).toBeTruthy();
    // The question is not ticked for this report, so it is not sent; the page URL never is.
    expect(within(first).getByText('Not included.')).toBeTruthy();
    // The locale in the UI language's own words and punctuation (localeWithCode), not hard-coded brackets.
    expect(within(first).getByText('Brazilian Portuguese (pt-BR)')).toBeTruthy();
    expect(first.textContent).not.toContain('rodoviária');
    expect(first.textContent).not.toContain('chatgpt.com/c/private');
    expect(within(first).getByRole('button', { name: 'Undo: send “ana.silva@example.com.br” (e-mail address, in the answer) as written' })).toBeTruthy();
    expect(within(first).getByRole('button', { name: 'Undo: send “+55 11 91234-5678” (phone number, in the answer) as written' })).toBeTruthy();
    const chips = [...first.querySelectorAll('.chip')].map((c) => c.textContent);
    expect(chips[0]).toMatch(/^\[EMAIL\] ana\.silva@example…/);

    // Included question: shown, with its own redaction.
    const second = reviewItem('truck');
    expect(second.querySelector('.outgoing-prompt')?.textContent).toBe('What colour is the lorry? Reply to [EMAIL]');
    expect(within(second).getByRole('button', { name: 'Undo: send “bob@example.org” (e-mail address, in the question) as written' })).toBeTruthy();
    // The raw data as sent, as text.
    const raw = JSON.parse(second.querySelector('.raw pre')!.textContent!);
    expect(raw).not.toHaveProperty('page_url');
    expect(raw).not.toHaveProperty('status');
    expect(raw.prompt).toBe('What colour is the lorry? Reply to [EMAIL]');

    // First use of this endpoint: consent is asked, naming it.
    expect(screen.getByRole('checkbox', { name: `Send these reports to ${receiver.url}` })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Upload 2 reports' })).toBeTruthy();
  });

  it('undo keeps that text: the outgoing answer updates, marks stay on their words, and Replace again restores it', async () => {
    const h = await setup(receiver.url, [withEmail()]);
    render(h.wrap(<PopupApp />));
    await openReview();
    const item = reviewItem('autocarro');
    click(within(item).getByRole('button', { name: /^Undo: send “ana\.silva@example\.com\.br”/ }));
    await waitFor(() =>
      expect(item.querySelector('.outgoing-answer')!.textContent).toBe('Write to ana.silva@example.com.br or call [PHONE] about the autocarro.'),
    );
    expect(item.querySelector('.redaction-kept')?.textContent).toBe('ana.silva@example.com.br');
    expect(item.querySelector('.outgoing-answer mark')?.textContent).toBe('autocarro');
    const raw = JSON.parse(item.querySelector('.raw pre')!.textContent!);
    expect(raw.answer.slice(raw.highlights[0].start, raw.highlights[0].end)).toBe('autocarro');
    expect(within(item).getByText(/sent as written/)).toBeTruthy();

    const again = within(item).getByRole('button', { name: 'Replace “ana.silva@example.com.br” (e-mail address, in the answer) with [EMAIL] again' });
    click(again);
    await waitFor(() => expect(item.querySelector('.outgoing-answer')!.textContent).toBe('Write to [EMAIL] or call [PHONE] about the autocarro.'));
  });

  it('requires consent the first time: Upload without it explains, asks nothing and queues nothing', async () => {
    const h = await setup(receiver.url, [withPrompt()]);
    render(h.wrap(<PopupApp />));
    await openReview();
    click(screen.getByRole('button', { name: 'Upload 1 report' }));
    expect(await screen.findByText(`Tick “Send these reports to ${receiver.url}” first.`)).toBeTruthy();
    const consent = screen.getByRole('checkbox', { name: `Send these reports to ${receiver.url}` });
    expect(consent.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(consent);
    expect(permissionRequests).toEqual([]);
    expect(sentOfType(h, 'start-upload')).toEqual([]);
  });

  it('asks for the endpoint origin inside the click, then uploads with the undone redactions to the receiver', async () => {
    const email = withEmail();
    const prompt = withPrompt();
    const h = await setup(receiver.url, [email, prompt]);
    render(h.wrap(<PopupApp />));
    await openReview();
    const review = await h.api.uploadReview();
    const emailRedaction = review.groups
      .flatMap((g) => g.reports)
      .find((r) => r.id === email.id)!
      .redactions.find((r) => r.kind === 'email')!;
    click(within(reviewItem('autocarro')).getByRole('button', { name: /^Undo: send “ana\.silva/ }));
    await waitFor(() => expect(reviewItem('autocarro').querySelector('.redaction-kept')).toBeTruthy());

    click(screen.getByRole('checkbox', { name: `Send these reports to ${receiver.url}` }));
    click(screen.getByRole('button', { name: 'Upload 2 reports' }));
    expect(permissionRequests).toEqual([{ origins: ['http://127.0.0.1/*'] }]);
    expect(requestedDuringClick).toBe(true);

    expect(await screen.findByText('2 uploaded, 0 failed', {}, { timeout: 10_000 })).toBeTruthy();
    const [start] = sentOfType(h, 'start-upload');
    expect(start).toEqual({
      type: 'start-upload',
      report_ids: expect.arrayContaining([email.id, prompt.id]),
      undone: [`${email.id}/${emailRedaction.id}`],
      consent: true,
    });
    const bar = screen.getByRole('progressbar', { name: 'Upload progress' });
    expect(bar.getAttribute('aria-valuenow')).toBe('2');
    expect(bar.getAttribute('aria-valuemax')).toBe('2');
    expect((await h.api.getReport(email.id)).status).toBe('uploaded');
    await waitFor(() => expect(h.badges.at(-1)).toBe(0));

    // What the receiver holds is what the review showed.
    const dir = mkdtempSync(join(tmpdir(), 'upload-ui-export-'));
    try {
      const out = join(dir, 'reports.jsonl');
      const result = await runExport(['--format', 'jsonl', '--out', out], { DATA_DIR: receiver.dataDir });
      expect(result.code, result.output).toBe(0);
      const exported = readFileSync(out, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      const byId = new Map(exported.map((r) => [r.id, r]));
      expect(byId.get(email.id)?.answer).toBe('Write to ana.silva@example.com.br or call [PHONE] about the autocarro.');
      expect(byId.get(email.id)).not.toHaveProperty('prompt');
      expect(byId.get(prompt.id)?.prompt).toBe('What colour is the lorry? Reply to [EMAIL]');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    // Consent is remembered for this endpoint.
    cleanup();
    await h.api.saveReport(makeReport({ status: 'ready' }));
    render(h.wrap(<PopupApp />));
    await openReview();
    expect(screen.queryByRole('checkbox', { name: /^Send these reports/ })).toBeNull();
  });

  it('queues nothing and says why when the permission is refused', async () => {
    const report = withPrompt();
    const h = await setup(receiver.url, [report]);
    grant = false;
    render(h.wrap(<PopupApp />));
    await openReview();
    click(screen.getByRole('checkbox', { name: /^Send these reports to/ }));
    click(screen.getByRole('button', { name: 'Upload 1 report' }));
    const host = new URL(receiver.url).host;
    expect(
      await screen.findByText(`Nothing was uploaded: Sounds Local needs your permission to contact ${host}. Click Upload again and choose Allow.`),
    ).toBeTruthy();
    expect(sentOfType(h, 'start-upload')).toEqual([]);
    expect(await h.api.uploadStatus()).toMatchObject({ pending: 0, running: false });
    expect((await h.api.getReport(report.id)).status).toBe('ready');
    // The button is usable again for a second try.
    expect((screen.getByRole('button', { name: 'Upload 1 report' }) as HTMLButtonElement).disabled).toBe(false);
  });
});

describe('in the Firefox build (optional websiteContent data collection)', () => {
  /** What the stubbed Firefox holds after a request: granted ones are added. */
  let held: { data_collection: string[] };
  beforeEach(() => {
    held = { data_collection: [] };
    stubManifest('firefox');
    const permissions = (fakeBrowser as unknown as { permissions: Record<string, unknown> }).permissions;
    const request = permissions.request as (p: { origins?: string[]; data_collection?: string[] }) => Promise<boolean>;
    permissions.request = vi.fn((p: { origins?: string[]; data_collection?: string[] }) => {
      const granted = request(p);
      return granted.then((ok) => {
        if (ok) held.data_collection.push(...(p.data_collection ?? []));
        return ok;
      });
    });
    permissions.contains = vi.fn((p: { data_collection?: string[] }) =>
      Promise.resolve((p.data_collection ?? []).every((d) => held.data_collection.includes(d))),
    );
  });

  async function clickUpload(h: Awaited<ReturnType<typeof setup>>) {
    render(h.wrap(<PopupApp />));
    await openReview();
    click(screen.getByRole('checkbox', { name: /^Send these reports to/ }));
    click(screen.getByRole('button', { name: 'Upload 1 report' }));
  }

  it('asks for the endpoint origin and websiteContent together, inside the click, then queues and uploads', async () => {
    const report = withPrompt();
    const h = await setup(receiver.url, [report]);
    await clickUpload(h);
    expect(permissionRequests).toEqual([{ origins: ['http://127.0.0.1/*'], data_collection: ['websiteContent'] }]);
    expect(requestedDuringClick).toBe(true);
    expect(await screen.findByText('1 uploaded, 0 failed', {}, { timeout: 10_000 })).toBeTruthy();
    expect(sentOfType(h, 'start-upload')).toHaveLength(1);
    expect((await h.api.getReport(report.id)).status).toBe('uploaded');
  });

  it('queues nothing and says Firefox’s permission to send website content was declined', async () => {
    const report = withPrompt();
    const h = await setup(receiver.url, [report]);
    grant = false;
    await clickUpload(h);
    expect(
      await screen.findByText(
        "Firefox's permission to send website content was declined; nothing was uploaded. Your reports stay on this computer. To upload them, click Upload again and choose Allow.",
      ),
    ).toBeTruthy();
    expect(sentOfType(h, 'start-upload')).toEqual([]);
    expect(await h.api.uploadStatus()).toMatchObject({ pending: 0, running: false });
    expect((await h.api.getReport(report.id)).status).toBe('ready');
    expect((screen.getByRole('button', { name: 'Upload 1 report' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('names the endpoint when websiteContent was already granted and only the origin was declined', async () => {
    held.data_collection.push('websiteContent');
    const h = await setup(receiver.url, [withPrompt()]);
    grant = false;
    await clickUpload(h);
    const host = new URL(receiver.url).host;
    expect(
      await screen.findByText(`Nothing was uploaded: Sounds Local needs your permission to contact ${host}. Click Upload again and choose Allow.`),
    ).toBeTruthy();
    expect(sentOfType(h, 'start-upload')).toEqual([]);
  });
});

describe('while and after uploading', () => {
  it('shows progress from upload-status, then "N uploaded, M failed" and the server’s reason on failed reports', async () => {
    const good = makeReport({ status: 'ready', answer: 'The colour is grey.' });
    const bad = makeReport({ status: 'ready', answer: 'Apanhe o autocarro.' });
    // Slow enough to see the bar move; one report accepted, one rejected with a reason.
    const slowVerdict: Responder = (req, res) => {
      setTimeout(() => {
        const { reports } = JSON.parse(req.body) as { reports: Array<{ id: string }> };
        const results = reports.map((r) =>
          r.id === bad.id ? { id: r.id, status: 'rejected', reason: 'expected_locale: this drive collects en-GB only' } : { id: r.id, status: 'accepted' },
        );
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ results }));
      }, 1_200);
    };
    const server = await scriptedServer(slowVerdict);
    try {
      const h = await setup(server.url, [good, bad]);
      render(h.wrap(<PopupApp />));
      await openReview();
      click(screen.getByRole('checkbox', { name: /^Send these reports to/ }));
      click(screen.getByRole('button', { name: 'Upload 2 reports' }));

      const bar = await screen.findByRole('progressbar', { name: 'Upload progress' });
      expect(screen.getByRole('heading', { name: 'Uploading reports' })).toBeTruthy();
      expect(bar.getAttribute('aria-valuemax')).toBe('2');
      expect(bar.getAttribute('aria-valuenow')).toBe('0');
      expect(screen.getByText('Uploading…')).toBeTruthy();
      // The badge counts what is left: both reports are still on their way.
      await waitFor(() => expect(h.badges.at(-1)).toBe(2));

      expect(await screen.findByText('1 uploaded, 1 failed', {}, { timeout: 10_000 })).toBeTruthy();
      expect(screen.getByRole('heading', { name: 'Upload finished' })).toBeTruthy();
      expect(bar.getAttribute('aria-valuenow')).toBe('2');
      const failed = screen.getByRole('region', { name: 'Not uploaded' });
      expect(within(failed).getByText('Upload failed: The endpoint rejected this report: expected_locale: this drive collects en-GB only')).toBeTruthy();
      await waitFor(() => expect(h.badges.at(-1)).toBe(1));

      // Back in the list, the failed report carries the same reason.
      click(screen.getByRole('button', { name: /Back to reports/ }));
      expect(await screen.findByText('Upload failed: The endpoint rejected this report: expected_locale: this drive collects en-GB only')).toBeTruthy();
      expect(screen.queryByRole('button', { name: /^Review and upload/ })).toBeNull();
    } finally {
      await server.close();
    }
  });

  it('keeps reports queued on a non-JSON or wrong-shape answer, says when it retries, and Retry now sends again', async () => {
    const server = await scriptedServer(
      reply(200, '<html><body>Bad gateway</body></html>', { 'Content-Type': 'text/html' }),
      reply(200, { ok: true, saved: 2 }),
      acceptAll,
    );
    try {
      const reports = [makeReport({ status: 'ready' }), makeReport({ status: 'ready' })];
      // The real backoff (30 s and up): only Retry now makes the next attempt happen in this test.
      const h = await setup(server.url, reports, { baseDelayMs: 60_000, maxDelayMs: 120_000, timeoutMs: 5_000 });
      render(h.wrap(<PopupApp />));
      await openReview();
      click(screen.getByRole('checkbox', { name: /^Send these reports to/ }));
      click(screen.getByRole('button', { name: 'Upload 2 reports' }));

      const notJson = await screen.findByText(
        /^The endpoint answered 200 but not with JSON \(it began “<html><body>Bad gateway<\/body><\/html>”\); will retry\.$/,
        {},
        { timeout: 10_000 },
      );
      expect(notJson.closest('[role="alert"]')).toBeTruthy();
      expect(screen.getByText(/^Will retry at \d{1,2}:\d\d( [AP]M)? — 2 reports waiting to be sent\.$/)).toBeTruthy();
      for (const r of reports) expect((await h.api.getReport(r.id)).status).toBe('uploading');
      await waitFor(() => expect(h.badges.at(-1)).toBe(2));

      // Reopening the popup shows the same state above the list.
      cleanup();
      render(h.wrap(<PopupApp />));
      const banner = await screen.findByRole('region', { name: 'Upload' });
      expect(within(banner).getByText(/not with JSON/)).toBeTruthy();

      click(within(banner).getByRole('button', { name: 'Retry now' }));
      expect(
        await screen.findByText(
          /^The endpoint answered 200 but not with upload results \(it began “\{"ok":true,"saved":2\}”\); will retry\.$/,
          {},
          { timeout: 10_000 },
        ),
      ).toBeTruthy();
      for (const r of reports) expect((await h.api.getReport(r.id)).status).toBe('uploading');

      click(screen.getByRole('button', { name: 'Retry now' }));
      await waitFor(() => expect(screen.queryByRole('region', { name: 'Upload' })).toBeNull(), { timeout: 10_000 });
      for (const r of reports) expect((await h.api.getReport(r.id)).status).toBe('uploaded');
      expect(server.requests).toHaveLength(3);
      // The same batch each time: one Idempotency-Key across the retries.
      expect(new Set(server.requests.map((r) => r.headers['idempotency-key'])).size).toBe(1);
      await waitFor(() => expect(h.badges.at(-1)).toBe(0));
    } finally {
      await server.close();
    }
  });

  it('explains when no endpoint is set yet, with a way to the settings', async () => {
    const h = await createHarness({}, { upload: { fetch: (input, init) => fetch(input, init), config: FAST } });
    await saveReport(h.db, makeReport({ status: 'ready' }));
    render(h.wrap(<PopupApp />));
    click(await screen.findByRole('button', { name: 'Review and upload (1 ready)' }));
    expect(await screen.findByText('Set the community endpoint in the options first, or move these reports to a drive.')).toBeTruthy();
    click(screen.getByRole('button', { name: 'Set the endpoint in Settings' }));
    expect(h.services.openOptions).toHaveBeenCalled();
    expect(screen.queryByRole('button', { name: /^Upload/ })).toBeNull();
  });
});

describe('the community endpoint in the options', () => {
  it('saves the endpoint and token, shows the background’s message for a bad address, and hides the token until asked', async () => {
    const h = await createHarness();
    render(h.wrap(<OptionsPage />));
    const section = await screen.findByRole('region', { name: 'Community endpoint' });
    expect(within(section).getByText('No endpoint yet: reports stay in this browser.')).toBeTruthy();
    const url = within(section).getByRole('textbox', { name: 'Endpoint address' }) as HTMLInputElement;
    const save = within(section).getByRole('button', { name: 'Save endpoint' });

    fireEvent.input(url, { target: { value: 'http://example.org/api' } });
    click(save);
    const error = await within(section).findByText(/Reports are only sent over https: use https:\/\/example\.org\/api/);
    expect(url.getAttribute('aria-invalid')).toBe('true');
    expect(url.getAttribute('aria-describedby')).toContain(error.id);
    expect((await h.api.getState()).settings.endpoint).toBeUndefined();

    const token = within(section).getByLabelText('Access token (optional)') as HTMLInputElement;
    expect(token.type).toBe('password');
    click(within(section).getByRole('button', { name: 'Show token' }));
    expect(token.type).toBe('text');
    click(within(section).getByRole('button', { name: 'Hide token' }));
    expect(token.type).toBe('password');

    fireEvent.input(url, { target: { value: 'https://data.example.org/sounds-local/' } });
    fireEvent.input(token, { target: { value: 's3cret-token' } });
    click(save);
    expect(await within(section).findByText('Saved. Reports you upload go to https://data.example.org/sounds-local.')).toBeTruthy();
    expect(url.getAttribute('aria-invalid')).toBeNull();
    const state = await h.api.getState();
    // The harness has chosen a default locale already (no first-run question in these tests).
    expect(state.settings).toEqual({ default_locale: 'en-GB', endpoint: 'https://data.example.org/sounds-local', consented_endpoints: [] });
    expect(state.endpoint_has_token).toBe(true);
    // Filed under the endpoint's origin, never in the settings record or back on the page.
    expect(await readTokens(h.db)).toEqual({ 'https://data.example.org': { '': 's3cret-token' } });
    await waitFor(() => expect(within(section).getByText('https://data.example.org/sounds-local', { selector: 'code' })).toBeTruthy());
    expect(token.value).toBe('');
    expect(await within(section).findByText(/An access token is saved for this endpoint’s site/)).toBeTruthy();

    // Another site as endpoint: the old site's token is dropped, not carried over.
    fireEvent.input(url, { target: { value: 'https://other.example.net/sl' } });
    click(save);
    expect(await within(section).findByText('Saved. Reports you upload go to https://other.example.net/sl.')).toBeTruthy();
    expect(await readTokens(h.db)).toEqual({});
    expect((await h.api.getState()).endpoint_has_token).toBe(false);
  });
});

describe('placing redactions in the outgoing text', () => {
  it('finds each placeholder and each kept original where it is, with a mark grown over a placeholder', () => {
    const answer = 'Mail ana@example.org or bob@example.org, then call 030 1234 5678 today.';
    const report = makeReport({ answer, highlights: [markPhrase(answer, 'org or bob', 'x')] });
    const uploaded = toUploaded(report);
    const redactions = findReportRedactions(uploaded);
    expect(redactions.map((r) => r.kind)).toEqual(['email', 'email', 'phone']);
    const undone = new Set([redactions[1]!.id]);
    const outgoing = redactReport(uploaded, { redactions, undone }).report;
    expect(outgoing.answer).toBe('Mail [EMAIL] or bob@example.org, then call [PHONE] today.');

    const spans = redactionSpans(outgoing.answer, redactions, 'answer', undone);
    expect(spans.map((s) => [outgoing.answer.slice(s.start, s.end), s.kept])).toEqual([
      ['[EMAIL]', false],
      ['bob@example.org', true],
      ['[PHONE]', false],
    ]);
    const segments = outgoingSegments(outgoing.answer, spans, outgoing.highlights);
    expect(segments.map((s) => s.text).join('')).toBe(outgoing.answer);
    // The mark that touched the first address now covers its whole placeholder.
    const marked = segments.filter((s) => s.highlight).map((s) => s.text);
    expect(marked.join('')).toBe('[EMAIL] or bob');
    expect(segments.find((s) => s.text === '[EMAIL]')).toMatchObject({ redaction: { kept: false }, highlight: expect.anything() });
  });

  it('leaves a span unmarked rather than misplacing it when the review is stale', () => {
    const answer = 'Mail ana@example.org today.';
    const redactions = findReportRedactions(toUploaded(makeReport({ answer })));
    expect(redactionSpans('Something else entirely, much longer.', redactions, 'answer', new Set())).toEqual([]);
  });
});
