// @vitest-environment-options { "settings": { "fetch": { "disableSameOriginPolicy": true } } }
// The popup's suggested marks for a report of a drive include the drive's own glossary
// (DESIGN §13): the real background joins the drive from a real local HTTP server serving
// the manifest and a CSV glossary, and the editor offers its term.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import type { ServerResponse } from 'node:http';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { PopupApp } from '../../../components/PopupApp';
import { OptionsPage } from '../../../components/options/OptionsPage';
import { scriptedServer, type RecordedRequest } from '../../helpers/upload';
import { createHarness, stubI18n } from './harness';

const servers: Array<{ close(): Promise<void> }> = [];
beforeEach(() => {
  fakeBrowser.reset();
  stubI18n();
});
afterEach(async () => {
  cleanup();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function driveHost(glossaryUrl: (base: string) => string | undefined, glossaryUp: () => boolean = () => true) {
  const glossary = 'term,suggestion,category,note\ndish cloth,tea towel,regional_vocabulary,What people in Leeds say\n';
  const host = await scriptedServer((req: RecordedRequest, res: ServerResponse) => {
    if (req.url === '/glossary.csv' && glossaryUp()) return void res.writeHead(200, { 'Content-Type': 'text/csv' }).end(glossary);
    if (req.url !== '/v1/drives/uk-2026') return void res.writeHead(404).end();
    const url = glossaryUrl(host.url);
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(
      JSON.stringify({
        id: 'uk-2026',
        name: 'Yorkshire English 2026',
        organizer: 'Leeds Language Club',
        description: 'Where answers sound American.',
        locales: ['en-GB'],
        endpoint: host.url,
        guidelines: { en: 'Mark American words.' },
        license: 'CC-BY-4.0',
        privacy_url: 'https://example.org/privacy',
        requires_token: false,
        ...(url ? { glossary_url: url } : {}),
      }),
    );
  });
  servers.push(host);
  return host;
}

async function openReportOfDrive(host: { url: string }, answer: string) {
  const h = await createHarness({}, { upload: { fetch: (input, init) => fetch(input, init) } });
  const joined = await h.api.joinDrive(await h.api.previewDrive(`${host.url}/v1/drives/uk-2026`));
  const id = await h.capture({ answer });
  expect((await h.api.getReport(id)).drive_id).toBe('uk-2026');
  render(h.wrap(<PopupApp />));
  return { ...h, id, joined };
}

describe('suggested marks from a drive’s glossary', () => {
  it('offers the term of the report’s drive glossary, and an accepted one is marked glossary:drive-<id>', async () => {
    const host = await driveHost((base) => `${base}/glossary.csv`);
    const h = await openReportOfDrive(host, 'Dry the cups with a dish cloth.');
    expect(h.joined.glossary_entries).toBe(1);
    const panel = await screen.findByRole('region', { name: /Likely mismatches/ });
    expect(
      within(panel)
        .getAllByRole('listitem')
        .map((li) => `${li.querySelector('.mark-exact')!.textContent}→${li.querySelector('.mark-suggestion')!.textContent}`),
    ).toEqual(['dish cloth→tea towel']);
    fireEvent.click(within(panel).getByRole('button', { name: 'Accept: mark “dish cloth”, a local would say “tea towel”' }));
    await waitFor(async () => expect((await h.api.getReport(h.id)).highlights).toHaveLength(1));
    expect((await h.api.getReport(h.id)).highlights[0]).toMatchObject({
      exact: 'dish cloth',
      suggestion: 'tea towel',
      category: 'regional_vocabulary',
      note: 'What people in Leeds say',
      source: 'glossary:drive-uk-2026',
    });
  });

  it('offers nothing from a drive without a glossary (the other sources still speak)', async () => {
    const host = await driveHost(() => undefined);
    await openReportOfDrive(host, 'Dry the cups with a dish cloth. The color is gray.');
    const panel = await screen.findByRole('region', { name: /Likely mismatches/ });
    expect(
      within(panel)
        .getAllByRole('listitem')
        .map((li) => li.querySelector('.mark-exact')!.textContent),
    ).toEqual(['color', 'gray']);
  });
});

describe('a drive whose glossary can’t be read, on the options page', () => {
  it('says so on the joined drive’s card with the reason, and the notice goes once the glossary reads again', async () => {
    let up = false;
    const host = await driveHost(
      (base) => `${base}/glossary.csv`,
      () => up,
    );
    const h = await createHarness({}, { upload: { fetch: (input, init) => fetch(input, init) } });
    const joined = await h.api.joinDrive(await h.api.previewDrive(`${host.url}/v1/drives/uk-2026`));
    expect(joined.glossary_error).toBeTruthy();

    render(h.wrap(<OptionsPage />));
    const card = (await screen.findByRole('heading', { name: 'Yorkshire English 2026' })).closest('li')!;
    const notice = await within(card as HTMLElement).findByText(/This drive’s glossary could not be read/);
    expect(notice.closest('.notice')!.textContent).toContain(`Reason: \u2068${joined.glossary_error}\u2069`);
    cleanup();

    // The organiser fixes it: the options page reads the drive again when it opens.
    up = true;
    render(h.wrap(<OptionsPage />));
    const again = (await screen.findByRole('heading', { name: 'Yorkshire English 2026' })).closest('li')! as HTMLElement;
    await waitFor(() => expect(within(again).queryByText(/glossary could not be read/)).toBeNull());
    expect((await h.db.get('drives', 'uk-2026'))!.glossary_error).toBeUndefined();
  });
});
