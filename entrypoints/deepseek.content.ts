// deepseek's content script: its adapter and the shared core only (lib/content/site-script.ts).
import { deepseek } from '@/lib/adapters/deepseek';
import { siteContentScript } from '@/lib/content/site-script';

export default siteContentScript(deepseek);
