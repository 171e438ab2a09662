/**
 * The arithmetic of a written line, in integer cents. One place so the writer, its tests and the
 * invoice totals agree to the cent.
 */
import { extendedAmount, parseScaled, type Cents } from '../money.js';
import type { LedesLine } from './ledes-invoice.js';
import { WRITE_TAX_RATE_SCALE, taxOn } from './numbers.js';

/** What the writer puts in a line's numeric fields. */
export interface LineAmounts {
  /** Hundredths written to LINE_ITEM_NUMBER_OF_UNITS. */
  units: number;
  unitCost: Cents;
  adjustment: Cents;
  /** round-half-up(units × unitCost) + adjustment: the line before tax. */
  net: Cents;
  /** 98BI: round-half-up(net × tax rate); 0 without a rate. */
  tax: Cents;
  /** LINE_ITEM_TOTAL: net plus tax (98BI line totals include tax; 1998B has no tax, so tax is 0). */
  total: Cents;
  /** The tax rate scaled by 10^WRITE_TAX_RATE_SCALE, or null when the line has none. */
  taxRate: number | null;
}

/** Parses a tax rate such as "0.20" into an integer scaled by 10^6; null when malformed or negative. */
export function parseTaxRate(rate: string): number | null {
  const scaled = parseScaled(rate, WRITE_TAX_RATE_SCALE);
  return scaled === null || scaled < 0 ? null : scaled;
}

/**
 * Computes a line's amounts. Each line is rounded to the cent on its own, because portals
 * recompute invoice totals from rounded lines (summing unrounded amounts drifts by a cent).
 * IF/IE lines are written as units 1, unit cost 0 and the whole amount in the adjustment, so both
 * the spec reading ("adjustment only, units ignored") and units × cost + adjustment give the same
 * total.
 */
export function lineAmounts(line: LedesLine, withTax: boolean): LineAmounts {
  const extended = extendedAmount(line.units, line.unitCost);
  const invoiceLevel = line.type === 'IF' || line.type === 'IE';
  const units = invoiceLevel ? 100 : line.units;
  const unitCost = invoiceLevel ? 0 : line.unitCost;
  const adjustment = invoiceLevel ? extended + line.adjustment : line.adjustment;
  const net = extended + line.adjustment;
  const rate =
    withTax && line.taxRate !== undefined && line.taxRate !== null && line.taxRate.trim() !== ''
      ? parseTaxRate(line.taxRate)
      : null;
  const tax = rate === null ? 0 : taxOn(net, rate, WRITE_TAX_RATE_SCALE);
  if (tax === null) throw new RangeError('tax out of range');
  return { units, unitCost, adjustment, net, tax, total: net + tax, taxRate: rate };
}
