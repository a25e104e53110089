// Switch the browser.i18n stub to one of our messages files, as the browser would when its UI
// language is that one: lib/ code that makes user-visible messages should then speak it.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { formatMessage } from '../../lib/ui/i18n';

type Messages = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;

export function readMessages(tag: string): Messages {
  return JSON.parse(readFileSync(resolve(__dirname, '../../public/_locales', tag.replace('-', '_'), 'messages.json'), 'utf8'));
}

/** browser.i18n as a browser whose UI language is `tag` (one of the 14 we ship) answers it. */
export function speak(tag: string): Messages {
  const messages = readMessages(tag);
  const i18n = fakeBrowser.i18n as unknown as Record<string, unknown>;
  i18n.getMessage = (name: string, substitutions?: string | string[]) => {
    const entry = messages[name];
    if (!entry) return '';
    return formatMessage(entry, substitutions === undefined ? [] : Array.isArray(substitutions) ? substitutions : [substitutions]);
  };
  i18n.getUILanguage = () => tag;
  return messages;
}

/** Back to no browser.i18n: lib/ then falls back to the English file (tests/setup.ts). */
export function stopSpeaking(): void {
  const i18n = fakeBrowser.i18n as unknown as Record<string, unknown>;
  delete i18n.getMessage;
  delete i18n.getUILanguage;
}
