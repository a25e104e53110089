// The drift report's page outline (lib/content/fingerprint.ts): structure a maintainer can
// fix an adapter from, and nothing a user wrote or read.
import { describe, expect, it } from 'vitest';
import { describeStructure, MAX_FINGERPRINT, stripName } from '../../lib/content/fingerprint';

/** A chat page in a layout no adapter knows, full of private text in every place text can hide. */
const PRIVATE = [
  'Kaohsiung',
  'Wei-Ling',
  'wei.ling@example.tw',
  '0912345678',
  'autocarro',
  'ônibus',
  'passport',
  '6a1f0c2e-7b3d-4c55-9e21-0d8f5a1b2c3d',
  'secret-token-value',
  'MyBankPassword',
  'diagnosis',
];

function privatePage(turns = 3): string {
  const turn = (i: number) => `
    <article class="Turn_turn__x9Y2z turn-${i} css-1q2w3e" data-message-id="6a1f0c2e-7b3d-4c55-9e21-0d8f5a1b2c3d" data-author="bot" aria-label="Message from Wei-Ling">
      <div class="Bubble_botBubble__Ab12C prose" data-testid="bubble-${i}" title="wei.ling@example.tw">
        <p>My passport number and my diagnosis, Kaohsiung, 0912345678.</p>
        <a href="https://example.tw/?token=secret-token-value">autocarro</a>
        <img alt="ônibus" src="data:,x"><input value="MyBankPassword">
      </div>
      <div class="Actions_bar__Zz9" role="toolbar"><button aria-label="Copy Kaohsiung">Copy</button></div>
    </article>`;
  return `<main class="Chat_main__Q1w2"><div class="thread" role="log">${Array.from({ length: turns }, (_, i) => turn(i)).join('')}</div></main>`;
}

describe('the drift report’s page outline', () => {
  it('contains tags, attribute names and class prefixes, and no text or private attribute value', () => {
    document.body.innerHTML = privatePage();
    const outline = describeStructure(document);
    for (const secret of PRIVATE) expect(outline).not.toContain(secret);
    expect(outline.toLowerCase()).not.toMatch(/passport|diagnosis|kaohsiung|copy/);
    expect(outline).toContain('main.Chat_main');
    expect(outline).toMatch(/article\.Turn_turn\.turn-\*\.css-\* \[aria-label data-author data-message-id\] ×3/);
    expect(outline).toContain('div.Bubble_botBubble.prose [data-testid=bubble-*]\n        p\n        a\n        img\n        input');
    expect(outline).toContain('div.Actions_bar [role=toolbar]');
  });

  it('drops marker values that are not plain words (ids, hashes, anything with digits up front)', () => {
    expect(stripName('Message_botMessageBubble__a1B2c')).toBe('Message_botMessageBubble');
    expect(stripName('conversation-turn-12')).toBe('conversation-turn-*');
    expect(stripName('6a1f0c2e-7b3d')).toBe('');
    expect(stripName('w-[42px]')).toBe('w-*');
    expect(stripName('assistant')).toBe('assistant');
  });

  it('stays under its size cap on a page with hundreds of turns', () => {
    document.body.innerHTML = privatePage(400).replaceAll('turn-', 'turn');
    const outline = describeStructure(document);
    expect(outline.length).toBeLessThanOrEqual(MAX_FINGERPRINT);
    for (const secret of PRIVATE) expect(outline).not.toContain(secret);
  });
});
