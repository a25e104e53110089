// E-mail addresses, plain or spelled out to dodge scrapers: "jane at example dot com",
// "jane [at] example [dot] com", "jane(at)example(dot)com", "jane AT example DOT org",
// "joao arroba exemplo ponto com".
import type { Candidate } from './types';

const LOCAL_CHAR_WIDE = /[\p{L}\p{N}]/u;
/** A character allowed in a local part (ASCII fast path; letters and digits of any script). */
const LOCAL_CHAR = {
  test(ch: string): boolean {
    const c = ch.charCodeAt(0);
    // Letters, digits and . _ % + - ' (kate.o'brien@…).
    if (c < 128)
      return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 46 || c === 95 || c === 37 || c === 43 || c === 45 || c === 39;
    return LOCAL_CHAR_WIDE.test(ch);
  },
};
// The domain after an "@", tried exactly there (sticky). Bounded parts (RFC 5321: a label is
// at most 63 characters), so no input makes it backtrack far.
const DOMAIN = /@(?:[\p{L}\p{N}-]{1,63}\.){1,8}\p{L}{2,24}(?![\p{L}\p{N}-])/uy;

export function findEmails(text: string): Candidate[] {
  const out: Candidate[] = [];
  // From each "@": the local part backwards (at most 64 characters), the domain forwards.
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
    let start = at;
    while (start > 0 && at - start < 64 && LOCAL_CHAR.test(text[start - 1]!)) start--;
    // A surrogate pair (𝐚) is not in the class above; never start inside a longer local part.
    if (start > 0 && LOCAL_CHAR.test(text[start - 1]!)) continue;
    while (text[start] === '.' || text[start] === "'") start++; // a local part can't start with a dot; a quote is punctuation
    if (start === at) continue;
    DOMAIN.lastIndex = at;
    const domain = DOMAIN.exec(text);
    if (!domain) continue;
    // user@host:path is an scp/git address (git@github.com:acme/app.git), not a mailbox.
    const after = text[at + domain[0].length];
    if (after === ':' && /[^\s]/.test(text[at + domain[0].length + 1] ?? ' ')) continue;
    out.push({ kind: 'email', start, end: at + domain[0].length });
  }
  out.push(...findSpelledOut(text));
  return out;
}

// Bracketed forms are unambiguous; bare " at " and " dot " need an all-lower or all-upper
// keyword and a top-level domain at the end, and the word before " at " must not be one of
// the words that usually precede "at" in a sentence ("look at example dot com").
const AT = String.raw`(?:[ \t]{0,2}(?:\[at\]|\(at\)|\{at\}|<at>|\[@\]|\(@\)|\{@\}|\[arroba\]|\(arroba\))[ \t]{0,2}|[ \t]{1,2}(?:at|AT|arroba)[ \t]{1,2})`;
const DOT = String.raw`(?:[ \t]{0,2}(?:\[dot\]|\(dot\)|\{dot\}|<dot>|\[\.\]|\(\.\)|\[punto\]|\(punto\)|\[ponto\]|\(ponto\))[ \t]{0,2}|[ \t]{1,2}(?:dot|DOT|punto|ponto|point|punkt)[ \t]{1,2}|\.)`;
const SPELLED = new RegExp(
  String.raw`(?<![\p{L}\p{N}._%+-])([\p{L}\p{N}][\p{L}\p{N}._%+-]{0,63})${AT}([\p{L}\p{N}][\p{L}\p{N}-]{0,62})((?:${DOT}[\p{L}\p{N}][\p{L}\p{N}-]{0,62}){1,4})(?![\p{L}\p{N}])`,
  'iuy',
);
const TLD =
  /^(?:com|org|net|edu|gov|mil|int|info|biz|io|co|ai|app|dev|me|xyz|online|site|tech|uk|de|fr|es|it|pt|br|mx|ar|cl|co|pe|nl|be|ch|at|se|no|dk|fi|pl|cz|ru|ua|tr|gr|il|in|cn|tw|hk|jp|kr|sg|my|id|th|vn|ph|au|nz|ca|us|za|ng|ke|eg|sa|ae|ir|pk|bd)$/i;
const NOT_A_MAILBOX = new Set([
  'look',
  'looking',
  'looked',
  'arrive',
  'arrived',
  'arriving',
  'stay',
  'stayed',
  'meet',
  'met',
  'be',
  'is',
  'are',
  'was',
  'were',
  'am',
  'me',
  'us',
  'you',
  'him',
  'her',
  'them',
  'it',
  'we',
  'they',
  'i',
  'he',
  'she',
  'work',
  'works',
  'worked',
  'working',
  'live',
  'lives',
  'lived',
  'study',
  'studied',
  'available',
  'online',
  'found',
  'find',
  'shop',
  'buy',
  'bought',
  'sold',
  'sell',
  'go',
  'went',
  'visit',
  'visited',
  'read',
  'posted',
  'published',
  'hosted',
  'located',
  'based',
  'here',
  'there',
  'good',
  'bad',
  'best',
  'better',
  'great',
  'aim',
  'aimed',
  'point',
  'pointed',
  'hint',
  'laugh',
  'smile',
  'stare',
  'glance',
  'click',
  'clicked',
  'log',
  'logged',
  'sign',
  'signed',
  'registered',
  'listed',
  'and',
  'or',
  'but',
  'not',
  'only',
  'just',
  'also',
  'even',
  'both',
  'all',
  'one',
  'two',
]);

// Where a spelled-out "at" could be: checked first, so text without one costs one scan.
const AT_ANCHOR = /[ \t](?:at|AT|arroba)[ \t]|[[({<](?:at|AT|@|arroba)[\])}>]/g;

function findSpelledOut(text: string): Candidate[] {
  const out: Candidate[] = [];
  let coveredUntil = 0;
  for (const anchor of text.matchAll(AT_ANCHOR)) {
    if (anchor.index < coveredUntil) continue;
    // Back up over the local part (and up to two spaces before the bracketed form).
    let start = anchor.index;
    while (start > 0 && anchor.index - start < 2 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
    const end = start;
    while (start > 0 && end - start < 64 && LOCAL_CHAR.test(text[start - 1]!)) start--;
    if (start === end) continue;
    SPELLED.lastIndex = start;
    const m = SPELLED.exec(text);
    if (!m) continue;
    const [whole, local, , rest] = m as unknown as [string, string, string, string];
    const labels = rest.split(new RegExp(DOT, 'iu')).filter(Boolean);
    const tld = labels.at(-1) ?? '';
    if (!TLD.test(tld)) continue;
    // A plain address ("a@b.de") is found by the pattern above.
    if (whole.includes('@') && !/[[({<]@/.test(whole)) continue;
    const bracketed = /[[({<](?:at|@|arroba)[\])}>]/i.test(whole);
    if (!bracketed) {
      if (NOT_A_MAILBOX.has(local.toLowerCase())) continue;
      // Bare "at" also needs a spelled-out dot somewhere, or a mailbox-like local part.
      const spelledDot = /[ \t](?:dot|DOT|punto|ponto|point|punkt)[ \t]|[[({<](?:dot|\.|punto|ponto)[\])}>]/i.test(rest);
      if (!spelledDot && !/[._+\d]/.test(local)) continue;
    }
    out.push({ kind: 'email', start: m.index, end: m.index + whole.length });
    coveredUntil = m.index + whole.length;
  }
  return out;
}
