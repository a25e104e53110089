import { describe, expect, it } from 'vitest';
import { MatchPattern } from '@webext-core/match-patterns';
import { ADAPTER_HOST_PATTERNS, SITE_ADAPTERS } from '../../../lib/adapters';
import { SITES } from '../../../lib/report';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ownFixtures, parsePage, readOwnFixture } from '../../helpers/fixtures';

describe('The site adapter registry', () => {
  it('has exactly one adapter for every chatbot site (the generic fallback is "other")', () => {
    expect(SITE_ADAPTERS.map((a) => a.site).sort()).toEqual(SITES.filter((s) => s !== 'other').sort());
  });

  it('has valid match patterns, none of them claimed by two adapters', () => {
    for (const pattern of ADAPTER_HOST_PATTERNS) expect(() => new MatchPattern(pattern)).not.toThrow();
    expect(new Set(ADAPTER_HOST_PATTERNS).size).toBe(ADAPTER_HOST_PATTERNS.length);
    const samples = [
      'https://chatgpt.com/c/1',
      'https://claude.ai/chat/1',
      'https://gemini.google.com/app/1',
      'https://copilot.microsoft.com/chats/1',
      'https://www.perplexity.ai/search/1',
      'https://chat.mistral.ai/chat/1',
      'https://huggingface.co/chat/conversation/1',
      'https://chat.deepseek.com/a/chat/s/1',
      'https://www.meta.ai/prompt/1',
      'https://grok.com/c/1',
      'https://poe.com/chat/1',
    ];
    for (const url of samples) {
      const claimants = SITE_ADAPTERS.filter((a) => a.hosts.some((p) => new MatchPattern(p).includes(url)));
      expect(claimants, url).toHaveLength(1);
    }
  });

  it('has one content script per adapter, which runs that adapter and no other', () => {
    for (const adapter of SITE_ADAPTERS) {
      const file = resolve(__dirname, '../../../entrypoints', `${adapter.site}.content.ts`);
      expect(existsSync(file), `entrypoints/${adapter.site}.content.ts`).toBe(true);
      const code = readFileSync(file, 'utf8');
      expect(code).toContain(`siteContentScript(${adapter.site})`);
      expect(code).toContain(`from '@/lib/adapters/${adapter.site}'`);
    }
  });

  it('keeps a written page of its own for every site, so each adapter is tested without ../shared', () => {
    for (const adapter of SITE_ADAPTERS) {
      const pages = ownFixtures().filter((file) => file.startsWith(adapter.site));
      expect(pages.length, `a tests/fixtures/chatbots/${adapter.site}*.html page`).toBeGreaterThan(0);
      for (const file of pages) {
        const answers = adapter.findAnswers(parsePage(readOwnFixture(file)));
        expect(answers.length, file).toBeGreaterThan(0);
        expect(
          answers.some((answer) => adapter.isFinished(answer)),
          file,
        ).toBe(true);
      }
    }
  });

  it('leaves no written page that belongs to no site', () => {
    const sites = SITE_ADAPTERS.map((a) => a.site);
    // no-finished-signal.html is the content script's page for the settle fallback (no site).
    const orphans = ownFixtures().filter((file) => !sites.some((site) => file.startsWith(site)) && file !== 'no-finished-signal.html');
    expect(orphans).toEqual([]);
  });
});
