// Turning a capture from a chatbot page into a draft report.
import { LIMITS, SCHEMA_VERSION, type ClientInfo, type Report } from '../report';
import type { CaptureMessage } from '../messages';
import { locateSelection } from '../anchoring';

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

export function draftFromCapture(capture: CaptureMessage, ctx: CaptureContext): Report {
  if (capture.answer.length > LIMITS.answer) {
    throw new CaptureError(
      `This answer is ${capture.answer.length.toLocaleString('en')} characters long; Sounds Local keeps answers of up to ${LIMITS.answer.toLocaleString('en')} characters. Select the part that doesn't sound local and report that instead.`,
    );
  }
  const time = ctx.now().toISOString();
  const preselected = capture.selection
    ? locateSelection(capture.answer, capture.selection.text, capture.selection.before)
    : undefined;
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
    preselected: preselected && preselected.end > preselected.start ? preselected : undefined,
    drive_id: ctx.driveId,
    client: ctx.client,
  };
}
