import { openSoundsLocalDb } from '../../lib/storage/db';
import { createBackground, type MessageSender } from '../../lib/background/service';

export const EXTENSION_ID = 'abcdefghijklmnopabcdefghijklmnop';
export const EXTENSION_ORIGIN = `chrome-extension://${EXTENSION_ID}/`;
export const POPUP: MessageSender = { id: EXTENSION_ID, url: `${EXTENSION_ORIGIN}popup.html` };
export const CHATGPT_TAB: MessageSender = { id: EXTENSION_ID, url: 'https://chatgpt.com/c/1', tab: { id: 7 } };

let n = 0;
/** The real background service over a fresh fake-indexeddb database. */
export async function startBackground() {
  const db = await openSoundsLocalDb(`background-test-${++n}-${Math.random()}`);
  const badges: { count: number; warning?: string }[] = [];
  const logs: string[] = [];
  const background = createBackground({
    db,
    extensionId: EXTENSION_ID,
    extensionOrigin: EXTENSION_ORIGIN,
    client: { name: 'sounds-local', version: '0.1.0', browser: 'chrome' },
    uiLanguages: () => ['en-GB'],
    setBadge: (count, warning) => badges.push({ count, warning }),
    openPopup: async () => false,
    log: (m) => logs.push(m),
  });
  return { db, background, badges, logs, send: background.handle };
}
