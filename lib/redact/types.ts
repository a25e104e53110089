// What a detector reports; lib/redact.ts resolves overlaps (in detector order) and maps spans
// from the normalised copy back to the original text.
export const REDACTION_KINDS = ['email', 'phone', 'card', 'iban', 'national_id', 'secret'] as const;
export type RedactionKind = (typeof REDACTION_KINDS)[number];

/** A span found by a detector, in offsets of the text it was given. */
export interface Candidate {
  kind: RedactionKind;
  start: number;
  end: number;
}
