// Drives the receiver hosts (DESIGN.md §9, §9a). In `DATA_DIR/drives/`:
//   <id>.json    the public manifest, served verbatim at GET /v1/drives/<id>
//   <id>.tokens  the drive's upload tokens, one per line (# comments allowed); never served
//   <id>.code    the drive's join code (canonical form, see lib/drive.ts); looked up by
//                GET /v1/drives?code=<code>
// Files are read on each request so an organiser can add a drive, a token or close a drive
// (`npm run drive`, server/drive-cli.ts) without restarting the receiver. Writes go to a
// temporary file first and are renamed into place, so a reader never sees half a file.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DRIVE_ID_PATTERN, DriveManifest, normalizeJoinCode, randomJoinCode } from '../lib/drive';
import { privateDirectory } from './files';

/** Drive ids double as file names: nothing that could walk out of the directory. */
export const DRIVE_ID = DRIVE_ID_PATTERN;

export interface HostedDrive {
  id: string;
  requiresToken: boolean;
  /** The manifest file's text, served as is. */
  manifest: string;
  license?: string;
  locales: string[];
  name?: string;
  /** The manifest as the schema reads it; undefined when the file doesn't pass (hand-edited). */
  parsed?: DriveManifest;
  /** Set once the organiser closed the drive: no more uploads. */
  closedAt?: string;
  /** The join code (canonical form), if the drive has one. */
  code?: string;
}

export type DriveLookup = { ok: true; drive: HostedDrive | undefined } | { ok: false; error: string };

export class DriveDirectory {
  constructor(readonly dir: string) {}

  /** `drive: undefined` when this receiver does not host the drive. */
  find(id: string): DriveLookup {
    if (!DRIVE_ID.test(id)) return { ok: false, error: `"${id.slice(0, 140)}" is not a valid drive id.` };
    const file = join(this.dir, `${id}.json`);
    if (!existsSync(file)) return { ok: true, drive: undefined };
    const text = readFileSync(file, 'utf8');
    let manifest: Record<string, unknown>;
    try {
      manifest = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return { ok: false, error: `The manifest of drive "${id}" on this server is not valid JSON; tell the drive's organiser.` };
    }
    if (manifest.id !== id) return { ok: false, error: `The manifest ${id}.json names drive "${String(manifest.id)}"; they must match.` };
    const parsed = DriveManifest.safeParse(manifest);
    const codeFile = join(this.dir, `${id}.code`);
    return {
      ok: true,
      drive: {
        id,
        // A drive that doesn't say is treated as open.
        requiresToken: manifest.requires_token === true,
        manifest: text,
        license: typeof manifest.license === 'string' ? manifest.license : undefined,
        locales: Array.isArray(manifest.locales) ? manifest.locales.filter((l): l is string => typeof l === 'string') : [],
        name: typeof manifest.name === 'string' ? manifest.name : undefined,
        parsed: parsed.success ? parsed.data : undefined,
        closedAt: typeof manifest.closed_at === 'string' ? manifest.closed_at : undefined,
        code: existsSync(codeFile) ? normalizeJoinCode(readFileSync(codeFile, 'utf8')) : undefined,
      },
    };
  }

  /** The drive a join code belongs to (any spelling of the code: case and dashes don't matter). */
  findByCode(input: string): DriveLookup {
    const code = normalizeJoinCode(input);
    if (!code) return { ok: false, error: `"${input.slice(0, 40)}" is not a join code (8 letters and digits, like K7QM-4XPA).` };
    for (const id of this.ids()) {
      const file = join(this.dir, `${id}.code`);
      if (existsSync(file) && normalizeJoinCode(readFileSync(file, 'utf8')) === code) return this.find(id);
    }
    return { ok: true, drive: undefined };
  }

  /** Ids of every hosted drive, sorted. */
  ids(): string[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -'.json'.length))
      .filter((id) => DRIVE_ID.test(id))
      .sort();
  }

  /** Whether `token` is one of the drive's tokens (constant-time per comparison). */
  acceptsToken(id: string, token: string | undefined): boolean {
    if (!token) return false;
    const offered = digest(token);
    let match = false;
    for (const candidate of this.tokens(id)) {
      // Comparing fixed-length digests keeps timing independent of where strings differ.
      if (timingSafeEqual(offered, digest(candidate))) match = true;
    }
    return match;
  }

  tokens(id: string): string[] {
    const file = join(this.dir, `${id}.tokens`);
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8')
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
  }

  // ── Writes (the organiser's CLI) ───────────────────────────────────────────────────────

  /** Stores a new drive with a fresh join code (unique on this receiver); returns the code. */
  create(manifest: DriveManifest): string {
    privateDirectory(this.dir);
    const taken = new Set(
      this.ids()
        .map((id) => this.find(id))
        .flatMap((f) => (f.ok && f.drive?.code ? [f.drive.code] : [])),
    );
    let code = randomJoinCode();
    while (taken.has(code)) code = randomJoinCode();
    writeAtomic(join(this.dir, `${manifest.id}.code`), `${code}\n`);
    writeAtomic(join(this.dir, `${manifest.id}.json`), `${JSON.stringify(manifest, null, 2)}\n`);
    return code;
  }

  /** Replaces a drive's manifest, keeping its code and tokens. */
  replace(manifest: DriveManifest): void {
    writeAtomic(join(this.dir, `${manifest.id}.json`), `${JSON.stringify(manifest, null, 2)}\n`);
  }

  /** A new random token for the drive, appended to its tokens file. */
  addToken(id: string, now = new Date()): string {
    const token = randomBytes(24).toString('base64url');
    const file = join(this.dir, `${id}.tokens`);
    const before = existsSync(file) ? readFileSync(file, 'utf8') : `# upload tokens for drive ${id}, one per line\n`;
    writeAtomic(file, `${before}${before.endsWith('\n') ? '' : '\n'}# added ${now.toISOString()}\n${token}\n`, 0o600);
    return token;
  }

  /**
   * A new reviewer token for community review (DESIGN §14), appended to `<id>.reviewers`
   * with the locales this reviewer reviews first. Each token is one reviewer: votes are
   * counted per token.
   */
  addReviewerToken(id: string, locales: readonly string[] = [], now = new Date()): string {
    const token = randomBytes(24).toString('base64url');
    const file = join(this.dir, `${id}.reviewers`);
    const before = existsSync(file) ? readFileSync(file, 'utf8') : `# reviewer tokens for drive ${id}: "<token> <locales, comma-separated>" per line\n`;
    writeAtomic(file, `${before}${before.endsWith('\n') ? '' : '\n'}# added ${now.toISOString()}\n${token} ${locales.join(',') || '-'}\n`, 0o600);
    return token;
  }

  /**
   * The reviewer holding `token` for this drive: a stable id (the token's SHA-256, so the
   * database never holds tokens) and their locales; undefined for anything else.
   */
  reviewer(id: string, token: string | undefined): { id: string; locales: string[] } | undefined {
    if (!token) return undefined;
    const file = join(this.dir, `${id}.reviewers`);
    if (!existsSync(file)) return undefined;
    const offered = digest(token);
    let found: { id: string; locales: string[] } | undefined;
    for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
      const [candidate, locales] = line.trim().split(/\s+/);
      if (!candidate || candidate.startsWith('#')) continue;
      if (timingSafeEqual(offered, digest(candidate)))
        found = { id: offered.toString('hex'), locales: !locales || locales === '-' ? [] : locales.split(',').filter(Boolean) };
    }
    return found;
  }

  /** Removes a token; false when the drive never had it. */
  revokeToken(id: string, token: string): boolean {
    const file = join(this.dir, `${id}.tokens`);
    if (!existsSync(file)) return false;
    const lines = readFileSync(file, 'utf8').split(/\r?\n/);
    const kept = lines.filter((line) => line.trim() !== token.trim());
    if (kept.length === lines.length) return false;
    writeAtomic(file, kept.join('\n'), 0o600);
    return true;
  }
}

function writeAtomic(file: string, text: string, mode = 0o644) {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, text, { mode });
  renameSync(temp, file);
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}
