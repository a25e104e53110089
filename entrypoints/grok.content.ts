// grok's content script: its adapter and the shared core only (lib/content/site-script.ts).
import { grok } from '@/lib/adapters/grok';
import { siteContentScript } from '@/lib/content/site-script';

export default siteContentScript(grok);
