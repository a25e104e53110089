// The one message the background sends to a chatbot page's content script: the "report the
// answer" keyboard shortcut was pressed. It lives apart from lib/messages.ts (the messages the
// background receives, as zod schemas) because the content script checks it, and zod does not
// load there: even zod's small `zod/mini` build for this one object measured +4.5 kB gzipped
// on chatbot.js (13.3 → 17.7 kB), past DESIGN's 15 kB content-script budget. The check below
// is as strict as a zod strictObject: exactly `{ type: 'capture-current' }`, nothing more.

/** The `commands` key in wxt.config.ts: its suggested key and description are set there. */
export const REPORT_ANSWER_COMMAND = 'report-answer';

export interface CaptureCurrentMessage {
  type: 'capture-current';
}

/** True only for exactly `{ type: 'capture-current' }` (a plain object, no other keys). */
export function isCaptureCurrentMessage(value: unknown): value is CaptureCurrentMessage {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === 'type' && (value as { type: unknown }).type === 'capture-current';
}

export interface CommandDeps {
  /** The active tab's id, when the browser did not pass the tab with the command. */
  activeTabId(): Promise<number | undefined>;
  sendToTab(tabId: number, message: CaptureCurrentMessage): Promise<unknown>;
}

/**
 * The background's side: on the shortcut, tell the active tab's content script to capture.
 * Needs no `tabs` permission (only the tab's id is used). Returns whether a message went out.
 */
export async function onCommand(deps: CommandDeps, command: string, tab?: { id?: number }): Promise<boolean> {
  if (command !== REPORT_ANSWER_COMMAND) return false;
  const tabId = tab?.id ?? (await deps.activeTabId());
  if (tabId === undefined) return false;
  try {
    await deps.sendToTab(tabId, { type: 'capture-current' });
    return true;
  } catch {
    // No content script in that tab (not a supported chatbot page): nothing to report there.
    return false;
  }
}
