/**
 * Money in integer minor units (cents) and hours in integer hundredths.
 *
 * Stored values never pass through binary floating point: amounts are parsed from decimal
 * strings into integers, multiplied as integers (BigInt where a product may exceed 2^53) and
 * rounded half-up (away from zero for negatives) to the cent.
 */

/** An amount of money in minor units of `currency` (e.g. cents of USD). */
export type Cents = number;
/** Hours in hundredths of an hour (1.25 h = 125). */
export type HundredthHours = number;

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d*))?$/;

/** Parses a plain decimal string into an integer scaled by 10^scale; null if malformed or too precise. */
export function parseScaled(text: string, scale: number): number | null {
  const match = DECIMAL.exec(text.trim());
  if (!match) return null;
  const [, sign, whole, fraction = ''] = match;
  if (fraction.length > scale) {
    // Extra digits are allowed only when they are zeros ("12.500" is 12.50).
    if (!/^0*$/.test(fraction.slice(scale))) return null;
  }
  const digits = `${whole}${fraction.slice(0, scale).padEnd(scale, '0')}`;
  const value = Number(digits);
  if (!Number.isSafeInteger(value)) return null;
  return sign === '-' ? -value : value;
}

/** Formats an integer scaled by 10^scale as a decimal string with exactly `scale` decimals. */
export function formatScaled(value: number, scale: number): string {
  assertInteger(value, 'value');
  const negative = value < 0;
  const digits = Math.abs(value)
    .toString()
    .padStart(scale + 1, '0');
  const whole = scale === 0 ? digits : digits.slice(0, -scale);
  const fraction = scale === 0 ? '' : `.${digits.slice(-scale)}`;
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** Parses "1234.5" into 123450 cents. Returns null for anything that is not a plain decimal with ≤ 2 decimals. */
export function parseMoney(text: string): Cents | null {
  return parseScaled(text, 2);
}

/** Formats cents as "1234.50". */
export function formatMoney(cents: Cents): string {
  return formatScaled(cents, 2);
}

/** Parses "1.25" into 125 hundredths. */
export function parseHours(text: string): HundredthHours | null {
  return parseScaled(text, 2);
}

/** Formats hundredths of an hour as "1.25". */
export function formatHours(hours: HundredthHours): string {
  return formatScaled(hours, 2);
}

/**
 * Divides two integers and rounds half-up (half away from zero) to an integer, exactly.
 * This is the one rounding rule for money in Matterflow.
 */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): number {
  if (denominator === 0n) throw new RangeError('division by zero');
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  let quotient = n / d;
  if ((n % d) * 2n >= d) quotient += 1n;
  const result = Number(negative ? -quotient : quotient);
  if (!Number.isSafeInteger(result)) throw new RangeError('amount out of range');
  return result;
}

/** Fee for hours at an hourly rate: round-half-up(hours × rate) to the cent. */
export function feeAmount(hours: HundredthHours, ratePerHour: Cents): Cents {
  assertInteger(hours, 'hours');
  assertInteger(ratePerHour, 'rate');
  return divideRoundHalfUp(BigInt(hours) * BigInt(ratePerHour), 100n);
}

/** Amount of a quantity (in hundredths) at a unit cost: round-half-up(quantity × cost) to the cent. */
export function extendedAmount(quantity: number, unitCost: Cents): Cents {
  return feeAmount(quantity, unitCost);
}

/** Sums integer amounts, refusing anything that is not a safe integer. */
export function sumCents(values: Iterable<Cents>): Cents {
  let total = 0;
  for (const value of values) {
    assertInteger(value, 'amount');
    total += value;
  }
  if (!Number.isSafeInteger(total)) throw new RangeError('total out of range');
  return total;
}

function assertInteger(value: number, name: string): void {
  if (!Number.isSafeInteger(value))
    throw new RangeError(`${name} must be a safe integer, got ${value}`);
}

/** ISO 4217 currency code shape. */
export function isCurrencyCode(text: string): boolean {
  return /^[A-Z]{3}$/.test(text);
}
