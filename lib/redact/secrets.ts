// Keys, tokens and private keys. Known prefixes first; then long random-looking tokens. Hex
// strings are digests and commit ids (a SHA-256, a git SHA), not secrets, unless a word such
// as "api_key=" or "secret:" hands them over.
import type { Candidate } from './types';

const KEY_PREFIXES = /\b(?:sk-|gh[pousr]_|github_pat_|AKIA|ASIA|xox[abposr]-|AIza|[spr]k_(?:live|test)_|glpat-|npm_|hf_|SG\.|eyJ)/g;

// Sticky: each is tried exactly where KEY_PREFIXES found its prefix.
const KEY_PATTERNS: RegExp[] = [
  /sk-(?:[A-Za-z]{1,20}-){0,3}[A-Za-z0-9_-]{20,256}/y, // OpenAI / Anthropic style (sk-…, sk-proj-…, sk-ant-…)
  /gh[pousr]_[A-Za-z0-9]{30,256}\b/y, // GitHub tokens
  /github_pat_[A-Za-z0-9_]{22,256}\b/y,
  /(?:AKIA|ASIA)[0-9A-Z]{16}\b/y, // AWS access key ids
  /xox[abposr]-[A-Za-z0-9-]{10,256}/y, // Slack
  /AIza[0-9A-Za-z_-]{35}\b/y, // Google API keys
  /(?:sk|pk|rk)_(?:live|test)_[0-9A-Za-z]{16,256}\b/y, // Stripe
  /glpat-[0-9A-Za-z_-]{20,256}\b/y, // GitLab
  /npm_[0-9A-Za-z]{36}\b/y,
  /hf_[A-Za-z]{30,256}\b/y, // Hugging Face
  /SG\.[0-9A-Za-z_-]{16,256}\.[0-9A-Za-z_-]{16,256}/y, // SendGrid
  /eyJ[A-Za-z0-9_-]{8,256}\.eyJ[A-Za-z0-9_-]{8,256}\.[A-Za-z0-9_-]{8,256}/y, // JWTs
];

// "aws_secret_access_key = …", "api_key: …", "password=…", "Authorization: Bearer …": the
// value after such a name is a secret whatever it looks like (at least 8 characters).
const NAMED_SECRET =
  /(?<![A-Za-z0-9])(?:aws_?secret_?access_?key|secret_?access_?key|secretaccesskey|api[_-]?key|apikey|api[_-]?secret|client[_-]?secret|secret[_-]?key|secret|access[_-]?token|auth[_-]?token|refresh[_-]?token|token|password|passwd|pwd|private[_-]?key|bearer)["']?[ \t]{0,3}(?:[:=]|=>|:=)?[ \t]{0,3}["']?(?:Bearer[ \t]{1,3})?([^\s"'<>`]{8,200})/gi;

// A password glued to a client's -p flag: mysql -u root -pS3cret!, mysqldump -pS3cret.
const FLAG_PASSWORD = /\bmysql(?:dump|admin|import|sh)?\b[^\n]{0,120}?[ \t]-p([^\s"'`]{4,200})/g;

const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Digests, commit ids and (mixed-case, EIP-55) Ethereum addresses.
const HEX = /^(?:0x)?[0-9a-f]+$/i;

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
  // Tokens are ASCII (the patterns that produce them say so): count by char code.
  const freq = new Uint32Array(128);
  for (let i = 0; i < s.length; i++) freq[s.charCodeAt(i) & 127]!++;
  let bits = 0;
  for (const n of freq) {
    if (n === 0) continue;
    const p = n / s.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** Longer runs are data (a data: URI, an encoded file), not a key someone pasted. */
const MAX_TOKEN = 1024;

/**
 * How often the kind of character (lower, upper, digit) changes from one to the next:
 * about 0.6–1 in random tokens, 0.1–0.35 in identifiers made of words
 * (useCallbackMemoizedSelectorFactory2023, MyComponentName2024Version3Final).
 */
function kindChanges(token: string): number {
  const kind = (c: number) => (c >= 97 && c <= 122 ? 0 : c >= 65 && c <= 90 ? 1 : c >= 48 && c <= 57 ? 2 : 3);
  let changes = 0;
  for (let i = 1; i < token.length; i++) if (kind(token.charCodeAt(i)) !== kind(token.charCodeAt(i - 1))) changes++;
  return token.length > 1 ? changes / (token.length - 1) : 0;
}

/** Random-looking: letters and digits mixed, not hex, not a UUID, not words run together. */
function randomToken(token: string, minEntropy: number): boolean {
  if (token.length > MAX_TOKEN || !/\d/.test(token) || !/[A-Za-z]/.test(token)) return false;
  if (UUID_SHAPE.test(token) || HEX.test(token.replace(/-/g, ''))) return false;
  return entropy(token) >= minEntropy && kindChanges(token.replace(/[_+/=-]/g, '')) >= 0.3;
}

export function findSecrets(text: string): Candidate[] {
  const out: Candidate[] = [];
  // One pass for every known prefix; each hit is then checked with its own pattern.
  let coveredUntil = 0;
  for (const hit of text.matchAll(KEY_PREFIXES)) {
    if (hit.index < coveredUntil) continue;
    for (const re of KEY_PATTERNS) {
      re.lastIndex = hit.index;
      const m = re.exec(text);
      if (m) {
        out.push({ kind: 'secret', start: m.index, end: m.index + m[0].length });
        coveredUntil = m.index + m[0].length;
        break;
      }
    }
  }
  out.push(...findPrivateKeys(text));
  for (const m of text.matchAll(FLAG_PASSWORD)) {
    const start = m.index + m[0].length - m[1]!.length;
    out.push({ kind: 'secret', start, end: start + m[1]!.length });
  }
  for (const m of text.matchAll(NAMED_SECRET)) {
    // Punctuation that ends the sentence is not part of the value.
    const value = m[1]!.replace(/[.,;:!?)\]}]+$/, '');
    if (value.length < 8) continue;
    // "password is hunter2…", "the token expires": a word, not a value.
    if (/^[a-z]+$/.test(value) || /^(?:null|none|true|false|undefined|your|xxx+|\*+|\.\.\.)/i.test(value)) continue;
    if (!/\d/.test(value) && value.length < 16) continue;
    const start = m.index + m[0].length - m[1]!.length;
    out.push({ kind: 'secret', start, end: start + value.length });
  }
  // Public SSH keys and inline data (data:…;base64,…) hold long base64 that is not secret.
  const notSecret = (start: number) =>
    /(?:ssh-(?:rsa|ed25519|dss)|ecdsa-sha2-nistp\d+|sk-ssh-ed25519@openssh\.com) $|;base64,$/.test(text.slice(Math.max(0, start - 40), start));
  // Generic long random tokens, at least 32 characters.
  for (const m of text.matchAll(/(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{32,}(?![A-Za-z0-9_-])/g)) {
    // Subresource-integrity digests (sha512-…) name their hash; they are not keys.
    if (/^sha(?:1|256|384|512)-/i.test(m[0]) || notSecret(m.index)) continue;
    if (randomToken(m[0], 3.5)) out.push({ kind: 'secret', start: m.index, end: m.index + m[0].length });
  }
  // Base64 with "+" or "/", such as AWS secret access keys (40 characters): the split on
  // "/" above would cut them in pieces. Paths and URLs stay below the entropy bar.
  for (const m of text.matchAll(/(?<![A-Za-z0-9+/=_.:-])[A-Za-z0-9+/]{40,}={0,2}(?![A-Za-z0-9+/=_-])/g)) {
    const token = m[0];
    if (token.length > MAX_TOKEN || !/[+/]/.test(token) || token.includes('//') || !/[A-Z]/.test(token) || !/[a-z]/.test(token)) continue;
    // A path (…/document/d/…) has plain lower-case words between its slashes; base64 does not.
    if (token.split('/').some((part) => /^[a-z]{1,12}$/.test(part)) || notSecret(m.index)) continue;
    if (randomToken(token.replace(/[+/=]/g, ''), 4)) out.push({ kind: 'secret', start: m.index, end: m.index + token.length });
  }
  return out;
}

const PEM_BODY_LINE = /\r?\n[ \t]{0,8}(?:[A-Za-z0-9+/=]{16,100}|[A-Za-z-]{1,20}: [^\n]{0,200})(?=[ \t]{0,8}(?:\r?\n|$))/y;
const PEM_END = /(?:\r?\n[ \t]{0,8}[A-Za-z0-9+/=]{1,16})?\s{0,4}-----END (?:[A-Z0-9]{1,12} ){0,3}PRIVATE KEY-----/y;

/**
 * PEM private keys: from "-----BEGIN … PRIVATE KEY-----" to its END line, or, when the END
 * was cut off, through the base64 lines that follow. Bodies pasted without the header are
 * caught as two or more consecutive base64 lines of key length.
 */
function findPrivateKeys(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of text.matchAll(/-----BEGIN (?:[A-Z0-9]{1,12} ){0,3}PRIVATE KEY-----/g)) {
    // The body line by line (base64, or "Proc-Type: …" headers), then its END if it is there:
    // a key cut off before its END ends with its last body line, never at another key's END.
    let at = m.index + m[0].length;
    for (PEM_BODY_LINE.lastIndex = at; PEM_BODY_LINE.exec(text); ) at = PEM_BODY_LINE.lastIndex;
    PEM_END.lastIndex = at;
    if (PEM_END.exec(text)) at = PEM_END.lastIndex;
    out.push({ kind: 'secret', start: m.index, end: at });
  }
  // Headerless bodies: two or more lines of 40–76 base64 characters (PEM wraps at 64).
  for (const m of text.matchAll(
    /(?:^|(?<=\n))[ \t]{0,8}[A-Za-z0-9+/]{40,76}={0,2}[ \t]{0,8}(?:\r?\n[ \t]{0,8}[A-Za-z0-9+/]{16,76}={0,2}[ \t]{0,8}){1,200}(?=\r?\n|$)/g,
  )) {
    const block = m[0];
    const compact = block.replace(/\s/g, '');
    if (!/[A-Z]/.test(compact) || !/[a-z]/.test(compact) || !/\d/.test(compact) || entropy(compact) < 5) continue;
    const lead = block.length - block.trimStart().length;
    out.push({ kind: 'secret', start: m.index + lead, end: m.index + block.trimEnd().length });
  }
  return out;
}
