import { describe, expect, it } from 'vitest';
import { CHATGPT_TAB, POPUP, startBackground } from '../helpers/background';

const capture = (answer: string, extra: Record<string, unknown> = {}) => ({
  type: 'capture',
  site: 'chatgpt',
  answer,
  conversation_id: 'conv-1',
  page_url: 'https://chatgpt.com/c/conv-1',
  ...extra,
});

describe('a second click on the same answer', () => {
  it('opens the existing draft instead of making a duplicate', async () => {
    const { send } = await startBackground();
    const first = (await send(capture('The color of the truck.'), CHATGPT_TAB)) as unknown as { ok: boolean; report_id: string };
    const second = (await send(capture('The color of the truck.'), CHATGPT_TAB)) as unknown as { ok: boolean; report_id: string; existing?: boolean };
    expect(second).toMatchObject({ ok: true, report_id: first.report_id, existing: true });
    const list = (await send({ type: 'list-reports' }, POPUP)) as unknown as { reports: unknown[] };
    expect(list.reports).toHaveLength(1);
    const state = (await send({ type: 'get-state' }, POPUP)) as unknown as { focus_report_id?: string };
    expect(state.focus_report_id).toBe(first.report_id);
  });

  it('carries a new page selection into the existing draft', async () => {
    const { send } = await startBackground();
    const answer = 'Take the autocarro to the centre.';
    const first = (await send(capture(answer), CHATGPT_TAB)) as unknown as { report_id: string };
    await send(capture(answer, { selection: { text: 'autocarro', before: 'Take the ' } }), CHATGPT_TAB);
    const { report } = (await send({ type: 'get-report', id: first.report_id }, POPUP)) as unknown as {
      report: { preselected?: { start: number; end: number } };
    };
    expect(report.preselected).toEqual({ start: 9, end: 18 });
  });

  it('makes a new report for a different answer, another conversation, or after the first was deleted', async () => {
    const { send } = await startBackground();
    const a = (await send(capture('One answer.'), CHATGPT_TAB)) as unknown as { report_id: string };
    const b = (await send(capture('Another answer.'), CHATGPT_TAB)) as unknown as { report_id: string };
    const c = (await send(capture('One answer.', { conversation_id: 'conv-2' }), CHATGPT_TAB)) as unknown as { report_id: string };
    expect(new Set([a.report_id, b.report_id, c.report_id]).size).toBe(3);
    await send({ type: 'delete-reports', ids: [a.report_id] }, POPUP);
    const again = (await send(capture('One answer.'), CHATGPT_TAB)) as unknown as { report_id: string; existing?: boolean };
    expect(again.report_id).not.toBe(a.report_id);
    expect(again.existing).toBeUndefined();
  });
});
