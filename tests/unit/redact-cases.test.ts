// The redaction gaps and false alarms issue 11 names, one by one, plus the national ids and
// the offset bookkeeping of the normalised copy.
import { describe, expect, it } from 'vitest';
import {
  aadhaarValid,
  chineseResidentIdValid,
  cpfValid,
  findRedactions,
  findReportRedactions,
  regionOf,
  spanishIdValid,
  taiwanIdValid,
  type RedactionKind,
} from '../../lib/redact';
import { sampleUploaded } from '../helpers/sample-reports';

function found(text: string, locale?: string): Array<[RedactionKind, string]> {
  return findRedactions(text, { locale }).map((r) => [r.kind, r.original]);
}

describe('phone numbers the hand-written shapes missed', () => {
  it.each([
    ['手機0912345678', 'zh-TW', '0912345678'],
    ['電話番号は090-1234-5678です', 'ja-JP', '090-1234-5678'],
    ['Tel:+886912345678', 'en-US', '+886912345678'],
    ['WhatsApp:+5511912345678', 'pt-BR', '+5511912345678'],
    ['我的手机13812345678', 'zh-CN', '13812345678'],
    ['打給我13812345678', 'zh-TW', '13812345678'],
    ['請撥０９１２－３４５－６７８', 'zh-TW', '０９１２－３４５－６７８'],
  ])('finds the phone number in %s (%s)', (text, locale, phone) => {
    expect(found(text, locale)).toEqual([['phone', phone]]);
  });

  it("reads national numbers with the expected locale's region", () => {
    // 0912 345 678 is a Taiwanese mobile; 030 12345678 a Berlin number.
    expect(found('請打 0912 345 678', 'zh-TW')).toEqual([['phone', '0912 345 678']]);
    expect(found('Bitte 030 12345678 anrufen', 'de-DE')).toEqual([['phone', '030 12345678']]);
    // The same digits in another country's plan are no number anyone dials there.
    expect(found('Lot 0912 345 678 arrived', 'en-US')).toEqual([]);
  });

  it('leaves a number the text calls an order or ticket alone, even when it is a valid phone', () => {
    expect(found('訂單編號 0912345678', 'zh-TW')).toEqual([]);
    expect(found('order no. 030 12345678', 'de-DE')).toEqual([]);
  });

  it('takes a compact ten-digit North American number for a phone only when the text says so', () => {
    expect(found('The largest 32-bit integer is 2147483647.', 'en-US')).toEqual([]);
    expect(found('text me: 2147483647', 'en-US')).toEqual([['phone', '2147483647']]);
    expect(found('call 214-748-3647', 'en-US')).toEqual([['phone', '214-748-3647']]);
  });

  it('wants the trunk 0 where people always write it, but not where they never do', () => {
    expect(found('timestamp 1732960200', 'de-DE')).toEqual([]);
    expect(found('Handy 01732960200', 'de-DE')).toEqual([['phone', '01732960200']]);
    expect(found('móvil 612345678', 'es-ES')).toEqual([['phone', '612345678']]);
    expect(found('Pedro 612345678', 'es-ES')).toEqual([['phone', '612345678']]);
  });

  it('reads space-grouped thousands as a number, not a phone', () => {
    expect(found('Population of Tokyo: 37 468 000', 'zh-TW')).toEqual([]);
    expect(found('Einwohner 37 468 000', 'de-DE')).toEqual([]);
  });

  it('does not take dates, postal codes or codes for phone numbers', () => {
    expect(found('the meeting is at 2024-11-30 10:30', 'en-US')).toEqual([]);
    expect(found('CEP 04538-132, São Paulo', 'pt-BR')).toEqual([]);
    expect(found('Invoice INV-2024-000123 for 3 items.', 'en-US')).toEqual([]);
  });
});

describe('full-width forms and offsets', () => {
  it('reports spans in the original text, not in the normalised copy', () => {
    const text = '連絡先：ｊｉｒｏ＠ｅｘａｍｐｌｅ．ｊｐ／０９０－１２３４－５６７８';
    const list = findRedactions(text, { locale: 'ja-JP' });
    expect(list.map((r) => [r.kind, r.original])).toEqual([
      ['email', 'ｊｉｒｏ＠ｅｘａｍｐｌｅ．ｊｐ'],
      ['phone', '０９０－１２３４－５６７８'],
    ]);
    for (const r of list) expect(text.slice(r.start, r.end)).toBe(r.original);
  });

  it('keeps offsets right when normalising changes lengths before and inside a match', () => {
    // ﬁ (1 unit) → fi (2), ㍻ (1) → 平成 (2), 𝟎 (2 units) → 0 (1): the map has to absorb all three.
    const text = 'ﬁle ㍻ 𝟎𝟗𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖 call 0912-345-678 or mail ﬁ@example.com';
    const list = findRedactions(text, { locale: 'zh-TW' });
    expect(list.map((r) => [r.kind, r.original])).toEqual([
      ['phone', '𝟎𝟗𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖'],
      ['phone', '0912-345-678'],
      ['email', 'ﬁ@example.com'],
    ]);
    for (const r of list) expect(text.slice(r.start, r.end)).toBe(r.original);
  });

  it('reads Arabic-Indic digits', () => {
    expect(found('للتواصل ٠١٠١٢٣٤٥٦٧٨', 'ar-EG')).toEqual([['phone', '٠١٠١٢٣٤٥٦٧٨']]);
  });
});

describe('secrets', () => {
  it('finds an AWS secret access key, named or not', () => {
    const key = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    expect(found(`aws_secret_access_key = ${key}`)).toEqual([['secret', key]]);
    const bare = 'Kq7/Zp3+Wm9xTb2Lr5Nc8Vd1Fh4Gj6Hs0Ay2Eu7Io';
    expect(found(`my key: ${bare} keep it safe`)).toEqual([['secret', bare]]);
  });

  it('redacts a PEM private key from BEGIN to END', () => {
    const pem =
      '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\nMzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu\n-----END PRIVATE KEY-----';
    expect(found(`Use this:\n${pem}\nthen restart.`)).toEqual([['secret', pem]]);
  });

  it('redacts a PEM body cut off before its END line, and a body pasted without header', () => {
    const body = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\nMzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu';
    expect(found(`-----BEGIN RSA PRIVATE KEY-----\n${body}`)).toEqual([['secret', `-----BEGIN RSA PRIVATE KEY-----\n${body}`]]);
    expect(found(`the body:\n${body}\nend`)).toEqual([['secret', body]]);
  });

  it("ends a key cut off before its END at its last line, not at a later key's END", () => {
    const body = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\nMzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu';
    const cut = `-----BEGIN PRIVATE KEY-----\n${body}`;
    const whole = `-----BEGIN RSA PRIVATE KEY-----\n${body}\n-----END RSA PRIVATE KEY-----`;
    const text = `${cut}\n\nCall me on 0912-345-678 about it.\n\n${whole}`;
    expect(found(text, 'zh-TW')).toEqual([
      ['secret', cut],
      ['phone', '0912-345-678'],
      ['secret', whole],
    ]);
  });

  it('leaves a SHA-256 digest, a git commit id, an MD5 and a UUID alone', () => {
    expect(found('sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08')).toEqual([]);
    expect(found('Fixed in commit 3f786850e387550fdab836ed7e6dc881de23001b.')).toEqual([]);
    expect(found('MD5 5d41402abc4b2a76b9719d911017c592')).toEqual([]);
    expect(found('id 550e8400-e29b-41d4-a716-446655440000')).toEqual([]);
  });

  it('leaves the look-alikes of code answers alone', () => {
    expect(found('git clone git@github.com:acme/widgets.git')).toEqual([]);
    expect(found('const useCallbackMemoizedSelectorFactory2023 = 1;')).toEqual([]);
    expect(found('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl me@laptop')).toEqual([]);
    expect(found('<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==">')).toEqual(
      [],
    );
    expect(found('send to 0x71C7656EC7ab88b098defB751B7401B5f6d8976F')).toEqual([]);
    expect(found('see https://docs.example.com/document/d/guide/edit/section/intro/page2/final')).toEqual([]);
    // A mailbox followed by a colon and a space is still a mailbox.
    expect(found('Email: jane@example.com: she answers fast')).toEqual([['email', 'jane@example.com']]);
  });

  it('takes the whole value after a password name, and a password glued to mysql -p', () => {
    expect(found('password: Tr0ub4dor&3xyz.')).toEqual([['secret', 'Tr0ub4dor&3xyz']]);
    expect(found('mysql -u root -pS3cr3tPassw0rd!2024 mydb')).toEqual([['secret', 'S3cr3tPassw0rd!2024']]);
  });

  it('still redacts a hex value handed over as a key', () => {
    expect(found('api_key: 5f4dcc3b5aa765d61d8327deb882cf99')).toEqual([['secret', '5f4dcc3b5aa765d61d8327deb882cf99']]);
  });
});

describe('cards', () => {
  it('finds card numbers grouped with dots', () => {
    expect(found('card 4111.1111.1111.1111')).toEqual([['card', '4111.1111.1111.1111']]);
  });

  it('leaves a Luhn-valid ticket or order number alone', () => {
    expect(found('ticket 4539578763621486')).toEqual([]);
    expect(found('Your order #4539578763621486 has shipped.')).toEqual([]);
    expect(found('訂單編號 4012888888881881 已出貨', 'zh-TW')).toEqual([]);
  });

  it('needs a real issuer range and length, and card-like grouping', () => {
    // Luhn-valid, but no network issues 16-digit numbers starting with 1 or 9.
    expect(found('ref 1234 5678 9012 3452')).toEqual([]);
    // Luhn-valid Visa digits in groups no card is printed in.
    expect(found('4111 11 1111 1111 11')).toEqual([]);
    expect(found('Amex 3782 822463 10005')).toEqual([['card', '3782 822463 10005']]);
  });
});

describe('e-mail addresses spelled out', () => {
  it.each([
    ['write to jane at example dot com', 'jane at example dot com'],
    ['bob [at] example [dot] org', 'bob [at] example [dot] org'],
    ['contact (at) exemple (dot) fr', 'contact (at) exemple (dot) fr'],
    ['m.jones AT example DOT com', 'm.jones AT example DOT com'],
    ['joao.silva arroba exemplo ponto com ponto br', 'joao.silva arroba exemplo ponto com ponto br'],
  ])('finds %s', (text, address) => {
    expect(found(text)).toEqual([['email', address]]);
  });

  it('keeps an apostrophe that belongs to the mailbox', () => {
    expect(found("Forward it to kate.o'brien@example.com please")).toEqual([['email', "kate.o'brien@example.com"]]);
    expect(found("'jane@example.com'")).toEqual([['email', 'jane@example.com']]);
  });

  it('leaves sentences that merely contain "at" and "dot" alone', () => {
    expect(found('look at example dot com for details')).toEqual([]);
    expect(found('we met at noon dot the café')).toEqual([]);
    expect(found('see you at home.')).toEqual([]);
  });
});

describe('national identity numbers with check digits', () => {
  it.each([
    ['CPF: 529.982.247-25', 'pt-BR', '529.982.247-25'],
    ['Informe o CPF 11144477735', 'pt-BR', '11144477735'],
    ['身分證字號 A123456789', 'zh-TW', 'A123456789'],
    ['DNI 12345678Z', 'es-ES', '12345678Z'],
    ['NIE X1234567L', 'es-ES', 'X1234567L'],
    ['身份证号码 11010519491231002X', 'zh-CN', '11010519491231002X'],
    ['Aadhaar: 2341 2341 2346', 'en-IN', '2341 2341 2346'],
  ])('redacts %s', (text, locale, id) => {
    expect(found(text, locale)).toEqual([['national_id', id]]);
  });

  it.each([
    ['CPF: 529.982.247-26', 'pt-BR'],
    ['身分證字號 A123456788', 'zh-TW'],
    ['DNI 12345678A', 'es-ES'],
    ['身份证号码 110105194912310021', 'zh-CN'],
    ['Aadhaar: 2341 2341 2347', 'en-IN'],
    // Eleven bare digits are only a CPF when called one.
    ['pedido 11144477735', 'pt-BR'],
  ])('leaves %s (wrong check digit or unnamed) alone', (text, locale) => {
    expect(found(text, locale).filter(([kind]) => kind === 'national_id')).toEqual([]);
  });

  it('checks each check-digit scheme', () => {
    expect(cpfValid('52998224725')).toBe(true);
    expect(cpfValid('11111111111')).toBe(false);
    expect(taiwanIdValid('A123456789')).toBe(true);
    expect(taiwanIdValid('A123456780')).toBe(false);
    expect(spanishIdValid('12345678Z')).toBe(true);
    expect(spanishIdValid('Y7429106M')).toBe(true);
    expect(spanishIdValid('Y7429106N')).toBe(false);
    expect(chineseResidentIdValid('11010519491231002X')).toBe(true);
    // A valid check digit over an impossible birth date (31 February).
    expect(chineseResidentIdValid('110105194902310026')).toBe(false);
    expect(aadhaarValid('234123412346')).toBe(true);
    expect(aadhaarValid('134123412346')).toBe(false);
  });
});

describe('locales', () => {
  it('turns an expected locale into the phone region', () => {
    expect(regionOf('zh-TW')).toBe('TW');
    expect(regionOf('ja')).toBe('JP');
    expect(regionOf('pt')).toBe('BR');
    expect(regionOf('sr-Latn-RS')).toBe('RS');
    expect(regionOf(undefined)).toBeUndefined();
    expect(regionOf('not a tag')).toBeUndefined();
  });

  it('redacts a report with its own expected locale', () => {
    const report = { ...sampleUploaded(0), expected_locale: 'zh-TW', answer: '有問題請撥 02 2345 6789 找客服。', prompt: undefined, comment: undefined };
    expect(findReportRedactions(report).map((r) => [r.field, r.kind, r.original])).toEqual([['answer', 'phone', '02 2345 6789']]);
  });
});
