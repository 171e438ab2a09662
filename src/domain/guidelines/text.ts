/** Text and number helpers the rule kinds share: term matching, word counts, message formatting. */
import { formatMoney } from '../money.js';

/**
 * One case-insensitive regex matching any of `terms` as whole words or phrases. Compiled once per
 * rule so evaluating a narrative is one `test` call. Letters and digits on either side of a term
 * stop a match ("calendar" does not match "calendars"), while punctuation does not ("e-filing"
 * contains "filing"), and any run of spaces inside a phrase matches.
 */
export function compileTerms(terms: readonly string[]): RegExp | null {
  const parts = terms
    .map((term) => term.trim())
    .filter((term) => term.length > 0)
    .map((term) => term.split(/\s+/).map(escapeRegExp).join('\\s+'));
  if (parts.length === 0) return null;
  // Longest first, so a phrase wins over a word it starts with when the match is reported.
  parts.sort((a, b) => b.length - a.length);
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${parts.join('|')})(?![\\p{L}\\p{N}])`, 'iu');
}

/** Same as `compileTerms` but global, for removing every occurrence. */
export function compileTermsGlobal(terms: readonly string[]): RegExp | null {
  const single = compileTerms(terms);
  return single === null ? null : new RegExp(single.source, 'giu');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The first term of `pattern` found in `text`, as written there, or null. */
export function matchedTerm(pattern: RegExp | null, text: string): string | null {
  if (pattern === null) return null;
  const match = pattern.exec(text);
  return match === null ? null : match[0];
}

/** Counts runs of letters or digits, without allocating (narratives are scanned per entry). */
export function countWords(text: string): number {
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const isWordChar = isWordCode(text.charCodeAt(i));
    if (isWordChar && !inWord) words++;
    inWord = isWordChar;
  }
  return words;
}

function isWordCode(code: number): boolean {
  if (code < 128) {
    return (
      (code >= 48 && code <= 57) ||
      (code >= 65 && code <= 90) ||
      (code >= 97 && code <= 122) ||
      code === 39 // an apostrophe keeps "client's" one word
    );
  }
  // Non-ASCII letters count; no-break spaces and the general punctuation block (dashes, quotes) do not.
  return code !== 0xa0 && !(code >= 0x2000 && code <= 0x206f) && code !== 0x3000;
}

/** Lower-case words joined by single spaces, so "Call  client." equals "call client". */
export function normalizeNarrative(text: string): string {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0)
    .join(' ');
}

/** Hours as people write them: 400 → "4.0", 470 → "4.7", 425 → "4.25". */
export function hoursText(hundredths: number): string {
  const sign = hundredths < 0 ? '-' : '';
  const abs = Math.abs(hundredths);
  const whole = Math.floor(abs / 100);
  const rest = abs % 100;
  const fraction = rest % 10 === 0 ? String(rest / 10) : String(rest).padStart(2, '0');
  return `${sign}${whole}.${fraction}`;
}

/** Money for messages: 65000 → "650.00". */
export function moneyText(cents: number): string {
  return formatMoney(cents);
}

/** A list for messages: "a", "a and b", "a, b and c". */
export function listText(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;
}

/**
 * A finding's message for someone who may not see rates and amounts: the kinds whose messages
 * quote money say what is wrong in words; other messages are returned as they are.
 */
export function messageWithoutMoney(kind: string, message: string): string {
  switch (kind) {
    case 'rate_cap':
      return "The rate billed for this entry is above the client's cap for the timekeeper's classification; the billing team will bill it at the cap.";
    case 'approved_rate':
      return "The rate billed for this entry is above the timekeeper's approved rate on this matter; the billing team will bill the approved rate or get a new one approved.";
    case 'budget':
      return 'This invoice takes the matter over its budget; the billing team will ask the client to approve a revised budget before sending it.';
    case 'invoice_total_threshold':
      return "This invoice's total is above the client's review threshold; the billing partner reviews it before it is sent.";
    default:
      return message;
  }
}
