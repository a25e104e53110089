// chatgpt's content script: its adapter and the shared core only (lib/content/site-script.ts).
import { chatgpt } from '@/lib/adapters/chatgpt';
import { siteContentScript } from '@/lib/content/site-script';

export default siteContentScript(chatgpt);
