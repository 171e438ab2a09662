/**
 * A LEDES file as it arrives (uploaded or read from disk): its bytes decoded to text and
 * validated. The CLI and the API both go through here, so they report the same thing.
 */
import { AppError } from '../../domain/errors.js';
import type { LedesFormat, LedesProblem, LedesSummary } from '../../domain/ledes/index.js';
import { validateLedes } from '../../domain/ledes/index.js';

/** What `ledes validate --json` prints and POST /ledes/validate returns. */
export interface LedesValidation {
  /** Null when line 1 is not a LEDES tag: the text is not a LEDES file at all. */
  format: LedesFormat | null;
  summary: LedesSummary;
  problems: LedesProblem[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

// Files that are not UTF-8 come from Windows billing systems, where "ANSI" means windows-1252.
// It differs from Latin-1 only in 0x80-0x9F (0x92 is the curly apostrophe), and Node's decoder
// treats that range as Latin-1, so it is mapped here; the warnings then show the real character.
const CP1252_80_9F =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return latin1.replace(/[\x80-\x9f]/g, (c) => CP1252_80_9F[c.charCodeAt(0) - 0x80] ?? c);
}

/**
 * Decodes a LEDES file's bytes: UTF-8 when they are valid UTF-8 (ASCII always is), windows-1252
 * otherwise; the validator warns about every non-ASCII character either way. Throws
 * LEDES_NOT_TEXT for UTF-16 or binary content, which no portal reads as LEDES.
 */
export function decodeLedesFile(bytes: Uint8Array): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    throw notText(
      'The file is UTF-16 encoded; LEDES files are ASCII text (save it as ASCII or UTF-8)',
    );
  const nul = bytes.indexOf(0);
  if (nul !== -1)
    throw notText(`The file holds binary data (a NUL byte at offset ${nul}); LEDES files are text`);
  try {
    return utf8.decode(bytes);
  } catch {
    return decodeWindows1252(bytes);
  }
}

/** Decodes and validates a LEDES file, reporting every problem by line and field. */
export function validateLedesFile(bytes: Uint8Array): LedesValidation {
  return validateLedesText(decodeLedesFile(bytes));
}

/** Validates already decoded text. */
export function validateLedesText(text: string): LedesValidation {
  const { format, summary, problems } = validateLedes(text);
  return { format, summary, problems };
}

function notText(message: string): AppError {
  return new AppError('validation', 'LEDES_NOT_TEXT', message);
}
