// The popup's first requests, sent before its bundle loads (lib/ui/early.ts), against the
// real background over fake IndexedDB.
import { describe, expect, it } from 'vitest';
import { createApi, ApiError, type Transport } from '../../../lib/ui/api';
import { earlyTransport, PAGE_SIZE, sendEarly } from '../../../lib/ui/early';
import { POPUP, startBackground } from '../../helpers/background';
import { makeReport } from '../../helpers/reports';

async function popupWithEarlyRequests(search = '') {
  const { background, send } = await startBackground();
  const handled: string[] = [];
  const toBackground = (message: unknown) => {
    handled.push((message as { type: string }).type);
    return send(message, POPUP);
  };
  const page = {}; // stands for the popup's window
  return { background, send, handled, page, early: () => sendEarly(toBackground, search, page), transport: toBackground as Transport };
}

describe('the popup’s first requests, sent while the page still parses', () => {
  it('answers the app’s first page and quick state from the early replies, once each, then asks afresh', async () => {
    const p = await popupWithEarlyRequests();
    const older = makeReport({ created_at: '2026-01-01T00:00:00.000Z' });
    await p.send({ type: 'save-report', report: older }, POPUP);
    p.early();
    expect(p.handled).toEqual(['list-reports', 'get-state']);
    const api = createApi(earlyTransport(p.transport, p.page));
    const newer = makeReport({ created_at: '2026-02-01T00:00:00.000Z' });
    await p.send({ type: 'save-report', report: newer }, POPUP);

    // The app's own calls, as PopupApp makes them: answered from what was sent early.
    const first = await api.listReports({ limit: PAGE_SIZE });
    const state = await api.getStateQuick();
    expect(first.reports.map((r) => r.id)).toEqual([older.id]);
    expect(state).not.toHaveProperty('counts');
    expect(p.handled).toEqual(['list-reports', 'get-state']);

    // Every later request reaches the background: the list sees the report saved since.
    const again = await api.listReports({ limit: PAGE_SIZE });
    expect(again.reports.map((r) => r.id)).toEqual([newer.id, older.id]);
    expect(p.handled).toEqual(['list-reports', 'get-state', 'list-reports']);
  });

  it('passes requests that differ from the early ones straight to the background', async () => {
    const p = await popupWithEarlyRequests();
    p.early();
    const api = createApi(earlyTransport(p.transport, p.page));
    await api.listReports({ status: 'draft', limit: PAGE_SIZE });
    await api.getState();
    expect(p.handled).toEqual(['list-reports', 'get-state', 'list-reports', 'get-state']);
  });

  it('sends nothing early for a popup opened on one report (the editor asks for other things)', async () => {
    const p = await popupWithEarlyRequests('?report=6f1c2a4e-8b7d-4c3e-9a21-0d5e6f7a8b9c&tab=1');
    p.early();
    expect(p.handled).toEqual([]);
  });

  it('shows a failed early request as the app’s own error when the app takes it', async () => {
    const page = {};
    sendEarly(() => Promise.reject(new Error('Could not establish connection. Receiving end does not exist.')), '', page);
    const api = createApi(earlyTransport(async () => ({ ok: true, reports: [], updated: [] }) as never, page));
    const error = await api.listReports({ limit: PAGE_SIZE }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as Error).message).toMatch(/Receiving end does not exist/);
  });
});
