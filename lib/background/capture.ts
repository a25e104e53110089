// Turning a capture from a chatbot page into a draft report.
import { LIMITS, SCHEMA_VERSION, type ClientInfo, type Report } from '../report';
import type { CaptureMessage } from '../messages';
import { locateSelection } from '../anchoring';
import { formatNumber, t } from '../i18n';

export class CaptureError extends Error {
  override name = 'CaptureError';
}

export interface CaptureContext {
  now: () => Date;
  uuid: () => string;
  client: ClientInfo;
  expectedLocale: string;
  conversationRef?: string;
  driveId?: string;
}

/**
 * Where the background remembers which report an answer became (in the settings store,
 * `capture:<hash>` → report id), so a second click on the same answer opens that draft
 * instead of making a duplicate. The hash covers the conversation (its id, or the page
 * address where the site has none), the site and the answer text, salted per install like
 * conversation refs, so the store holds no readable trace of either.
 */
export async function captureKey(salt: string, capture: Pick<CaptureMessage, 'site' | 'answer' | 'conversation_id' | 'page_url'>): Promise<string> {
  const where = capture.conversation_id ? `c:${capture.conversation_id}` : `u:${capture.page_url ?? ''}`;
  const data = new TextEncoder().encode(`${salt}\u0000${capture.site}\u0000${where}\u0000${capture.answer}`);
  const digest = await crypto.subtle.digest('SHA-256', data);
  return `capture:${[...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** The page's selection placed in an answer, if it is there and non-empty. */
export function preselectionOf(capture: CaptureMessage): Report['preselected'] {
  const range = capture.selection ? locateSelection(capture.answer, capture.selection.text, capture.selection.before) : undefined;
  return range && range.end > range.start ? range : undefined;
}

export function draftFromCapture(capture: CaptureMessage, ctx: CaptureContext): Report {
  if (capture.answer.length > LIMITS.answer) {
    throw new CaptureError(t('errAnswerTooLongToKeep', [formatNumber(capture.answer.length), formatNumber(LIMITS.answer)]));
  }
  const time = ctx.now().toISOString();
  const preselected = preselectionOf(capture);
  return {
    schema_version: SCHEMA_VERSION,
    id: ctx.uuid(),
    created_at: time,
    updated_at: time,
    status: 'draft',
    site: capture.site,
    page_url: capture.page_url,
    conversation_ref: ctx.conversationRef,
    model: capture.model_label ? { label: capture.model_label, source: 'page' } : { source: 'unknown' },
    expected_locale: ctx.expectedLocale,
    answer: capture.answer,
    prompt: capture.prompt,
    include_prompt: false,
    highlights: [],
    preselected,
    drive_id: ctx.driveId,
    client: ctx.client,
  };
}
