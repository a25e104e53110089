import { describe, expect, it } from 'vitest';
import { CODE_BLOCK_HEADER, isButtonRow, nextMatching, readText } from '../../../lib/adapters/dom';

const page = (html: string) => new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');

describe('readText', () => {
  it('keeps a table row on one line when its cells hold paragraphs', () => {
    const doc = page('<table><tr><td> <div><p>Denmark</p></div> </td><td><p>~ 33 hrs</p><p>avg.</p></td></tr></table>');
    expect(readText(doc.body)).toBe('Denmark\t~ 33 hrs avg.');
  });

  it('reads an element from a replacement when the site keeps its content elsewhere', () => {
    const doc = page('<p>Energy <span class="math-inline" data-math="E=mc^2"><span class="katex">E=mc2</span></span> matters.</p>');
    const text = readText(doc.body, [], { replace: (el) => el.getAttribute('data-math') ?? undefined });
    expect(text).toBe('Energy E=mc^2 matters.');
  });

  it('leaves out a code block header found by its shape, keeping prose before the block', () => {
    const doc = page(
      '<p>Run this:</p><div><div><span>bash</span><button>Copy</button></div><div><pre><code>ls -la</code></pre></div></div>' +
        '<div><div class="label">python</div><pre><code>print(1)</code></pre></div>',
    );
    expect(readText(doc.body, [CODE_BLOCK_HEADER])).toBe('Run this:\nls -la\nprint(1)');
  });
});

describe('the shared strip list', () => {
  it('drops citation chips and the zero-width characters at their edges', () => {
    const doc = page(
      '<p>Day first.\u2060<a class="citation" href="#"><span>ABS</span></a>\u2060 Then the month.\u200b<span data-testid="webpage-citation-pill">+2</span>\ufeff</p>',
    );
    expect(readText(doc.body)).toBe('Day first. Then the month.');
  });

  it('keeps zero-width joiners that belong to the text itself', () => {
    // ZWNJ inside a Persian word and ZWJ inside an emoji sequence are part of the answer.
    const doc = page('<p>\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 👩\u200d💻</p>');
    expect(readText(doc.body)).toBe('\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 👩\u200d💻');
  });

  it('drops thinking blocks, toolbars and what the sites mark as not copied', () => {
    const doc = page(
      '<div class="thinking-container">Thought for 4s</div><p>Colour, not color.</p>' +
        '<div role="toolbar"><span>Share</span></div><span data-copy="false">Copilot said</span><p data-exclude-from-copy>Reasoning</p>',
    );
    expect(readText(doc.body)).toBe('Colour, not color.');
  });
});

describe('nextMatching and isButtonRow', () => {
  const doc = page(
    '<div class="turn"><div id="a1">answer one</div><div class="bar"><button>c</button><button>u</button><button>d</button></div></div>' +
      '<div class="turn"><div id="a2">answer two</div></div>' +
      '<div class="turn"><div id="a3">answer three</div><div class="bar"><button>c</button></div></div>',
  );
  const stop = '[id^="a"]';

  it("finds the bar after an answer, and never the next answer's bar", () => {
    expect(nextMatching(doc.getElementById('a1')!, '.bar', { levels: 3, stop })?.textContent).toBe('cud');
    expect(nextMatching(doc.getElementById('a2')!, '.bar', { levels: 3, stop })).toBeUndefined();
  });

  it('tells a row of buttons by how many it holds', () => {
    const bars = doc.querySelectorAll('.bar');
    expect(isButtonRow(bars[0])).toBe(true);
    expect(isButtonRow(bars[1])).toBe(false);
    expect(nextMatching(doc.getElementById('a3')!, '.bar', { where: (bar) => isButtonRow(bar) })).toBeUndefined();
  });
});
