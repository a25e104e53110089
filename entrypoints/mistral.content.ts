// mistral's content script: its adapter and the shared core only (lib/content/site-script.ts).
import { mistral } from '@/lib/adapters/mistral';
import { siteContentScript } from '@/lib/content/site-script';

export default siteContentScript(mistral);
