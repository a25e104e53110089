// Drives the receiver hosts (DESIGN.md §9): `DATA_DIR/drives/<id>.json` is the public
// manifest, served verbatim at GET /v1/drives/<id>; `DATA_DIR/drives/<id>.tokens` holds the
// drive's upload tokens, one per line, and is never served. Files are read on each request
// so a maintainer can add a drive or a token without restarting.
import { createHash, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { DRIVE_ID_PATTERN } from '../lib/drive';

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
    return {
      ok: true,
      drive: {
        id,
        // A drive that doesn't say is treated as open, like the manifest schema's default.
        requiresToken: manifest.requires_token === true,
        manifest: text,
        license: typeof manifest.license === 'string' ? manifest.license : undefined,
        locales: Array.isArray(manifest.locales) ? manifest.locales.filter((l): l is string => typeof l === 'string') : [],
        name: typeof manifest.name === 'string' ? manifest.name : undefined,
      },
    };
  }

  /** Whether `token` is one of the drive's tokens (constant-time per comparison). */
  acceptsToken(id: string, token: string | undefined): boolean {
    if (!token) return false;
    const file = join(this.dir, `${id}.tokens`);
    if (!existsSync(file)) return false;
    const offered = digest(token);
    let match = false;
    for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
      const candidate = line.trim();
      if (!candidate || candidate.startsWith('#')) continue;
      // Comparing fixed-length digests keeps timing independent of where strings differ.
      if (timingSafeEqual(offered, digest(candidate))) match = true;
    }
    return match;
  }
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}
