// The built manifests: one content script per chatbot site, each matching exactly its
// adapter's hosts and bundling only its own adapter; and no more host access than before the
// split (the sites' pages through content scripts only; endpoints optional, asked at upload).
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ADAPTER_HOST_PATTERNS, SITE_ADAPTERS } from '../../lib/adapters';
import { ROOT } from './chromium';

const ENDPOINT_HOSTS = ['https://*/*', 'http://localhost/*', 'http://127.0.0.1/*'];
const builds = ['chrome-mv3', 'firefox-mv2'].map((name) => resolve(ROOT, '.output', name)).filter((dir) => existsSync(resolve(dir, 'manifest.json')));

interface ContentScriptEntry {
  matches: string[];
  js: string[];
  run_at?: string;
}

describe('the built manifest', () => {
  it('has at least one build to check', () => {
    expect(builds.length).toBeGreaterThan(0);
  });

  for (const dir of builds) {
    const name = dir.split('/').pop()!;
    const manifest = () => JSON.parse(readFileSync(resolve(dir, 'manifest.json'), 'utf8'));

    it(`${name}: runs one content script per site, matching exactly that site's adapter hosts`, () => {
      const entries: ContentScriptEntry[] = manifest().content_scripts;
      expect(entries).toHaveLength(SITE_ADAPTERS.length);
      for (const adapter of SITE_ADAPTERS) {
        const entry = entries.find((e) => e.js.includes(`content-scripts/${adapter.site}.js`));
        expect(entry, adapter.site).toBeDefined();
        expect(entry!.js).toEqual([`content-scripts/${adapter.site}.js`]);
        expect([...entry!.matches].sort()).toEqual([...adapter.hosts].sort());
        expect(entry!.run_at).toBe('document_idle');
      }
      expect(entries.flatMap((e) => e.matches).sort()).toEqual([...ADAPTER_HOST_PATTERNS].sort());
    });

    it(`${name}: asks for no host up front; endpoints stay optional`, () => {
      const m = manifest();
      expect(m.host_permissions).toBeUndefined();
      expect(m.permissions).toEqual(['alarms', 'contextMenus', 'storage', 'unlimitedStorage']);
      expect(m.optional_host_permissions ?? m.optional_permissions).toEqual(ENDPOINT_HOSTS);
    });

    it(`${name}: each site's script bundles its own adapter and no other site's`, () => {
      for (const adapter of SITE_ADAPTERS) {
        const code = readFileSync(resolve(dir, 'content-scripts', `${adapter.site}.js`), 'utf8');
        expect(code.includes(adapter.hosts[0]!), `${adapter.site}.js names its own host`).toBe(true);
        for (const other of SITE_ADAPTERS) {
          if (other === adapter) continue;
          for (const host of other.hosts) expect(code.includes(host), `${adapter.site}.js contains ${other.site}'s ${host}`).toBe(false);
        }
      }
    });
  }
});
