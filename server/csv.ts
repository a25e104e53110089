// CSV writing for exports: RFC 4180 quoting plus the OWASP rule against CSV injection.
// Uploaders write the text of a highlights row (the marked phrase, suggestion, note, model
// label), and a spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (and, in some,
// TAB or CR) as a formula — `=HYPERLINK(…)` that leaks the sheet, or worse. Such a text cell
// gets a leading `'` and is quoted, so spreadsheets show it as text.
//
// Only text is escaped: numbers (offsets) are written as numbers, so `-1` in a numeric
// column would stay `-1`. The escape is reversible (`unescapeCsvCell`): a text that already
// starts with quotes before a trigger character gets one more, so no value is ambiguous.

/** A text cell a spreadsheet could run: optional leading `'`s, then a formula trigger. */
const FORMULA_START = /^'*[=+\-@\t\r]/;

/** A text value as a spreadsheet-safe cell value (before RFC 4180 quoting). */
export function escapeFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** The original text of a cell written by `escapeFormula`, for code that reads the CSV. */
export function unescapeCsvCell(cell: string): string {
  return /^'+[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

/** One cell: numbers as they are; text formula-escaped, quoted when escaped or when it holds `,` `"` or a line break. */
export function csvCell(value: string | number | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const escaped = escapeFormula(value);
  return escaped !== value || /[",\r\n]/.test(escaped) ? `"${escaped.replace(/"/g, '""')}"` : escaped;
}

export function csvRow(values: ReadonlyArray<string | number | undefined>): string {
  return values.map(csvCell).join(',');
}

export const CSV_NEWLINE = '\r\n';
