// claude's content script: its adapter and the shared core only (lib/content/site-script.ts).
import { claude } from '@/lib/adapters/claude';
import { siteContentScript } from '@/lib/content/site-script';

export default siteContentScript(claude);
