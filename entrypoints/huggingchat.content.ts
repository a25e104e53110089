// huggingchat's content script: its adapter and the shared core only (lib/content/site-script.ts).
import { huggingchat } from '@/lib/adapters/huggingchat';
import { siteContentScript } from '@/lib/content/site-script';

export default siteContentScript(huggingchat);
