// The one message the background sends to a chatbot page's content script: the "report the
// answer" keyboard shortcut was pressed. It lives apart from lib/messages.ts (the messages
// the background receives) because the content script validates it, and the content script
// loads zod's small `zod/mini` build, not the full one (DESIGN §12: every byte loads on every
// chatbot page).
import * as z from 'zod/mini';

// zod otherwise compiles validators with `new Function`, which the extension's CSP forbids.
z.config({ jitless: true });

/** The `commands` key in wxt.config.ts: its suggested key and description are set there. */
export const REPORT_ANSWER_COMMAND = 'report-answer';

export const CaptureCurrentMessage = z.strictObject({ type: z.literal('capture-current') });
export type CaptureCurrentMessage = z.infer<typeof CaptureCurrentMessage>;

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
