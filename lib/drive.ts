// Feedback drive manifests (DESIGN.md §9, §9a–§9c): the one definition used by the extension
// (joining, defaulting, uploads) and the reference receiver (`npm run drive`, drive routes).
//
// A manifest is JSON at `{endpoint}/v1/drives/<id>`. Members join by pasting that link or a
// join code `<endpoint host[/path]>/<CODE>` (see `parseJoinInput`). The schema is lenient
// about fields it does not know (a newer manifest still loads in an older extension);
// `manifestProblems(…, { strict: true })` — what the organiser's CLI uses — names them, so a
// typo such as "licence" is caught before the drive is published.
import { z } from './zod';
import { CATEGORIES, LocaleTag, describeIssues } from './report';
import { localeKey } from './locale';
import { DRIVES_PATH, validateEndpoint } from './protocol';
import { formatByteSize, formatNumber, t } from './i18n';

/** A manifest larger than this (UTF-8 bytes) is refused by the extension and the CLI. */
export const MAX_MANIFEST_BYTES = 64 * 1024;

/** Drive ids double as file names on the receiver: letters, digits, `.`, `_`, `-`; no path tricks. */
export const DRIVE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Review needs this many agreeing votes when a drive's manifest does not say (DESIGN §14). */
export const DEFAULT_MIN_VOTES = 2;

/**
 * Licences a drive may publish under: SPDX ids of open data licences the Hugging Face Hub
 * knows. Anything else is an error, so contributors always agree to a licence they can look up.
 */
export const DRIVE_LICENSES = [
  'CC0-1.0',
  'CC-BY-4.0',
  'CC-BY-SA-4.0',
  'CC-BY-NC-4.0',
  'CC-BY-NC-SA-4.0',
  'ODC-BY-1.0',
  'ODbL-1.0',
  'PDDL-1.0',
  'CDLA-Permissive-2.0',
  'CDLA-Sharing-1.0',
] as const;
export type DriveLicense = (typeof DRIVE_LICENSES)[number];

/** Where a human reads each licence before agreeing to it. */
export const LICENSE_URLS: Record<DriveLicense, string> = {
  'CC0-1.0': 'https://creativecommons.org/publicdomain/zero/1.0/',
  'CC-BY-4.0': 'https://creativecommons.org/licenses/by/4.0/',
  'CC-BY-SA-4.0': 'https://creativecommons.org/licenses/by-sa/4.0/',
  'CC-BY-NC-4.0': 'https://creativecommons.org/licenses/by-nc/4.0/',
  'CC-BY-NC-SA-4.0': 'https://creativecommons.org/licenses/by-nc-sa/4.0/',
  'ODC-BY-1.0': 'https://opendatacommons.org/licenses/by/1-0/',
  'ODbL-1.0': 'https://opendatacommons.org/licenses/odbl/1-0/',
  'PDDL-1.0': 'https://opendatacommons.org/licenses/pddl/1-0/',
  'CDLA-Permissive-2.0': 'https://cdla.dev/permissive-2-0/',
  'CDLA-Sharing-1.0': 'https://cdla.dev/sharing-1-0/',
};

export const DRIVE_LIMITS = {
  name: 200,
  organizer: 200,
  description: 5_000,
  guidelines: 20_000,
  guidelineLanguages: 50,
  locales: 50,
  url: 2_048,
  goalReports: 100_000_000,
  minVotes: 100,
} as const;

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1']);

/** `https:`, or `http:` to localhost / 127.0.0.1 only (local testing). */
export function isSecureUrl(input: string): boolean {
  try {
    const url = new URL(input);
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname));
  } catch {
    return false;
  }
}

/** An error line for a URL that isn't https (or local http), or undefined when it is fine. */
export function httpsProblem(input: string, what: string): string | undefined {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return t('errNotWebAddressOf', [what, input.slice(0, 200)]);
  }
  if (url.protocol === 'http:' && !LOCAL_HOSTS.has(url.hostname)) return t('errMustUseHttpsOf', [what, input.slice(0, 200)]);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return t('errMustBeHttpsOf', [what, url.protocol]);
  return undefined;
}

// Messages are functions: rendered when a problem is found, in the UI language of that moment
// (English in the receiver and its CLI). Field names stay as the organiser wrote them.
const isoUtc = z.iso.datetime({ error: () => t('errIsoUtcExample') });

/** "is missing" when absent, else the type message: the organiser learns which it is. */
const typed = (what: string, expected: () => string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? t('errFieldMissing', what) : t('errFieldMustBe', [what, expected()])),
});

const text = (max: number, what: string) =>
  z.string(typed(what, () => t('errExpectText'))).max(max, { error: () => t('errFieldTooLong', [what, formatNumber(max)]) });

const required = (max: number, what: string) => text(max, what).refine((s) => s.trim() !== '', { error: () => t('errFieldEmpty', what) });

const secureUrl = (what: string) =>
  z
    .string(typed(what, () => t('errExpectWebAddress')))
    .max(DRIVE_LIMITS.url)
    .superRefine((value, ctx) => {
      const problem = httpsProblem(value, what);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });

/** A UI language for guidelines: a BCP 47 tag (`en`, `zh-TW`); region not required here. */
const GuidelineLanguage = z.string().superRefine((tag, ctx) => {
  let canonical: string | undefined;
  try {
    [canonical] = Intl.getCanonicalLocales(tag);
  } catch {
    canonical = undefined;
  }
  // 5–8 letter language subtags are well-formed but reserved: "english" is a mistake, not a tag.
  if (!canonical || !/^[a-z]{2,3}(-|$)/i.test(canonical)) ctx.addIssue({ code: 'custom', message: t('errNotLanguageTag', tag) });
  else if (canonical !== tag) ctx.addIssue({ code: 'custom', message: t('errNotCanonical', [tag, canonical]) });
});

/** Plain text for everyone, or one text per UI language (`{"en": "…", "zh-TW": "…"}`). */
export const Guidelines = z.union(
  [
    required(DRIVE_LIMITS.guidelines, 'guidelines'),
    z
      .record(GuidelineLanguage, required(DRIVE_LIMITS.guidelines, 'guidelines'))
      .refine((r) => Object.keys(r).length > 0, { error: () => t('errGuidelinesNone') })
      .refine((r) => Object.keys(r).length <= DRIVE_LIMITS.guidelineLanguages, {
        error: () => t('errGuidelinesTooMany', formatNumber(DRIVE_LIMITS.guidelineLanguages)),
      }),
  ],
  typed('guidelines', () => t('errExpectGuidelines')),
);
export type Guidelines = z.infer<typeof Guidelines>;

export const DriveManifest = z
  .object({
    id: z.string(typed('id', () => t('errExpectText'))).regex(DRIVE_ID_PATTERN, { error: () => t('errDriveIdFormat') }),
    name: required(DRIVE_LIMITS.name, 'name'),
    organizer: required(DRIVE_LIMITS.organizer, 'organizer'),
    description: text(DRIVE_LIMITS.description, 'description'),
    locales: z
      .array(
        LocaleTag,
        typed('locales', () => t('errExpectLocaleList')),
      )
      .min(1, { error: () => t('errLocalesEmpty') })
      .max(DRIVE_LIMITS.locales, { error: () => t('errFieldTooMany', ['locales', formatNumber(DRIVE_LIMITS.locales)]) })
      .superRefine((tags, ctx) => {
        const seen = new Map<string, string>();
        tags.forEach((tag, i) => {
          const key = localeKey(tag);
          const earlier = seen.get(key);
          if (earlier !== undefined) ctx.addIssue({ code: 'custom', path: [i], message: t('errSameLocale', [tag, earlier]) });
          else seen.set(key, tag);
        });
      }),
    endpoint: z
      .string(typed('endpoint', () => t('errExpectWebAddress')))
      .max(DRIVE_LIMITS.url)
      .superRefine((value, ctx) => {
        const check = validateEndpoint(value);
        if (!check.ok) ctx.addIssue({ code: 'custom', message: check.error });
      }),
    guidelines: Guidelines,
    categories: z
      .array(z.enum(CATEGORIES, { error: () => t('errNotCategory', CATEGORIES.join(', ')) }))
      .min(1, { error: () => t('errCategoriesEmpty') })
      .refine((c) => new Set(c).size === c.length, { error: () => t('errCategoriesTwice') })
      .optional(),
    glossary_url: secureUrl('glossary_url').optional(),
    license: z.enum(
      DRIVE_LICENSES,
      typed('license', () => t('errExpectLicense', DRIVE_LICENSES.join(', '))),
    ),
    privacy_url: secureUrl('privacy_url'),
    starts_at: isoUtc.optional(),
    ends_at: isoUtc.optional(),
    requires_token: z.boolean(typed('requires_token', () => t('errExpectRequiresToken'))),
    goal_reports: z
      .int({ error: () => t('errWholeNumber', 'goal_reports') })
      .positive({ error: () => t('errAtLeast', ['goal_reports', formatNumber(1)]) })
      .max(DRIVE_LIMITS.goalReports, { error: () => t('errAtMost', ['goal_reports', formatNumber(DRIVE_LIMITS.goalReports)]) })
      .optional(),
    review: z
      .strictObject({
        min_votes: z
          .int({ error: () => t('errWholeNumber', 'review.min_votes') })
          .min(1, { error: () => t('errAtLeast', ['review.min_votes', formatNumber(1)]) })
          .max(DRIVE_LIMITS.minVotes, { error: () => t('errAtMost', ['review.min_votes', formatNumber(DRIVE_LIMITS.minVotes)]) })
          .optional(),
      })
      .optional(),
    /**
     * Must be `true` when `endpoint` is on another origin than the URL the manifest is served
     * from: a member then sees that their reports go somewhere else than where the drive was
     * published, and a manifest can't quietly point uploads elsewhere.
     */
    endpoint_cross_origin: z.boolean({ error: () => t('errFieldMustBe', ['endpoint_cross_origin', t('errExpectBoolean')]) }).optional(),
    /** Set by the receiver when the organiser closes the drive (`npm run drive -- close`): no more uploads. */
    closed_at: isoUtc.optional(),
  })
  .refine((m) => !(m.starts_at && m.ends_at && Date.parse(m.ends_at) <= Date.parse(m.starts_at)), {
    path: ['ends_at'],
    error: () => t('errEndsAfterStarts'),
    // Checked even when other fields are wrong, so the organiser sees every problem at once.
    when: ({ value }) => {
      const v = value as { starts_at?: unknown; ends_at?: unknown };
      return (
        typeof v?.starts_at === 'string' && typeof v.ends_at === 'string' && !Number.isNaN(Date.parse(v.starts_at)) && !Number.isNaN(Date.parse(v.ends_at))
      );
    },
  });
export type DriveManifest = z.infer<typeof DriveManifest>;

/** Every field a manifest may have; `manifestProblems(…, { strict: true })` names any other. */
export const MANIFEST_FIELDS = Object.keys(DriveManifest.shape) as Array<keyof DriveManifest>;

// ── Where a manifest lives ────────────────────────────────────────────────────────────────

/** `{endpoint}/v1/drives/<id>`: the join link. */
export function manifestUrl(endpoint: string, id: string): string {
  return `${endpoint.replace(/\/+$/, '')}${DRIVES_PATH}/${encodeURIComponent(id)}`;
}

/** `{endpoint}/v1/drives?code=<CODE>`: the join code's lookup, answered with the manifest. */
export function codeLookupUrl(endpoint: string, code: string): string {
  return `${endpoint.replace(/\/+$/, '')}${DRIVES_PATH}?code=${encodeURIComponent(normalizeJoinCode(code) ?? code)}`;
}

/** The public drive page `{endpoint}/drives/<id>` (HTML) on the reference receiver. */
export function drivePageUrl(endpoint: string, id: string): string {
  return `${endpoint.replace(/\/+$/, '')}/drives/${encodeURIComponent(id)}`;
}

// ── Join codes ────────────────────────────────────────────────────────────────────────────
//
// A code is 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L, U), shown as
// `XXXX-XXXX`. Typed input is forgiving: case, spaces and dashes don't matter. The full code
// a member pastes names the receiver too: `<endpoint host[:port][/path]>/<XXXX-XXXX>`, e.g.
// `data.example.org/K7QM-4XPA` → https://data.example.org/v1/drives?code=K7QM4XPA.

export const JOIN_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
export const JOIN_CODE_LENGTH = 8;

/** The canonical form (8 upper-case characters, no dash), or undefined when it isn't a code. */
export function normalizeJoinCode(input: string): string | undefined {
  const compact = input.replace(/[\s-]+/g, '').toUpperCase();
  if (compact.length !== JOIN_CODE_LENGTH) return undefined;
  for (const ch of compact) if (!JOIN_CODE_ALPHABET.includes(ch)) return undefined;
  return compact;
}

/** `K7QM4XPA` → `K7QM-4XPA`, the way codes are printed and shown. */
export function formatJoinCode(code: string): string {
  const c = normalizeJoinCode(code) ?? code;
  return `${c.slice(0, 4)}-${c.slice(4)}`;
}

/** A fresh random code (canonical form), from `getRandomValues` without modulo bias. */
export function randomJoinCode(random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
  let code = '';
  const n = JOIN_CODE_ALPHABET.length;
  const limit = 256 - (256 % n);
  while (code.length < JOIN_CODE_LENGTH) {
    for (const byte of random(new Uint8Array(16))) {
      if (byte < limit && code.length < JOIN_CODE_LENGTH) code += JOIN_CODE_ALPHABET[byte % n];
    }
  }
  return code;
}

/** What a member typed into "Join a drive": a manifest link, or a code naming its receiver. */
export type JoinInput =
  | { ok: true; kind: 'link'; manifestUrl: string }
  | { ok: true; kind: 'code'; endpoint: string; code: string; lookupUrl: string }
  | { ok: false; error: string };

/**
 * Reads a join link (`https://host/…/v1/drives/<id>`) or a join code (`host[/path]/XXXX-XXXX`,
 * with or without `https://`). A code without a scheme means https, except for localhost and
 * 127.0.0.1, which mean http.
 */
export function parseJoinInput(input: string): JoinInput {
  const raw = input.trim();
  if (raw === '') return { ok: false, error: t('errJoinEmpty') };
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw);
  let url: URL;
  try {
    url = new URL(hasScheme ? raw : `https://${raw}`);
  } catch {
    return { ok: false, error: t('errJoinNotLinkOrCode', raw.slice(0, 200)) };
  }
  if (!hasScheme && LOCAL_HOSTS.has(url.hostname)) url.protocol = 'http:';
  if (url.username || url.password) return { ok: false, error: t('errJoinCredentials') };

  const path = url.pathname.replace(/\/+$/, '');
  const drivesAt = path.lastIndexOf(`${DRIVES_PATH}/`);
  if (drivesAt >= 0 && path.slice(drivesAt + DRIVES_PATH.length + 1) !== '') {
    const problem = httpsProblem(url.href, t('errWhatJoinLink'));
    if (problem) return { ok: false, error: problem };
    url.hash = '';
    return { ok: true, kind: 'link', manifestUrl: url.href.replace(/\/+$/, '') };
  }

  const slash = path.lastIndexOf('/');
  const code = normalizeJoinCode(decodeSafe(path.slice(slash + 1)));
  if (!code) {
    if (!hasScheme && !raw.includes('/') && normalizeJoinCode(raw))
      return { ok: false, error: t('errJoinCodeAlone', [raw, `data.example.org/${formatJoinCode(raw)}`]) };
    return {
      ok: false,
      error: t('errJoinNeither', raw.slice(0, 200)),
    };
  }
  const endpoint = validateEndpoint(`${url.origin}${path.slice(0, slash)}`);
  if (!endpoint.ok) return { ok: false, error: endpoint.error };
  return { ok: true, kind: 'code', endpoint: endpoint.url, code, lookupUrl: codeLookupUrl(endpoint.url, code) };
}

/** The full join code for a drive on a receiver: `<host[:port][/path]>/<XXXX-XXXX>`. */
export function joinCodeFor(endpoint: string, code: string): string {
  const url = new URL(endpoint);
  return `${url.host}${url.pathname.replace(/\/+$/, '')}/${formatJoinCode(code)}`;
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

// ── State over time ───────────────────────────────────────────────────────────────────────

export type DriveState = 'upcoming' | 'active' | 'ended' | 'closed';

/** Closed (by the organiser) wins; then the `starts_at` ≤ now < `ends_at` window. */
export function driveState(manifest: Pick<DriveManifest, 'starts_at' | 'ends_at' | 'closed_at'>, now: Date | number = Date.now()): DriveState {
  const t = typeof now === 'number' ? now : now.getTime();
  if (manifest.closed_at && Date.parse(manifest.closed_at) <= t) return 'closed';
  if (manifest.starts_at && t < Date.parse(manifest.starts_at)) return 'upcoming';
  if (manifest.ends_at && t >= Date.parse(manifest.ends_at)) return 'ended';
  return 'active';
}

/** Whether new reports should default to this drive right now. */
export function isDriveActive(manifest: Pick<DriveManifest, 'starts_at' | 'ends_at' | 'closed_at'>, now: Date | number = Date.now()): boolean {
  return driveState(manifest, now) === 'active';
}

/** `review.min_votes`, or the default of 2. */
export function minVotes(manifest: Pick<DriveManifest, 'review'>): number {
  return manifest.review?.min_votes ?? DEFAULT_MIN_VOTES;
}

/**
 * The guidelines to show for a UI language: plain text as is; from a per-language record
 * the exact tag, then the same language (`pt` for `pt-BR`), then English, then the first.
 */
export function guidelinesFor(guidelines: Guidelines, uiLanguages: readonly string[]): { language?: string; text: string } {
  if (typeof guidelines === 'string') return { text: guidelines };
  const entries = Object.entries(guidelines);
  const lower = (s: string) => s.toLowerCase();
  const language = (s: string) => lower(s).split('-')[0];
  for (const wanted of uiLanguages) {
    const exact = entries.find(([tag]) => lower(tag) === lower(wanted));
    if (exact) return { language: exact[0], text: exact[1] };
  }
  for (const wanted of uiLanguages) {
    const same = entries.find(([tag]) => language(tag) === language(wanted));
    if (same) return { language: same[0], text: same[1] };
  }
  const fallback = entries.find(([tag]) => language(tag) === 'en') ?? entries[0]!;
  return { language: fallback[0], text: fallback[1] };
}

/** The fields whose change means a member must agree again (DESIGN §9b). */
export const CONSENT_FIELDS = ['name', 'endpoint', 'license'] as const;

/** Which consent-relevant fields differ between the manifest agreed to and the one served now. */
export function consentChanges(agreed: DriveManifest, current: DriveManifest): Array<(typeof CONSENT_FIELDS)[number]> {
  return CONSENT_FIELDS.filter((field) => {
    if (field === 'endpoint') {
      const a = validateEndpoint(agreed.endpoint);
      const b = validateEndpoint(current.endpoint);
      return !(a.ok && b.ok && a.url === b.url);
    }
    return agreed[field] !== current[field];
  });
}

// ── Validation with readable problems ─────────────────────────────────────────────────────

export interface ManifestContext {
  /** The URL the manifest was fetched from (or will be served at); enables the origin check. */
  url?: string;
  /** Name fields the schema doesn't know (typos); the organiser's CLI sets this. */
  strict?: boolean;
}

export type ManifestParse = { ok: true; manifest: DriveManifest } | { ok: false; problems: string[] };

/**
 * Parses manifest JSON text (or an already-parsed value) and lists every problem, one human
 * line each: too large, not JSON, schema errors with their field, unknown fields (strict),
 * served over plain http, endpoint on another origin without `endpoint_cross_origin: true`.
 */
export function parseManifest(input: string | unknown, context: ManifestContext = {}): ManifestParse {
  const problems: string[] = [];
  let json: unknown = input;
  if (typeof input === 'string') {
    const bytes = new TextEncoder().encode(input).length;
    if (bytes > MAX_MANIFEST_BYTES)
      return {
        ok: false,
        problems: [t('errFileTooLarge', [t('errWhatManifest'), formatNumber(bytes), formatNumber(MAX_MANIFEST_BYTES), formatByteSize(MAX_MANIFEST_BYTES)])],
      };
    try {
      json = JSON.parse(input);
    } catch (error) {
      return { ok: false, problems: [t('errManifestNotJson', error instanceof Error ? error.message : String(error))] };
    }
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return { ok: false, problems: [t('errManifestNotObject')] };

  const urlProblem = context.url ? httpsProblem(context.url, t('errWhatManifestAddress')) : undefined;
  if (urlProblem) problems.push(urlProblem);
  if (context.strict) {
    const known = new Set<string>(MANIFEST_FIELDS);
    for (const key of Object.keys(json)) {
      if (known.has(key)) continue;
      const near = MANIFEST_FIELDS.find((f) => similar(f, key));
      problems.push(`${key}: ${near ? t('errUnknownFieldNear', near) : t('errUnknownField', MANIFEST_FIELDS.join(', '))}`);
    }
  }

  const parsed = DriveManifest.safeParse(json);
  if (!parsed.success) problems.push(...describeIssues(parsed.error));
  else if (context.url && !urlProblem) {
    const problem = crossOriginProblem(parsed.data, context.url);
    if (problem) problems.push(problem);
  }
  return problems.length || !parsed.success ? { ok: false, problems } : { ok: true, manifest: parsed.data };
}

/** The problem lines only (empty when the manifest is fine). */
export function manifestProblems(input: string | unknown, context: ManifestContext = {}): string[] {
  const result = parseManifest(input, context);
  return result.ok ? [] : result.problems;
}

/** An endpoint on another origin than the manifest's own URL must be declared. */
export function crossOriginProblem(manifest: Pick<DriveManifest, 'endpoint' | 'endpoint_cross_origin'>, manifestUrl: string): string | undefined {
  let manifestOrigin: string;
  try {
    manifestOrigin = new URL(manifestUrl).origin;
  } catch {
    return t('errNotWebAddressOf', [t('errWhatManifestAddress'), manifestUrl.slice(0, 200)]);
  }
  const endpoint = validateEndpoint(manifest.endpoint);
  if (!endpoint.ok) return undefined; // already reported by the schema
  if (endpoint.origin === manifestOrigin || manifest.endpoint_cross_origin === true) return undefined;
  return `endpoint: ${t('errCrossOrigin', [endpoint.origin, manifestOrigin])}`;
}

/** Near-miss field names: one edit apart, or the same letters ignoring case, "_" and "-". */
function similar(a: string, b: string): boolean {
  const norm = (s: string) => s.toLowerCase().replace(/[-_\s]/g, '');
  if (norm(a) === norm(b)) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    if (++edits > 1) return false;
    if (a.length > b.length) i++;
    else if (b.length > a.length) j++;
    else {
      i++;
      j++;
    }
  }
  return edits + (a.length - i) + (b.length - j) <= 1;
}
