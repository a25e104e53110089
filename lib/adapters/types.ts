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
}
