// The one list of site adapters. Each has its own content script (entrypoints/<site>.content.ts,
// matching the adapter's hosts); the background finds a page's site here.
import { MatchPattern } from '@webext-core/match-patterns';
import type { SiteAdapter } from './types';
import { chatgpt } from './chatgpt';
import { claude } from './claude';
import { gemini } from './gemini';
import { copilot } from './copilot';
import { perplexity } from './perplexity';
import { mistral } from './mistral';
import { huggingchat } from './huggingchat';
import { deepseek } from './deepseek';
import { meta } from './meta';
import { grok } from './grok';
import { poe } from './poe';

export const SITE_ADAPTERS: readonly SiteAdapter[] = [chatgpt, claude, gemini, copilot, perplexity, mistral, huggingchat, deepseek, meta, grok, poe];

export const ADAPTER_HOST_PATTERNS: string[] = SITE_ADAPTERS.flatMap((adapter) => adapter.hosts);

/** The adapter for a page URL, by the same match patterns the manifest uses. */
export function adapterFor(url: string): SiteAdapter | undefined {
  return SITE_ADAPTERS.find((adapter) => adapter.hosts.some((pattern) => new MatchPattern(pattern).includes(url)));
}
