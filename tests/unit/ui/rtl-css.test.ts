// The UI mirrors for right-to-left languages only if its stylesheet speaks in logical
// directions (inline-start/end), never in physical left/right. This reads components/ui.css
// and fails on any physical-direction property or value, naming the line.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const CSS = readFileSync(resolve(__dirname, '../../../components/ui.css'), 'utf8');

/** Declarations that must stay physical, as "selector-substring|declaration": none today. */
const ALLOWED: string[] = [];

/** Physical left/right in a declaration: a property (margin-left, left:, border-right…) or a value (float: left, text-align: right). */
const PHYSICAL = /(^|[\s;{])((margin|padding|border)-(left|right)[\w-]*|left|right|border-(top|bottom)-(left|right)-radius)\s*:|:\s*[^;{}]*\b(left|right)\b/;

function physicalLines(css: string): string[] {
  const withoutComments = css.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '));
  return withoutComments
    .split('\n')
    .map((line, i) => ({ line: line.trim(), at: i + 1 }))
    .filter(({ line }) => PHYSICAL.test(line) && !ALLOWED.some((a) => line.includes(a)))
    .map(({ line, at }) => `${at}: ${line}`);
}

describe('ui.css for right-to-left', () => {
  it('uses logical properties and values, never physical left/right', () => {
    expect(physicalLines(CSS)).toEqual([]);
  });

  it('catches a physical property or value when one is written', () => {
    expect(
      physicalLines('.a { margin-left: 4px; }\n.b { float: right; }\n.c { text-align: left; }\n.d { left: 0; }\n.e { border-top-right-radius: 2px; }'),
    ).toHaveLength(5);
    expect(physicalLines('.a { margin-inline-start: 4px; text-align: start; inset-inline-end: 0; }\n/* left */')).toEqual([]);
  });
});
