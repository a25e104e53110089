import '../lib/zod';
// Node has no browser.i18n: lib/'s messages come from the English file unless a test stubs another.
import '../lib/i18n-node';
