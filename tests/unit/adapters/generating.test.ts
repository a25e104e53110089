import { describe, expect, it } from 'vitest';
import { SITE_ADAPTERS } from '../../../lib/adapters';

// Each site's control for stopping a running answer (or, for Meta AI, the answer's own
// running flag), as the site draws it. The injector's settle fallback (issue 7) counts an
// answer finished when its text stops changing while none of these shows, so a missing or
// renamed "finished" signal delays the button instead of removing it.
const RUNNING: Record<string, string> = {
  chatgpt: '<form><button data-testid="stop-button" aria-label="Stop streaming"></button></form>',
  claude: '<fieldset><button aria-label="Stop response"></button></fieldset>',
  gemini: '<button class="send-button stop"><mat-icon fonticon="stop" data-mat-icon-name="stop"></mat-icon></button>',
  copilot: '<button data-testid="stop-button" title="Stop"></button>',
  perplexity: '<div><textarea></textarea><button data-testid="stop-generating-response-button"></button></div>',
  mistral: '<form><textarea></textarea><button data-testid="stop-button"></button></form>',
  huggingchat: '<form><button class="btn stop-generating-btn">Stop generating</button></form>',
  // The send slot enabled on an empty message box: DeepSeek's stop control has no name.
  deepseek:
    '<div class="composer"><div><textarea></textarea></div><div><div role="button" class="ds-button ds-button--icon" aria-disabled="false"></div></div></div>',
  meta: '<div data-testid="assistant-message" data-streaming-state="STREAMING" data-streaming-complete="false"></div>',
  grok: '<form><button type="button" aria-label="Stop model response"></button></form>',
  poe: '<footer><button class="ChatStopMessageButton_stopButton__QOW41">Stop</button></footer>',
};

// The same composers at rest.
const IDLE: Record<string, string> = {
  gemini: '<tts-control><mat-icon fonticon="stop"></mat-icon></tts-control><button class="send-button"><mat-icon fonticon="send"></mat-icon></button>',
  deepseek:
    '<div class="composer"><div><textarea></textarea></div><div><div role="button" class="ds-button ds-button--icon" aria-disabled="true"></div></div></div>',
  meta: '<div data-testid="assistant-message" data-streaming-state="DONE" data-streaming-complete="true"></div>',
};
const IDLE_DEFAULT = '<form><textarea></textarea><button type="submit" aria-label="Send">send</button></form>';

const page = (html: string) => new DOMParser().parseFromString(`<body><main></main>${html}</body>`, 'text/html');

describe('Every adapter tells whether an answer is running', () => {
  it('covers every registered site', () => {
    expect(Object.keys(RUNNING).sort()).toEqual(SITE_ADAPTERS.map((a) => a.site).sort());
  });

  for (const adapter of SITE_ADAPTERS) {
    describe(adapter.site, () => {
      it('sees a running answer by the site’s stop control', () => {
        expect(adapter.isGenerating?.(page(RUNNING[adapter.site]!))).toBe(true);
      });

      it('sees none on the composer at rest', () => {
        expect(adapter.isGenerating?.(page(IDLE[adapter.site] ?? IDLE_DEFAULT))).toBe(false);
      });

      it('names the attributes whose change can finish an answer', () => {
        expect(adapter.streamingAttributes?.length).toBeGreaterThan(0);
        for (const name of adapter.streamingAttributes!) expect(name).toMatch(/^[a-z][a-z-]*$/);
      });
    });
  }
});
