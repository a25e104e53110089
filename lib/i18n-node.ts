// Node only (the reference receiver, its command-line tools, unit tests): there is no
// browser.i18n, so messages made by lib/ (validation errors, zod problems) are read from the
// English messages file. The receiver speaks English to every client; extension contexts never
// import this module.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFallbackMessages } from './ui/i18n';

// A path, not a URL: under happy-dom (unit tests) the global URL is the DOM's.
const here = dirname(fileURLToPath(import.meta.url));
setFallbackMessages(JSON.parse(readFileSync(resolve(here, '../public/_locales/en/messages.json'), 'utf8')));
