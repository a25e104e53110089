// What the upload review screen needs besides the background: where each redaction sits in
// the text about to be sent (so it can be shown marked), recomputing a report after the
// user undoes one (the same redactReport the background runs when queuing), and the host
// permission requests that have to start inside the click.
import { redactReport, type RedactedField, type ReportRedaction } from '../redact';
import { toUploaded, type Highlight, type Report, type UploadedReport } from '../report';
import { requestEndpointPermission } from './permissions';

// The options page's drives ask too: there from ./permissions, without the redaction code.
export { requestEndpointPermission };

/** How start-upload names an undone redaction. */
export function undoKey(reportId: string, redactionId: string): string {
  return `${reportId}/${redactionId}`;
}

export interface OutgoingSegment {
  text: string;
  start: number;
  /** A redaction in this text: `kept` when the user undid it (the original goes out). */
  redaction?: { id: string; kept: boolean };
  highlight?: Highlight;
}

interface Span {
  start: number;
  end: number;
}

/**
 * Where each redaction of `field` sits in `outgoing` (that field's text as it will be sent,
 * with the redactions not in `undone` applied), in order. Redaction offsets are in the
 * unredacted text; every applied one before a position shifts it by its change in length.
 */
export function redactionSpans(
  outgoing: string,
  redactions: readonly ReportRedaction[],
  field: RedactedField,
  undone: ReadonlySet<string>,
): Array<Span & { id: string; kept: boolean }> {
  const own = redactions.filter((r) => r.field === field).sort((a, b) => a.start - b.start);
  const spans: Array<Span & { id: string; kept: boolean }> = [];
  let delta = 0;
  for (const r of own) {
    const kept = undone.has(r.id);
    const start = r.start + delta;
    const shown = kept ? r.original : r.replacement;
    // A span that doesn't describe the text (stale review) is left unmarked, never misplaced.
    if (outgoing.slice(start, start + shown.length) === shown) spans.push({ start, end: start + shown.length, id: r.id, kept });
    if (!kept) delta += r.replacement.length - (r.end - r.start);
  }
  return spans;
}

/**
 * The outgoing text cut into runs for display: plain text, redactions (placeholder or kept
 * original) and the report's marks, which may overlap a redaction (a mark that touched an
 * e-mail address grows to cover its placeholder). Concatenated, the runs are the text.
 */
export function outgoingSegments(
  text: string,
  redactions: ReadonlyArray<Span & { id: string; kept: boolean }>,
  highlights: readonly Highlight[] = [],
): OutgoingSegment[] {
  const marks = highlights.filter((h) => h.start < h.end && h.end <= text.length);
  const cuts = new Set<number>([0, text.length]);
  for (const s of [...redactions, ...marks]) {
    cuts.add(s.start);
    cuts.add(s.end);
  }
  const points = [...cuts].filter((n) => n >= 0 && n <= text.length).sort((a, b) => a - b);
  const segments: OutgoingSegment[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const start = points[i]!;
    const end = points[i + 1]!;
    if (start === end) continue;
    const redaction = redactions.find((r) => r.start <= start && end <= r.end);
    const highlight = marks.find((h) => h.start <= start && end <= h.end);
    const previous = segments.at(-1);
    // Neighbouring runs with the same redaction and mark are one run.
    if (previous && previous.redaction?.id === redaction?.id && previous.highlight?.id === highlight?.id) {
      previous.text += text.slice(start, end);
      continue;
    }
    segments.push({
      text: text.slice(start, end),
      start,
      ...(redaction ? { redaction: { id: redaction.id, kept: redaction.kept } } : {}),
      ...(highlight ? { highlight } : {}),
    });
  }
  return segments;
}

/** The report as it will be sent with some redactions undone: exactly what the background queues. */
export function outgoingWithUndone(stored: Report, redactions: readonly ReportRedaction[], undone: Iterable<string>): UploadedReport {
  return redactReport(toUploaded(stored), { redactions, undone }).report;
}

/** A long original shortened for a chip: "ana.silva@exa…". */
export function shortOriginal(text: string, max = 18): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

type GeckoSettings = { gecko?: { data_collection_permissions?: { optional?: string[] } } };

/**
 * The optional data-collection permissions this build declares: Firefox's `websiteContent`
 * in the Firefox build, none in Chrome's (Chrome has no such permission). Read from the
 * manifest the build wrote, so there is one place that decides.
 */
export function optionalDataCollection(): string[] {
  const manifest = browser.runtime.getManifest() as { browser_specific_settings?: GeckoSettings };
  return manifest.browser_specific_settings?.gecko?.data_collection_permissions?.optional ?? [];
}

/** What the upload click's permission request came to. */
export type UploadPermission = 'granted' | 'host-refused' | 'data-refused';

/**
 * Ask, in one prompt, for the endpoints' origins and (Firefox) for sending website content,
 * which reports are made of. Like requestEndpointPermission: call it synchronously from the
 * click handler. Firefox grants all or nothing; when it was declined, a look at what is held
 * tells the user which permission was missing.
 */
export function requestUploadPermission(patterns: readonly string[]): Promise<UploadPermission> {
  const dataCollection = optionalDataCollection().includes('websiteContent') ? ['websiteContent'] : [];
  if (dataCollection.length === 0) return requestEndpointPermission(patterns).then((granted) => (granted ? 'granted' : 'host-refused'));
  // Firefox 140+: `data_collection` beside `origins`; the polyfill's types predate it.
  const request = { origins: [...patterns], data_collection: dataCollection } as Parameters<typeof browser.permissions.request>[0];
  let asked: Promise<boolean>;
  try {
    asked = Promise.resolve(browser.permissions.request(request));
  } catch (error) {
    return Promise.reject(error);
  }
  return asked.then(async (granted) => {
    if (granted) return 'granted';
    const held = await Promise.resolve(
      browser.permissions.contains({ data_collection: dataCollection } as Parameters<typeof browser.permissions.contains>[0]),
    ).catch(() => false);
    return held ? 'host-refused' : 'data-refused';
  });
}
