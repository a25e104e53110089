import type { SiteId } from '../report';

/**
 * One chatbot site (DESIGN.md §6). Data-like and small: host patterns, ordered selector
 * fallbacks (most stable signal first) and a few functions. No site-specific `if` lives
 * anywhere else.
 */
export interface SiteAdapter {
  site: SiteId;
  /** Match patterns for the manifest's content script. */
  hosts: string[];
  /** Assistant answers under root, finished or still streaming, in page order. */
  findAnswers(root: ParentNode): Element[];
  /** False while the answer is still streaming. */
  isFinished(answer: Element): boolean;
  /** The answer's text without UI chrome, paragraphs and list items on their own lines. */
  readAnswer(answer: Element): string;
  /** The user's turn before this answer. */
  readPrompt(answer: Element): string | undefined;
  /** Where the site's own copy/thumbs buttons are, if found. */
  actionBar(answer: Element): Element | undefined;
  modelLabel(doc: Document, answer?: Element): string | undefined;
  conversationId(url: URL): string | undefined;
  /**
   * True while the page shows a control that stops a running answer (a stop/cancel button
   * in the composer). The injector's settle fallback (issue 7) counts an answer finished
   * when its text has not changed for a settle interval while this is false, so a missing
   * or renamed site signal delays the button instead of removing it. Optional: without
   * it, only the settle interval applies.
   */
  isGenerating?(doc: Document): boolean;
  /**
   * Attributes whose change can finish an answer (e.g. Claude's `data-is-streaming`). The
   * injector watches only these attributes, so site knowledge stays in the adapter.
   */
  streamingAttributes?: readonly string[];
}
