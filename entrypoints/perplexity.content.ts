// perplexity's content script: its adapter and the shared core only (lib/content/site-script.ts).
import { perplexity } from '@/lib/adapters/perplexity';
import { siteContentScript } from '@/lib/content/site-script';

export default siteContentScript(perplexity);
