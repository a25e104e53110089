// A small ChatGPT page (the older layout, from bench/fixtures/conversation.ts) with one
// question and one answer of our choosing, for the suggestion tests in both browsers.
import { assistantTurnHtml, userTurnHtml } from '../../bench/fixtures/conversation';

export const ZH_ANSWER = '這個視頻介紹了如何用軟件提高產品質量。我們在網絡上收集信息，然後用鼠標點擊下載。';
export const EN_ANSWER = 'The color of the center was gray, so take the elevator to the parking lot.';

/** A ChatGPT page (older layout) with one question and one answer; `dark` paints it like the site's dark theme. */
export function chatPage(question: string, answer: string, dark = false): string {
  const style = dark
    ? 'html,body{background:#212121;color:#ececec;font-family:sans-serif} [role="group"] button{width:32px;height:32px;border:0;background:none;color:#ececec}'
    : 'html,body{background:#ffffff;color:#0d0d0d;font-family:sans-serif} [role="group"] button{width:32px;height:32px;border:0;background:none}';
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Chat - ChatGPT</title><style>${style}</style></head><body><main>` +
    userTurnHtml(1, question) +
    assistantTurnHtml(
      2,
      answer
        .split('\n')
        .map((p) => `<p>${p}</p>`)
        .join(''),
    ) +
    '</main></body></html>'
  );
}
