/**
 * How a matter's fee arrangement shapes the lines of a draft. Pure: the bill run passes the
 * lines it valued and what the invoice and the matter already billed, and gets the lines to add
 * and, for a capped matter, the invoice-level fee adjustment that keeps fees within the cap.
 *
 * - hourly: a fee line per entry, as valued.
 * - flat: the agreed amount as one fee line, billed once per matter (on its first invoice);
 *   the work is listed at no charge for information.
 * - contingency: fees are listed at no charge and only expenses are billed until the invoice
 *   has an outcome amount (the fee earned on the outcome), which then becomes one fee line.
 * - capped: fee lines as hourly plus one IF line bringing fees down to what remains of the cap
 *   after the matter's earlier invoices.
 */
import { markNoCharge, amountOf, type PlannedLine } from './valuation.js';

export type FeeArrangement = 'hourly' | 'flat' | 'contingency' | 'capped';

export interface ArrangementInput {
  arrangement: FeeArrangement;
  /** The matter's agreed amount: the flat fee or the cap. */
  feeAmount: number | null;
  /** The invoice's outcome amount (contingency), null until entered. */
  outcomeAmount: number | null;
  /** Lines valued in this run (fee and expense). */
  newLines: PlannedLine[];
  /** This invoice already carries its flat or contingency fee line. */
  hasFixedFeeLine: boolean;
  /** An earlier invoice of the matter already billed the flat fee. */
  flatFeeBilledBefore: boolean;
  /** Billed fee lines already on this invoice. */
  existingFees: number;
  /** Fees (net of cap adjustments) billed on the matter's other non-void invoices. */
  feesBilledBefore: number;
}

/** The cap as one invoice sees it. */
export interface CapBalance {
  cap: number;
  billedBefore: number;
  /** Fees on this invoice before the cap adjustment. */
  invoiceFees: number;
  /** The IF line's amount (0 or negative). */
  adjustment: number;
  /** What remains of the cap after this invoice. */
  remaining: number;
}

export interface ArrangementPlan {
  lines: PlannedLine[];
  cap: CapBalance | null;
}

/** Applies the arrangement to the newly valued lines. */
export function applyArrangement(input: ArrangementInput): ArrangementPlan {
  const lines = [...input.newLines];
  const fees = lines.filter((l) => l.lineType === 'F');
  switch (input.arrangement) {
    case 'hourly':
      return { lines, cap: null };
    case 'flat': {
      for (const line of fees) markNoCharge(line, 'flat_fee');
      if (!input.hasFixedFeeLine && !input.flatFeeBilledBefore && input.feeAmount !== null)
        lines.unshift(fixedFeeLine('Flat fee as agreed', input.feeAmount));
      return { lines, cap: null };
    }
    case 'contingency': {
      for (const line of fees) markNoCharge(line, 'contingency_fee');
      if (!input.hasFixedFeeLine && input.outcomeAmount !== null)
        lines.unshift(fixedFeeLine('Contingency fee on the outcome', input.outcomeAmount));
      return { lines, cap: null };
    }
    case 'capped': {
      const cap = input.feeAmount ?? 0;
      const invoiceFees = input.existingFees + fees.reduce((sum, l) => sum + amountOf(l.billed), 0);
      const available = Math.max(0, cap - input.feesBilledBefore);
      const excess = Math.max(0, invoiceFees - available);
      return {
        lines,
        cap: {
          cap,
          billedBefore: input.feesBilledBefore,
          invoiceFees,
          adjustment: excess === 0 ? 0 : -excess,
          remaining: available - (invoiceFees - excess),
        },
      };
    }
  }
}

/** One fee line for an agreed amount: 1 unit at the amount, with no time entry behind it. */
export function fixedFeeLine(description: string, amount: number): PlannedLine {
  const values = { units: 100, unitCost: amount, adjustment: 0 };
  return {
    lineType: 'F',
    timeEntryId: null,
    expenseId: null,
    workDate: null,
    timekeeperId: null,
    taskCode: null,
    activityCode: null,
    expenseCode: null,
    description,
    billed: { ...values },
    worked: values,
    disposition: 'bill',
    adjustments: [],
  };
}
