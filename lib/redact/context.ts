// The words just before a number often say what it is: "Tel:", "手機", "WhatsApp" before a
// phone number; "order", "訂單", "ISBN" before a number that only looks like one.
// Latin-script words must stand alone; words in scripts written without spaces may be glued.

const PHONE_WORDS = [
  'tel',
  'tél',
  'tele',
  'phone',
  'telephone',
  'téléphone',
  'call',
  'ring',
  'text',
  'sms',
  'mobile',
  'mob',
  'cell',
  'cellphone',
  'fax',
  'whatsapp',
  'viber',
  'signal',
  'telegram',
  'line id',
  'contact',
  'reach me',
  'hotline',
  'fon',
  'telefon',
  'telefonnummer',
  'handy',
  'handynummer',
  'rufnummer',
  'anrufen',
  'telefone',
  'telemóvel',
  'celular',
  'cel',
  'móvil',
  'movil',
  'teléfono',
  'telefono',
  'ligue',
  'llama',
  'llame',
  'appelez',
  'appeler',
  'portable',
  'numéro',
  'número',
  'numero',
  'nummer',
  'contato',
  'contacto',
  'cellulare',
  'chiamare',
  'telefoon',
  'bel',
  'телефон',
  'тел',
  'моб',
  'звоните',
  'هاتف',
  'جوال',
  'موبايل',
  'फ़ोन',
  'फोन',
  'मोबाइल',
  'điện thoại',
  'sđt',
  'gọi',
  'โทร',
  'เบอร์',
  'nomor',
  'hp',
  'wa',
  'telp',
  'no hp',
  'cep',
  'gsm',
  'kom',
  'komórka',
  '電話',
  '电话',
  '手機',
  '手机',
  '行動電話',
  '聯絡',
  '联系',
  '聯繫',
  '撥打',
  '拨打',
  '致電',
  '携帯',
  '電話番号',
  'でんわ',
  '전화',
  '휴대폰',
  '핸드폰',
  '연락처',
  '번호',
];

const NOT_PRIVATE_WORDS = [
  'order',
  'order no',
  'order number',
  'ticket',
  'invoice',
  'tracking',
  'tracking number',
  'booking',
  'reservation',
  'confirmation',
  'reference',
  'ref',
  'case',
  'case number',
  'serial',
  'serial number',
  'sku',
  'part',
  'model',
  'isbn',
  'issn',
  'ean',
  'upc',
  'gtin',
  'doi',
  'pmid',
  'arxiv',
  'routing',
  'routing number',
  'aba',
  'swift',
  'bic',
  'blz',
  'sort code',
  'population',
  'inhabitants',
  'zip',
  'zip code',
  'postal code',
  'postcode',
  'cep',
  'plz',
  'código postal',
  'code postal',
  'cap',
  '〒',
  '郵遞區號',
  '邮编',
  '郵便番号',
  '우편번호',
  'version',
  'build',
  'commit',
  'sha',
  'hash',
  'checksum',
  'digest',
  'transaction',
  'txn',
  'receipt',
  'shipment',
  'parcel',
  'awb',
  'waybill',
  'flight',
  'pnr',
  'patent',
  'issue',
  'pr',
  'bug',
  'ticket no',
  'request',
  'pedido',
  'encomenda',
  'rastreio',
  'protocolo',
  'nota fiscal',
  'fatura',
  'factura',
  'commande',
  'facture',
  'suivi',
  'colis',
  'bestellung',
  'bestellnummer',
  'auftrag',
  'rechnung',
  'sendung',
  'sendungsnummer',
  'aktenzeichen',
  'ordine',
  'fattura',
  'заказ',
  'накладная',
  'трек',
  'رقم الطلب',
  'ऑर्डर',
  '訂單',
  '订单',
  '單號',
  '单号',
  '編號',
  '编号',
  '發票',
  '发票',
  '運單',
  '运单',
  '快遞',
  '快递',
  '物流',
  '追蹤',
  '追踪',
  '序號',
  '序号',
  '注文',
  '注文番号',
  '予約',
  '予約番号',
  '伝票',
  '追跡',
  '問い合わせ番号',
  '주문',
  '주문번호',
  '송장',
  '운송장',
  '예약',
];

// Small words that may sit between the naming word and the number: "call me on", "order
// no.", "number is", "電話番号は".
const CONNECTIVES = new Set([
  'no',
  'nr',
  'num',
  'number',
  'is',
  'es',
  'é',
  'ist',
  'est',
  'me',
  'us',
  'on',
  'at',
  'to',
  'em',
  'para',
  'au',
  'unter',
  'my',
  'our',
  'his',
  'her',
  'your',
  'the',
  'a',
  'o',
  'a',
  'de',
  'do',
  'da',
  'du',
  'la',
  'le',
  'el',
  'mi',
  'meu',
  'minha',
  'mein',
  'meine',
  'mon',
  'ma',
]);
const CJK_TRAILERS = /[是為为はのがを：:號号]+$/u;

interface WordList {
  words: Set<string>;
  /** Longest entry in characters, for suffix checks of glued (CJK) text. */
  longest: number;
}

function compile(words: readonly string[]): WordList {
  return { words: new Set(words.map((w) => w.toLowerCase())), longest: Math.max(...words.map((w) => w.length)) };
}

const LETTER = /[\p{L}\p{M}]/u;

// Letter or not, per UTF-16 unit, learnt on first sight: 0 unknown, 1 letter, 2 not.
const LETTER_CACHE = new Uint8Array(0x10000);

function isLetter(ch: string): boolean {
  const c = ch.charCodeAt(0);
  if (c < 128) return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  if (LETTER_CACHE[c] === 0) LETTER_CACHE[c] = LETTER.test(ch) || (c >= 0xd800 && c <= 0xdfff) ? 1 : 2;
  return LETTER_CACHE[c] === 1;
}

function isDigit(ch: string): boolean {
  const c = ch.charCodeAt(0);
  return c >= 48 && c <= 57;
}

/** Up to `max` words before the end of `window`, last first; stops at a digit. */
function lastWords(window: string, max: number): string[] {
  const words: string[] = [];
  let i = window.length - 1;
  while (i >= 0 && words.length < max) {
    while (i >= 0 && !isLetter(window[i]!) && !isDigit(window[i]!)) i--;
    if (i < 0 || isDigit(window[i]!)) break;
    const end = i + 1;
    while (i >= 0 && isLetter(window[i]!)) i--;
    words.push(window.slice(i + 1, end).toLowerCase());
  }
  return words;
}

// The last words before a position, kept for the next question about the same position
// (a phone run asks "named a phone?" and then "named an order?").
let lastAsked: { text: string; start: number; words: string[] } | undefined;

function wordsBefore(text: string, start: number): string[] {
  if (lastAsked?.text === text && lastAsked.start === start) return lastAsked.words;
  const words = lastWords(before(text, start), 5);
  lastAsked = { text, start, words };
  return words;
}

/**
 * Whether the words right before the number (skipping punctuation and connectives) are in
 * the list: the last word, the last two, or, for text without spaces, any suffix of it.
 * Linear in the 24-character window, whatever the lists hold.
 */
function named(words: string[], list: WordList): boolean {
  let k = 0;
  for (; k < words.length && k < 3 && CONNECTIVES.has(words[k]!); k++);
  const last = words[k];
  if (last === undefined) return false;
  if (list.words.has(last)) return true;
  if (words[k + 1] !== undefined && list.words.has(`${words[k + 1]} ${last}`)) return true;
  // Glued scripts: "打我電話", "電話番号は" → suffixes "電話", "電話番号".
  if (last.charCodeAt(0) >= 0x0e00) {
    for (const glued of [last, last.replace(CJK_TRAILERS, '')])
      for (let n = 1; n <= Math.min(list.longest, glued.length); n++) if (list.words.has(glued.slice(-n))) return true;
  }
  return false;
}

const PHONE_CONTEXT = compile(PHONE_WORDS);
const NOT_PRIVATE_CONTEXT = compile(NOT_PRIVATE_WORDS);

/** The up to 24 characters before `start`, on the same line. */
function before(text: string, start: number): string {
  const window = text.slice(Math.max(0, start - 24), start);
  const newline = window.lastIndexOf('\n');
  return newline >= 0 ? window.slice(newline + 1) : window;
}

export function saysPhone(text: string, start: number): boolean {
  return named(wordsBefore(text, start), PHONE_CONTEXT);
}

export function saysNotPrivate(text: string, start: number): boolean {
  return named(wordsBefore(text, start), NOT_PRIVATE_CONTEXT);
}

export type { WordList };
export { compile as wordList };

/** The text just before `start` names it with one of the words of `list`. */
export function saysOneOf(text: string, start: number, list: WordList): boolean {
  return named(wordsBefore(text, start), list);
}
