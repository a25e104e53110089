// meta's content script: its adapter and the shared core only (lib/content/site-script.ts).
import { meta } from '@/lib/adapters/meta';
import { siteContentScript } from '@/lib/content/site-script';

export default siteContentScript(meta);
