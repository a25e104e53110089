// copilot's content script: its adapter and the shared core only (lib/content/site-script.ts).
import { copilot } from '@/lib/adapters/copilot';
import { siteContentScript } from '@/lib/content/site-script';

export default siteContentScript(copilot);
