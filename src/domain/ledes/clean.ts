/**
 * Cleaning of free-text values before they go into a LEDES file. `|` separates fields, `[]` ends a
 * record and line breaks break the file, so each is replaced by a space and reported.
 */

/** One value the writer had to change, so the user can see and fix the source. */
export interface CleanedValue {
  /** 1-based line of the written file holding the value (its first line for invoice-level fields). */
  line: number;
  field: string;
  invoiceNumber: string;
  before: string;
  after: string;
}

/** True when the value holds nothing the format forbids (the common case, checked without allocating). */
function isClean(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    // 124 '|', 10 LF, 13 CR, 91 '[' followed by 93 ']'
    if (c === 124 || c === 10 || c === 13) return false;
    if (c === 91 && value.charCodeAt(i + 1) === 93) return false;
  }
  return true;
}

/** Replaces `|`, `[]`, CR, LF and CRLF with one space each; returns the value itself when clean. */
export function cleanValue(value: string): string {
  if (isClean(value)) return value;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '|' || ch === '\n') out += ' ';
    else if (ch === '\r') {
      out += ' ';
      if (value[i + 1] === '\n') i++;
    } else if (ch === '[' && value[i + 1] === ']') {
      out += ' ';
      i++;
    } else out += ch;
  }
  return out;
}
