// gemini's content script: its adapter and the shared core only (lib/content/site-script.ts).
import { gemini } from '@/lib/adapters/gemini';
import { siteContentScript } from '@/lib/content/site-script';

export default siteContentScript(gemini);
