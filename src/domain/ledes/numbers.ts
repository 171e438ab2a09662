/**
 * Exact number and date handling for LEDES values: amounts and units as scaled integers, tax rates
 * as scaled integers with BigInt products, dates as `YYYYMMDD` checked against the calendar.
 */
import { daysInMonth, type IsoDate } from '../dates.js';
import { divideRoundHalfUp, formatScaled, parseScaled } from '../money.js';

/** Decimals accepted when reading amounts and units: the spec's Currency/Number fields allow 4 ("12.4"). */
export const READ_SCALE = 4;
/** Decimals a tax rate may carry when Matterflow writes it ("0.061245" has 6). */
export const WRITE_TAX_RATE_SCALE = 6;
/** Decimals a tax rate may carry when read from a file (more tolerant than what we write). */
export const READ_TAX_RATE_SCALE = 10;

const POWERS = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000];

/** 10^n for small n as a plain number. */
export function pow10(n: number): number {
  return POWERS[n] ?? 10 ** n;
}

/**
 * round-half-up(a × b / divisor) for integers, exact; null when the result is beyond a safe
 * integer (a malformed file can hold absurd values, and validation must report, not throw).
 * Uses plain numbers while the product is a safe integer (every realistic line), BigInt beyond.
 */
export function mulDivRoundHalfUp(a: number, b: number, divisor: number): number | null {
  const product = a * b;
  if (!Number.isSafeInteger(product)) return bigDivide(BigInt(a) * BigInt(b), BigInt(divisor));
  // `%` on safe integers is exact, so the quotient below is an exact integer division.
  const remainder = product % divisor;
  const quotient = (product - remainder) / divisor;
  if (2 * Math.abs(remainder) >= divisor) return quotient + (product < 0 ? -1 : 1);
  return quotient;
}

/**
 * Tax on a net amount in cents at a rate scaled by 10^scale: round-half-up(net × rate), exact via
 * BigInt; null when beyond a safe integer.
 */
export function taxOn(netCents: number, rateScaled: number, rateScale: number): number | null {
  return bigDivide(BigInt(netCents) * BigInt(rateScaled), 10n ** BigInt(rateScale));
}

function bigDivide(numerator: bigint, denominator: bigint): number | null {
  try {
    return divideRoundHalfUp(numerator, denominator);
  } catch {
    return null;
  }
}

/**
 * Parses a LEDES amount, unit count or rate into an integer scaled by 10^scale; null if malformed.
 * Same result as `parseScaled(text, scale)`, but a character scan handles the plain values
 * that fill every file without a regex or string building (validation reads millions of them);
 * anything unusual (spaces, very long numbers) goes to `parseScaled` itself.
 */
export function readDecimal(text: string, scale: number = READ_SCALE): number | null {
  const length = text.length;
  let i = 0;
  let negative = false;
  const first = text.charCodeAt(0);
  if (first === 45 || first === 43) {
    negative = first === 45;
    i = 1;
  }
  let value = 0;
  let digits = 0;
  for (; i < length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) break;
    value = value * 10 + digit;
    digits++;
  }
  if (digits === 0 || digits > 15) return parseScaled(text, scale);
  let decimals = 0;
  if (i < length) {
    if (text.charCodeAt(i) !== 46) return parseScaled(text, scale);
    for (i++; i < length; i++) {
      const digit = text.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) return parseScaled(text, scale);
      if (decimals < scale) {
        value = value * 10 + digit;
        decimals++;
      } else if (digit !== 0) return null;
    }
  }
  value *= pow10(scale - decimals);
  if (!Number.isSafeInteger(value)) return parseScaled(text, scale);
  return negative ? -value : value;
}

/** Converts a value scaled by 10^READ_SCALE to cents, rounding half-up (spec amounts may carry 4 decimals). */
export function scaledToCents(value: number): number {
  // A safe integer divided by 100 always stays safe, so the result is never null.
  return mulDivRoundHalfUp(value, 1, pow10(READ_SCALE - 2)) ?? 0;
}

/** Formats a tax rate scaled by 10^scale without trailing zeros ("0.2", "0.061245", "0"). */
export function formatRate(rateScaled: number, scale: number): string {
  return trimZeros(formatScaled(rateScaled, scale));
}

/** Formats hundredths as units with at most two decimals and no trailing zeros ("2", "0.3", "1.25"). */
export function formatUnits(hundredths: number): string {
  return trimZeros(formatScaled(hundredths, 2));
}

function trimZeros(text: string): string {
  if (!text.includes('.')) return text;
  let end = text.length;
  while (text.charCodeAt(end - 1) === 48) end--;
  if (text.charCodeAt(end - 1) === 46) end--;
  return text.slice(0, end);
}

/** True when `text` is a real calendar date written `YYYYMMDD` (rejects 20260230). */
export function isLedesDate(text: string): boolean {
  if (text.length !== 8) return false;
  let year = 0;
  let month = 0;
  let day = 0;
  for (let i = 0; i < 8; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return false;
    if (i < 4) year = year * 10 + digit;
    else if (i < 6) month = month * 10 + digit;
    else day = day * 10 + digit;
  }
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** `2026-03-31` → `20260331`. */
export function toLedesDate(date: IsoDate): string {
  return date.slice(0, 4) + date.slice(5, 7) + date.slice(8, 10);
}

/** `20260331` → `2026-03-31`. */
export function fromLedesDate(date: string): IsoDate {
  return `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`;
}
