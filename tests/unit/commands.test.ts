// The "report the answer" keyboard shortcut on the background's side, and the one message it
// sends, which the content script validates before acting on it.
import { describe, expect, it } from 'vitest';
import { isCaptureCurrentMessage, onCommand, REPORT_ANSWER_COMMAND, type CommandDeps } from '../../lib/content/commands';

function deps(activeTab: number | undefined, fail = false) {
  const sent: Array<[number, unknown]> = [];
  let queried = 0;
  const d: CommandDeps = {
    activeTabId: async () => {
      queried++;
      return activeTab;
    },
    sendToTab: async (tabId, message) => {
      if (fail) throw new Error('Could not establish connection. Receiving end does not exist.');
      sent.push([tabId, message]);
    },
  };
  return { d, sent, queried: () => queried };
}

describe('the report-answer shortcut in the background', () => {
  it('tells the tab the browser passed with the command to capture, without looking tabs up', async () => {
    const { d, sent, queried } = deps(99);
    expect(await onCommand(d, REPORT_ANSWER_COMMAND, { id: 7 })).toBe(true);
    expect(sent).toEqual([[7, { type: 'capture-current' }]]);
    expect(queried()).toBe(0);
  });

  it('falls back to the active tab when the browser passed none', async () => {
    const { d, sent } = deps(12);
    expect(await onCommand(d, REPORT_ANSWER_COMMAND)).toBe(true);
    expect(sent).toEqual([[12, { type: 'capture-current' }]]);
  });

  it('sends nothing for other commands or without a tab, and shrugs off a tab with no content script', async () => {
    const none = deps(undefined);
    expect(await onCommand(none.d, '_execute_action', { id: 3 })).toBe(false);
    expect(await onCommand(none.d, REPORT_ANSWER_COMMAND)).toBe(false);
    expect(none.sent).toEqual([]);
    expect(await onCommand(deps(4, true).d, REPORT_ANSWER_COMMAND, { id: 4 })).toBe(false);
  });
});

describe('the capture-current message the content script accepts', () => {
  it('accepts exactly { type: "capture-current" }', () => {
    expect(isCaptureCurrentMessage({ type: 'capture-current' })).toBe(true);
    expect(isCaptureCurrentMessage({ type: 'capture-current', answer: 'forged' })).toBe(false);
    expect(isCaptureCurrentMessage({ type: 'capture' })).toBe(false);
    expect(isCaptureCurrentMessage('capture-current')).toBe(false);
    expect(isCaptureCurrentMessage(null)).toBe(false);
    expect(isCaptureCurrentMessage([{ type: 'capture-current' }])).toBe(false);
  });
});
