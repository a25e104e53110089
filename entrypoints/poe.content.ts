// poe's content script: its adapter and the shared core only (lib/content/site-script.ts).
import { poe } from '@/lib/adapters/poe';
import { siteContentScript } from '@/lib/content/site-script';

export default siteContentScript(poe);
