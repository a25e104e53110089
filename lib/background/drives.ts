// Feedback drives on the member's side (DESIGN §9, §9b, §9c), as the background runs it:
// fetching a manifest to show before joining, joining with consent, leaving, noticing a
// manifest that changed after joining, the default drive of a new report, drive tokens,
// and the drive's progress from its endpoint. The manifest schema is lib/drive.ts.
import {
  MAX_MANIFEST_BYTES,
  consentChanges,
  driveState,
  guidelinesFor,
  manifestUrl as manifestUrlFor,
  parseJoinInput,
  parseManifest,
  type DriveManifest,
  type DriveState,
} from '../drive';
import { StatsResponse, statsUrl, validateEndpoint } from '../protocol';
import { localesMatch } from '../locale';
import { STRICT, type JoinedDrive, type SoundsLocalDb } from '../storage/db';
import { hasToken, readTokens, setToken, tokenForRequest } from '../upload/credentials';
import { loadDriveGlossary } from '../glossary/drive';
import { formatByteSize, formatNumber, t, tp } from '../i18n';
import type { GlossaryEntry } from '../glossary/types';

export interface DrivesDeps {
  db: SoundsLocalDb;
  fetch: typeof fetch;
  now?: () => Date;
  uiLanguages: () => readonly string[];
  /** A new token may release batches the endpoint held back (401). */
  onTokenChanged?: () => void;
  timeoutMs?: number;
}

/** What the options page shows before the user agrees to join. */
export interface DrivePreview {
  manifest_url: string;
  manifest: DriveManifest;
  /** The validated endpoint base URL reports will go to. */
  endpoint: string;
  /** The host permission to request from the Join click. */
  permission_pattern: string;
  /** Where the manifest came from, when the endpoint is elsewhere (declared with endpoint_cross_origin). */
  cross_origin?: { manifest_origin: string; endpoint_origin: string };
  state: DriveState;
  guidelines: string;
  already_joined: boolean;
}

/** A joined drive as extension pages see it (no token: only whether one is set). */
export interface DriveSummary {
  id: string;
  name: string;
  organizer: string;
  description: string;
  license: string;
  privacy_url: string;
  endpoint: string;
  permission_pattern: string;
  manifest_url: string;
  locales: string[];
  categories?: string[];
  guidelines: string;
  requires_token: boolean;
  has_token: boolean;
  state: DriveState;
  starts_at?: string;
  ends_at?: string;
  joined_at: string;
  /**
   * The member's random pseudonym for this drive (DESIGN §14): sent with the drive's uploads
   * so its reviewers never get the member's own reports; shown so it can be pasted into the
   * review page. Kept while joined; leaving forgets it, and joining again makes a new one.
   */
  contributor: string;
  goal_reports?: number;
  /** The manifest changed a consent field since the user agreed: these changes wait for consent. */
  pending?: { changes: string[]; name: string; endpoint: string; license: string; permission_pattern: string };
  progress?: { stats: StatsResponse; fetched_at: string };
  last_error?: string;
  /** How many entries of the drive's own glossary are offered as suggestions. */
  glossary_entries?: number;
  /** Why the drive's glossary (or some of its lines) could not be used. */
  glossary_error?: string;
}

/** A drive's glossary as the popup asks for it: its entries and the drive's locales. */
export interface DriveGlossaryReply {
  entries?: GlossaryEntry[];
  locales?: string[];
  error?: string;
}

export type DriveResult<T> = ({ ok: true } & T) | { ok: false; error: string; problems?: string[] };

const DEFAULT_TIMEOUT_MS = 15_000;

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * A new contributor pseudonym: 128 random bits in lowercase base32 (26 characters) behind
 * `slc-`, so it reads as ours and not as a token. Nothing about the member or the install
 * goes into it, so pseudonyms of two drives can't be linked.
 */
export function newContributor(random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
  const bytes = random(new Uint8Array(16));
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return `slc-${out}`;
}

/**
 * GETs JSON from `url` with no cookies and no redirects, reading at most `maxBytes` of it
 * (a Content-Length above that is refused before reading; a body without one is cut off at
 * the cap), and says what went wrong in words a member can act on.
 */
export async function fetchCappedJsonText(
  url: string,
  options: { fetch: typeof fetch; maxBytes: number; timeoutMs: number; headers?: Record<string, string>; what: string },
): Promise<{ ok: true; text: string; status: number } | { ok: false; error: string; status?: number }> {
  const host = safeHost(url);
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), options.timeoutMs);
  try {
    let response: Response;
    try {
      response = await options.fetch(url, {
        headers: { Accept: 'application/json', ...options.headers },
        signal: timeout.signal,
        redirect: 'manual',
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch {
      return {
        ok: false,
        error: timeout.signal.aborted ? t('errHostNoAnswer', [host, formatNumber(Math.round(options.timeoutMs / 1000))]) : t('errHostUnreachable', host),
      };
    }
    if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400))
      return { ok: false, status: response.status, error: t('errHostRedirect', host) };
    const declared = Number(response.headers.get('Content-Length') ?? NaN);
    if (Number.isFinite(declared) && declared > options.maxBytes) {
      await response.body?.cancel().catch(() => {});
      return { ok: false, status: response.status, error: tooLarge(options.what, declared, options.maxBytes) };
    }
    const read = await readCapped(response, options.maxBytes);
    if (!read.ok) return { ok: false, status: response.status, error: tooLarge(options.what, read.bytes, options.maxBytes, true) };
    return { ok: true, text: read.text, status: response.status };
  } finally {
    clearTimeout(timer);
  }
}

/** `what` names the file ("The drive manifest"), in the UI language. */
function tooLarge(what: string, bytes: number, max: number, atLeast = false): string {
  return t(atLeast ? 'errFileTooLargeAtLeast' : 'errFileTooLarge', [what, formatNumber(bytes), formatNumber(max), formatByteSize(max)]);
}

/** Reads a body chunk by chunk and stops as soon as it passes `max` bytes. */
async function readCapped(response: Response, max: number): Promise<{ ok: true; text: string } | { ok: false; bytes: number }> {
  if (!response.body) {
    const text = await response.text();
    const bytes = new TextEncoder().encode(text).length;
    return bytes > max ? { ok: false, bytes } : { ok: true, text };
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > max) {
      await reader.cancel().catch(() => {});
      return { ok: false, bytes: max };
    }
    chunks.push(value);
  }
  const all = new Uint8Array(bytes);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, text: new TextDecoder().decode(all) };
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url.slice(0, 100);
  }
}

/** Fetches and validates a manifest from `url` (the link, or a code's lookup address). */
export async function fetchManifest(
  url: string,
  options: { fetch: typeof fetch; timeoutMs?: number; manifestUrl?: string },
): Promise<{ ok: true; manifest: DriveManifest } | { ok: false; error: string; problems?: string[] }> {
  const got = await fetchCappedJsonText(url, {
    fetch: options.fetch,
    maxBytes: MAX_MANIFEST_BYTES,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    what: t('errWhatManifest'),
  });
  if (!got.ok) return got;
  if (got.status === 404) return { ok: false, error: t('errNoDriveHere', safeHost(url)) };
  if (got.status < 200 || got.status >= 300) {
    let said = '';
    try {
      const error = (JSON.parse(got.text) as { error?: unknown }).error;
      if (typeof error === 'string') said = t('errEndpointSaid', error.slice(0, 200));
    } catch {
      // Not JSON: nothing useful to quote.
    }
    return { ok: false, error: t('errNotManifest', [safeHost(url), String(got.status), said]) };
  }
  // The origin check compares with where the manifest really came from.
  const parsed = parseManifest(got.text, { url });
  if (!parsed.ok) return { ok: false, error: t('errManifestInvalid'), problems: parsed.problems };
  return { ok: true, manifest: parsed.manifest };
}

export function createDrives(deps: DrivesDeps) {
  const now = deps.now ?? (() => new Date());
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  function guidelinesText(manifest: DriveManifest): string {
    return guidelinesFor(manifest.guidelines, deps.uiLanguages()).text;
  }

  /**
   * Stores a drive record, keeping the pseudonym the stored one already has: a record read
   * before another call gave it one must not take it away (the member may have pasted it).
   */
  async function putDrive(next: JoinedDrive): Promise<JoinedDrive> {
    const tx = deps.db.transaction('drives', 'readwrite', STRICT);
    const current = await tx.store.get(next.id);
    const kept = current?.contributor ? { ...next, contributor: current.contributor } : next;
    await Promise.all([tx.store.put(kept), tx.done]);
    return kept;
  }

  /**
   * Fetches the glossary the manifest names (DESIGN §13) and returns the record with it. A
   * failure never blocks joining: it is kept as `glossary_error`, and entries fetched before
   * stay (a refresh that fails loses nothing). No glossary_url: no glossary.
   */
  async function withGlossary(record: JoinedDrive, manifest: DriveManifest): Promise<JoinedDrive> {
    const { glossary: previous, glossary_error: _old, ...rest } = record;
    const url = manifest.glossary_url;
    if (!url) return rest;
    const limited: typeof fetch = (input, init) => deps.fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    try {
      const parsed = await loadDriveGlossary(url, limited);
      const glossary = { url, entries: parsed.entries, fetched_at: now().toISOString() };
      const shown = parsed.problems.slice(0, 5).join('; ');
      const more = parsed.problems.length > 5 ? tp('errAndMore', parsed.problems.length - 5) : '';
      return parsed.problems.length
        ? { ...rest, glossary, glossary_error: tp('errGlossaryLines', parsed.problems.length, shown, more) }
        : { ...rest, glossary };
    } catch (error) {
      const message =
        (error as Error)?.name === 'TimeoutError'
          ? t('errGlossaryTimeout', formatNumber(Math.round(timeoutMs / 1000)))
          : String((error as Error)?.message ?? error);
      return { ...rest, ...(previous?.url === url ? { glossary: previous } : {}), glossary_error: t('errGlossaryUnusable', message) };
    }
  }

  /** The drive's glossary entries for the popup's suggestions. */
  async function glossary(id: string): Promise<DriveResult<DriveGlossaryReply>> {
    const drive = await deps.db.get('drives', id);
    if (!drive) return { ok: false, error: t('errNotInDrive') };
    const locales = (drive.manifest as DriveManifest).locales;
    return {
      ok: true,
      ...(drive.glossary ? { entries: drive.glossary.entries } : {}),
      locales,
      ...(drive.glossary_error ? { error: drive.glossary_error } : {}),
    };
  }

  /** The drive's pseudonym; a record from before pseudonyms gets one now, once. */
  async function contributorOf(drive: JoinedDrive): Promise<string> {
    if (drive.contributor) return drive.contributor;
    const tx = deps.db.transaction('drives', 'readwrite', STRICT);
    const current = await tx.store.get(drive.id);
    const contributor = current?.contributor ?? newContributor();
    if (current && !current.contributor) await tx.store.put({ ...current, contributor });
    await tx.done;
    drive.contributor = contributor;
    return contributor;
  }

  async function preview(input: string): Promise<DriveResult<{ preview: DrivePreview }>> {
    const parsed = parseJoinInput(input);
    if (!parsed.ok) return { ok: false, error: parsed.error };
    const source = parsed.kind === 'link' ? parsed.manifestUrl : parsed.lookupUrl;
    const fetched = await fetchManifest(source, { fetch: deps.fetch, timeoutMs });
    if (!fetched.ok) return fetched;
    const manifest = fetched.manifest;
    const endpoint = validateEndpoint(manifest.endpoint);
    if (!endpoint.ok) return { ok: false, error: endpoint.error };
    const manifestOrigin = new URL(source).origin;
    return {
      ok: true,
      preview: {
        // A code's lookup address isn't the drive's own: later checks read the manifest link.
        manifest_url: parsed.kind === 'link' ? parsed.manifestUrl : manifestUrlFor(parsed.endpoint, manifest.id),
        manifest,
        endpoint: endpoint.url,
        permission_pattern: endpoint.permissionPattern,
        ...(endpoint.origin !== manifestOrigin ? { cross_origin: { manifest_origin: manifestOrigin, endpoint_origin: endpoint.origin } } : {}),
        state: driveState(manifest, now()),
        guidelines: guidelinesText(manifest),
        already_joined: Boolean(await deps.db.get('drives', manifest.id)),
      },
    };
  }

  /**
   * Joins with the manifest the user saw and agreed to (re-validated here: the page is ours,
   * but nothing half-valid is stored). An ended or closed drive can't be joined.
   */
  async function join(input: { manifest_url: string; manifest: unknown; token?: string }): Promise<DriveResult<{ drive: DriveSummary }>> {
    const parsed = parseManifest(input.manifest, { url: input.manifest_url });
    if (!parsed.ok) return { ok: false, error: t('errManifestInvalid'), problems: parsed.problems };
    const manifest = parsed.manifest;
    const state = driveState(manifest, now());
    if (state === 'ended' || state === 'closed')
      return {
        ok: false,
        error: t(state === 'ended' ? 'errDriveEndedJoin' : 'errDriveClosedJoin', manifest.name),
      };
    const endpoint = validateEndpoint(manifest.endpoint);
    if (!endpoint.ok) return { ok: false, error: endpoint.error };
    const at = now().toISOString();
    const previous = await deps.db.get('drives', manifest.id);
    const record: JoinedDrive = {
      id: manifest.id,
      manifest_url: input.manifest_url,
      manifest: manifest as Record<string, unknown>,
      endpoint: endpoint.url,
      joined_at: previous?.joined_at ?? at,
      consented: { name: manifest.name, endpoint: endpoint.url, license: manifest.license, at },
      // Joining again while still joined keeps the pseudonym; after leaving, it is a new one.
      contributor: previous?.contributor ?? newContributor(),
    };
    const stored = await putDrive(await withGlossary({ ...record, ...(previous?.glossary ? { glossary: previous.glossary } : {}) }, manifest));
    if (previous) await setTokenOnEndpointChange(manifest.id, previous.endpoint, endpoint.url);
    if (input.token?.trim()) await setToken(deps.db, endpoint.url, manifest.id, input.token);
    return { ok: true, drive: await summary(stored) };
  }

  async function setTokenOnEndpointChange(driveId: string, previous: string, next: string) {
    if (new URL(previous).origin !== new URL(next).origin) await setToken(deps.db, previous, driveId, undefined);
  }

  /** Leaves a drive: its token is forgotten; reports keep their drive_id. */
  async function leave(id: string): Promise<DriveResult<object>> {
    const drive = await deps.db.get('drives', id);
    if (!drive) return { ok: false, error: t('errNotInDrive') };
    const tx = deps.db.transaction('drives', 'readwrite', STRICT);
    await Promise.all([tx.store.delete(id), tx.done]);
    await setToken(deps.db, drive.endpoint, id, undefined);
    return { ok: true };
  }

  async function summary(drive: JoinedDrive): Promise<DriveSummary> {
    const m = drive.manifest as DriveManifest;
    const endpoint = validateEndpoint(drive.endpoint);
    const pending = drive.pending
      ? (() => {
          const p = drive.pending.manifest as DriveManifest;
          const check = validateEndpoint(drive.pending.endpoint);
          return {
            changes: drive.pending.changes,
            name: p.name,
            endpoint: drive.pending.endpoint,
            license: p.license,
            permission_pattern: check.ok ? check.permissionPattern : '',
          };
        })()
      : undefined;
    const progress =
      drive.progress && StatsResponse.safeParse(drive.progress.stats).success
        ? { stats: drive.progress.stats as StatsResponse, fetched_at: drive.progress.fetched_at }
        : undefined;
    return {
      id: drive.id,
      name: m.name,
      organizer: m.organizer,
      description: m.description,
      license: m.license,
      privacy_url: m.privacy_url,
      endpoint: drive.endpoint,
      permission_pattern: endpoint.ok ? endpoint.permissionPattern : '',
      manifest_url: drive.manifest_url,
      locales: m.locales,
      ...(m.categories ? { categories: m.categories } : {}),
      guidelines: guidelinesText(m),
      requires_token: m.requires_token,
      has_token: await hasToken(deps.db, drive.endpoint, drive.id),
      state: driveState(m, now()),
      ...(m.starts_at ? { starts_at: m.starts_at } : {}),
      ...(m.ends_at ? { ends_at: m.ends_at } : {}),
      joined_at: drive.joined_at,
      contributor: await contributorOf(drive),
      ...(m.goal_reports ? { goal_reports: m.goal_reports } : {}),
      ...(pending ? { pending } : {}),
      ...(progress ? { progress } : {}),
      ...(drive.last_error ? { last_error: drive.last_error } : {}),
      ...(drive.glossary ? { glossary_entries: drive.glossary.entries.length } : {}),
      ...(drive.glossary_error ? { glossary_error: drive.glossary_error } : {}),
    };
  }

  async function list(): Promise<DriveSummary[]> {
    const drives = await deps.db.getAll('drives');
    drives.sort((a, b) => (a.joined_at < b.joined_at ? 1 : a.joined_at > b.joined_at ? -1 : 0));
    return Promise.all(drives.map(summary));
  }

  /**
   * Reads the manifest again. A change of name, endpoint or licence is kept aside as
   * `pending` (uploads for the drive wait for consent); other changes (guidelines, dates)
   * apply at once. A failed fetch keeps the manifest agreed to and notes why.
   */
  async function refresh(id: string, options: { timeoutMs?: number } = {}): Promise<DriveSummary | undefined> {
    const drive = await deps.db.get('drives', id);
    if (!drive) return undefined;
    const fetched = await fetchManifest(drive.manifest_url, { fetch: deps.fetch, timeoutMs: options.timeoutMs ?? timeoutMs });
    // The glossary is not a consent field: the newest manifest's glossary_url applies at once.
    const withFreshGlossary = fetched.ok && fetched.manifest.id === id ? await withGlossary(drive, fetched.manifest) : undefined;
    const fresh = await deps.db.get('drives', id);
    if (!fresh) return undefined;
    let next: JoinedDrive;
    if (!fetched.ok) {
      next = { ...fresh, last_error: [fetched.error, ...(fetched.problems ?? [])].join(' ') };
    } else if (fetched.manifest.id !== id) {
      next = {
        ...fresh,
        last_error: t('errDriveLinkMoved', fetched.manifest.id),
      };
    } else {
      const changes = consentChanges(fresh.manifest as DriveManifest, fetched.manifest);
      const { last_error: _e, pending: _p, glossary: _g, glossary_error: _ge, ...kept } = fresh;
      const rest: JoinedDrive = {
        ...kept,
        ...(withFreshGlossary?.glossary ? { glossary: withFreshGlossary.glossary } : {}),
        ...(withFreshGlossary?.glossary_error ? { glossary_error: withFreshGlossary.glossary_error } : {}),
      };
      if (changes.length) {
        const endpoint = validateEndpoint(fetched.manifest.endpoint);
        next = {
          ...rest,
          pending: {
            manifest: fetched.manifest as Record<string, unknown>,
            endpoint: endpoint.ok ? endpoint.url : fetched.manifest.endpoint,
            changes,
            seen_at: now().toISOString(),
          },
        };
      } else next = { ...rest, manifest: fetched.manifest as Record<string, unknown> };
    }
    return summary(await putDrive(next));
  }

  /** The user agreed to the changed manifest: it becomes the one agreed to. */
  async function reconsent(id: string): Promise<DriveResult<{ drive: DriveSummary }>> {
    const drive = await deps.db.get('drives', id);
    if (!drive) return { ok: false, error: t('errNotInDrive') };
    if (!drive.pending) return { ok: true, drive: await summary(drive) };
    const manifest = drive.pending.manifest as DriveManifest;
    const at = now().toISOString();
    const next: JoinedDrive = {
      ...drive,
      manifest: drive.pending.manifest,
      endpoint: drive.pending.endpoint,
      consented: { name: manifest.name, endpoint: drive.pending.endpoint, license: manifest.license, at },
    };
    delete next.pending;
    delete next.progress;
    const stored = await putDrive(next);
    // A token was given for the old endpoint's origin: it does not follow the drive elsewhere.
    await setTokenOnEndpointChange(id, drive.endpoint, next.endpoint);
    return { ok: true, drive: await summary(stored) };
  }

  async function saveToken(id: string, token: string): Promise<DriveResult<{ drive: DriveSummary }>> {
    const drive = await deps.db.get('drives', id);
    if (!drive) return { ok: false, error: t('errNotInDrive') };
    await setToken(deps.db, drive.endpoint, id, token);
    deps.onTokenChanged?.();
    return { ok: true, drive: await summary(drive) };
  }

  /** The drive's counts from its endpoint, cached with the drive; the cached ones on failure. */
  async function progress(id: string): Promise<DriveResult<{ progress?: { stats: StatsResponse; fetched_at: string }; error?: string; own: OwnCount }>> {
    const drive = await deps.db.get('drives', id);
    if (!drive) return { ok: false, error: t('errNotInDrive') };
    const own = await ownCount(id);
    const url = statsUrl(drive.endpoint, id);
    const token = tokenForRequest(await readTokens(deps.db), url, id);
    const got = await fetchCappedJsonText(url, {
      fetch: deps.fetch,
      maxBytes: 1_000_000,
      timeoutMs,
      what: t('errWhatProgress'),
      headers: token ? { Authorization: `Bearer ${token}` } : {},
    });
    let error: string | undefined;
    let fresh: { stats: StatsResponse; fetched_at: string } | undefined;
    if (!got.ok) error = got.error;
    else if (got.status === 401) error = t('errProgressToken');
    else if (got.status < 200 || got.status >= 300) error = t('errProgressStatus', String(got.status));
    else {
      let json: unknown;
      try {
        json = JSON.parse(got.text);
      } catch {
        json = undefined;
      }
      const stats = StatsResponse.safeParse(json);
      if (stats.success) fresh = { stats: stats.data, fetched_at: now().toISOString() };
      else error = t('errProgressUnreadable');
    }
    if (fresh) {
      const tx = deps.db.transaction('drives', 'readwrite', STRICT);
      const current = await tx.store.get(id);
      if (current) await tx.store.put({ ...current, progress: fresh });
      await tx.done;
      return { ok: true, progress: fresh, own };
    }
    const cached = (await summary(drive)).progress;
    return { ok: true, ...(cached ? { progress: cached } : {}), error, own };
  }

  /** The member's own reports for the drive: made, and uploaded (still on the receiver). */
  async function ownCount(id: string): Promise<OwnCount> {
    const counts: OwnCount = { reports: 0, uploaded: 0 };
    const tx = deps.db.transaction('reports');
    for (let cursor = await tx.store.openCursor(); cursor; cursor = await cursor.continue()) {
      if (cursor.value.drive_id !== id) continue;
      counts.reports++;
      if (cursor.value.status === 'uploaded') counts.uploaded++;
    }
    await tx.done;
    return counts;
  }

  /** The drive a new report in `locale` belongs to: see `defaultDriveFor`. */
  async function defaultsFor(locale: string): Promise<{ drive_id?: string; expected_locale: string }> {
    return defaultDriveFor(await deps.db.getAll('drives'), locale, now());
  }

  return { preview, join, leave, list, refresh, reconsent, saveToken, progress, defaultsFor, summary, glossary };
}

export interface OwnCount {
  reports: number;
  uploaded: number;
}

export type Drives = ReturnType<typeof createDrives>;

/**
 * The one rule for a new report's defaults: its locale is the user's default locale; if a
 * joined drive is active now and lists a locale that matches it (compared maximized:
 * zh-TW = zh-Hant-TW), the report belongs to that drive and takes the drive's spelling of
 * the locale. Several such drives: the one joined most recently.
 */
export function defaultDriveFor(drives: readonly JoinedDrive[], locale: string, now: Date): { drive_id?: string; expected_locale: string } {
  const candidates = drives
    .filter((d) => driveState(d.manifest as DriveManifest, now) === 'active')
    .sort((a, b) => (a.joined_at < b.joined_at ? 1 : a.joined_at > b.joined_at ? -1 : 0));
  for (const drive of candidates) {
    const match = (drive.manifest as DriveManifest).locales.find((tag) => localesMatch(tag, locale));
    if (match) return { drive_id: drive.id, expected_locale: match };
  }
  return { expected_locale: locale };
}
