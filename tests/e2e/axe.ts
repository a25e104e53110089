// axe-core in real Chromium: a page's violations as readable lines, in light and dark.
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/** axe's violations on `page`, as "rule (impact): selector, selector" lines; [] when clean. */
export async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page: page as never }).analyze();
  // A page axe could not read (blank, still loading) passes nothing: that is not a clean page.
  if (result.passes.length < 10) throw new Error(`axe checked almost nothing on ${page.url()} (${result.passes.length} rules passed)`);
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** The violations in the light scheme, then in the dark one (prefixed "dark: "). */
export async function axeInBothSchemes(page: Page): Promise<string[]> {
  await page.emulateMedia({ colorScheme: 'light' });
  const light = await axeViolations(page);
  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = (await axeViolations(page)).map((v) => `dark: ${v}`);
  await page.emulateMedia({ colorScheme: 'light' });
  return [...light, ...dark];
}
