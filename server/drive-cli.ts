// `npm run drive -- <command>`: the organiser's tool for drives this receiver hosts
// (DESIGN.md §9a; docs/receiver.md). It writes DATA_DIR/drives/ (see server/drives.ts); the
// running receiver picks changes up on the next request.
//
//   create <manifest.json>   validate, store, print join link, join code, page (and a token)
//   update <manifest.json>   replace a hosted drive's manifest (code, tokens, closing kept)
//   list                     every hosted drive with its state and join code
//   token <id>               add an access token to a drive that requires one
//   reviewer-token <id> [--locales zh-TW,zh-HK]   a new reviewer token (one per reviewer; DESIGN §14)
//   revoke <id> <token>      remove a token (members using it get 401 and keep their reports)
//   close <id>               no more uploads (403 "drive closed"); stats and exports still work
// Options: --data-dir <dir> (or DATA_DIR; default ./data), --json (machine-readable output).
//
// Output of `create` (one "label: value" line each, stable for scripts; --json gives
// {"id","name","join_link","join_code","code","drive_page","token"?}):
//   created drive <id>: <name>
//   join link: <endpoint>/v1/drives/<id>
//   join code: <endpoint host[/path]>/<XXXX-XXXX>
//   drive page: <endpoint>/drives/<id>
//   token: <token>                                (requires_token drives only)
// lib/'s messages (validation problems in upload results) in English, read from public/_locales.
import '../lib/i18n-node';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type DriveManifest, driveState, drivePageUrl, joinCodeFor, manifestUrl, parseManifest } from '../lib/drive';
import { canonicalizeLocale } from '../lib/locale';
import { validateEndpoint } from '../lib/protocol';
import { DriveDirectory } from './drives';

const USAGE = `Usage: npm run drive -- <command> [--data-dir ./data] [--json]
  create <manifest.json>    validate and host a new drive; prints its join link and code
  update <manifest.json>    replace a hosted drive's manifest (keeps its code and tokens)
  list                      hosted drives with state and join code
  token <id>                add an access token to a drive that requires one
  reviewer-token <id> [--locales a,b]   a new reviewer token for community review (one per reviewer)
  revoke <id> <token>       remove an access token
  close <id>                stop taking uploads (stats and exports keep working)`;

function usage(message: string): never {
  console.error(message);
  console.error(USAGE);
  process.exit(2);
}

function fail(lines: string | string[]): never {
  for (const line of Array.isArray(lines) ? lines : [lines]) console.error(line);
  process.exit(1);
}

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'data-dir': { type: 'string' }, json: { type: 'boolean' }, locales: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
});
if (flags.help) {
  console.log(USAGE);
  process.exit(0);
}
const [command, ...args] = positionals;
const dataDir = resolve(flags['data-dir'] ?? process.env.DATA_DIR ?? './data');
const drives = new DriveDirectory(join(dataDir, 'drives'));
const json = flags.json === true;

function print(value: unknown, lines: string[]) {
  console.log(json ? JSON.stringify(value, null, 2) : lines.join('\n'));
}

/** Reads and validates a manifest file strictly (unknown fields are problems too). */
function readManifest(path: string | undefined): DriveManifest {
  if (!path) usage('Give the manifest file: npm run drive -- create drive.json');
  const file = resolve(path);
  if (!existsSync(file)) fail(`${path}: no such file.`);
  const text = readFileSync(file, 'utf8');
  const endpointGuess = (() => {
    try {
      const raw = JSON.parse(text) as { endpoint?: unknown; id?: unknown };
      // Only a usable endpoint gives a URL to check; a bad one is reported by the schema.
      return typeof raw.endpoint === 'string' && typeof raw.id === 'string' && validateEndpoint(raw.endpoint).ok
        ? manifestUrl(raw.endpoint, raw.id)
        : undefined;
    } catch {
      return undefined;
    }
  })();
  // The manifest will be served at {endpoint}/v1/drives/<id>, so that is its URL for the checks.
  const result = parseManifest(text, { strict: true, url: endpointGuess });
  if (!result.ok)
    fail([
      `${path}: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}; nothing was written.`,
      ...result.problems.map((p) => `  ${p}`),
    ]);
  return result.manifest;
}

function hosted(id: string | undefined) {
  if (!id) usage('Give the drive id.');
  const found = drives.find(id);
  if (!found.ok) fail(found.error);
  if (!found.drive) fail(`No drive "${id}" in ${drives.dir}. \`npm run drive -- list\` shows the hosted ones.`);
  return found.drive;
}

function links(manifest: DriveManifest, code: string | undefined) {
  return {
    join_link: manifestUrl(manifest.endpoint, manifest.id),
    join_code: code ? joinCodeFor(manifest.endpoint, code) : undefined,
    drive_page: drivePageUrl(manifest.endpoint, manifest.id),
  };
}

switch (command) {
  case 'create': {
    const manifest = readManifest(args[0]);
    if (manifest.closed_at) fail(`${args[0]}: closed_at is set by \`npm run drive -- close\`; remove it from a new drive's manifest. Nothing was written.`);
    const existing = drives.find(manifest.id);
    if (existing.ok && existing.drive)
      fail(`Drive "${manifest.id}" already exists here; use \`npm run drive -- update ${args[0]}\` to change its manifest. Nothing was written.`);
    const code = drives.create(manifest);
    const token = manifest.requires_token ? drives.addToken(manifest.id) : undefined;
    const l = links(manifest, code);
    print({ id: manifest.id, name: manifest.name, ...l, code, ...(token ? { token } : {}) }, [
      `created drive ${manifest.id}: ${manifest.name}`,
      `join link: ${l.join_link}`,
      `join code: ${l.join_code}`,
      `drive page: ${l.drive_page}`,
      ...(token ? [`token: ${token}`, 'Give the token to members privately; `npm run drive -- token ' + manifest.id + '` makes another.'] : []),
    ]);
    break;
  }
  case 'update': {
    const manifest = readManifest(args[0]);
    const drive = hosted(manifest.id);
    const next: DriveManifest = { ...manifest, ...(drive.closedAt && !manifest.closed_at ? { closed_at: drive.closedAt } : {}) };
    drives.replace(next);
    const before = drive.parsed;
    const changed = before ? (['name', 'endpoint', 'license'] as const).filter((f) => before[f] !== next[f]) : [];
    print({ id: next.id, updated: true, consent_fields_changed: changed }, [
      `updated drive ${next.id}: ${next.name}`,
      ...(changed.length ? [`note: ${changed.join(', ')} changed; members are asked to agree again before their next upload.`] : []),
    ]);
    break;
  }
  case 'list': {
    const rows = drives.ids().map((id) => {
      const found = drives.find(id);
      const drive = found.ok ? found.drive : undefined;
      const manifest = drive?.parsed;
      return {
        id,
        name: drive?.name ?? '',
        state: manifest ? driveState(manifest) : 'invalid manifest',
        requires_token: drive?.requiresToken ?? false,
        tokens: drive?.requiresToken ? drives.tokens(id).length : undefined,
        join_code: manifest && drive?.code ? joinCodeFor(manifest.endpoint, drive.code) : undefined,
      };
    });
    print(
      rows,
      rows.length === 0
        ? [`No drives in ${drives.dir} yet. Create one: npm run drive -- create drive.json`]
        : rows.map((r) => `${r.id}\t${r.state}\t${r.requires_token ? `token (${r.tokens})` : 'open'}\t${r.join_code ?? '-'}\t${r.name}`),
    );
    break;
  }
  case 'token': {
    const drive = hosted(args[0]);
    if (!drive.requiresToken)
      fail(
        `Drive "${drive.id}" does not require a token (requires_token is false): anyone with the join code can upload. Set it to true with \`update\` first.`,
      );
    const token = drives.addToken(drive.id);
    print({ id: drive.id, token }, [`token: ${token}`]);
    break;
  }
  case 'reviewer-token': {
    const drive = hosted(args[0]);
    const locales = (flags.locales ?? '')
      .split(',')
      .map((l) => l.trim())
      .filter(Boolean);
    for (const locale of locales) {
      const checked = canonicalizeLocale(locale);
      if (!checked.ok || checked.tag !== locale) fail(`--locales: ${checked.ok ? `"${locale}" is not canonical; use "${checked.tag}"` : checked.error}`);
    }
    const token = drives.addReviewerToken(drive.id, locales);
    const page = drive.parsed ? `${drive.parsed.endpoint.replace(/\/+$/, '')}/review?drive=${encodeURIComponent(drive.id)}` : `/review?drive=${drive.id}`;
    print({ id: drive.id, reviewer_token: token, locales, review_page: page }, [
      `reviewer token: ${token}`,
      `review page: ${page}`,
      'Give each reviewer their own token, privately: votes are counted per token.',
    ]);
    break;
  }
  case 'revoke': {
    const drive = hosted(args[0]);
    if (!args[1]) usage('Give the token to revoke: npm run drive -- revoke <id> <token>');
    if (!drives.revokeToken(drive.id, args[1])) fail(`Drive "${drive.id}" has no such token; nothing changed.`);
    print({ id: drive.id, revoked: true, tokens_left: drives.tokens(drive.id).length }, [
      `revoked; drive ${drive.id} has ${drives.tokens(drive.id).length} token(s) left. Uploads with the old token now get 401.`,
    ]);
    break;
  }
  case 'close': {
    const drive = hosted(args[0]);
    if (!drive.parsed) fail(`The manifest of "${drive.id}" does not pass validation; fix it with \`update\` before closing.`);
    if (drive.closedAt) {
      print({ id: drive.id, closed_at: drive.closedAt }, [`drive ${drive.id} was already closed at ${drive.closedAt}.`]);
      break;
    }
    const closedAt = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    drives.replace({ ...drive.parsed, closed_at: closedAt });
    print({ id: drive.id, closed_at: closedAt }, [
      `closed drive ${drive.id} at ${closedAt}: uploads are refused (403); stats, the drive page and exports keep working.`,
    ]);
    break;
  }
  case undefined:
    usage('Which command?');
    break; // not reached: usage() exits
  default:
    usage(`Unknown command "${command}".`);
}
