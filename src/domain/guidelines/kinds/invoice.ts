/**
 * Invoice-level kinds: they need a drafted invoice (its period, lines, total and the matter's
 * budget), so they run through `evaluateInvoice` rather than per entry.
 */
import { divideRoundHalfUp } from '../../money.js';
import type { IsoDate } from '../../dates.js';
import { makeFinding, type GuidelineSource } from '../findings.js';
import type { BillingPeriod, Finding, RuleOf } from '../guideline.types.js';
import { moneyText } from '../text.js';

/** What invoice-level rules look at. */
export interface InvoiceInput {
  /** Invoice number, or the draft's id before numbering. */
  readonly id: string;
  readonly matterCode: string;
  readonly period: BillingPeriod;
  readonly lines: readonly {
    readonly entity: 'time_entry' | 'expense';
    readonly id: string;
    readonly date: IsoDate;
  }[];
  readonly total: number;
  /** The matter's budget in cents; null when the matter has none. */
  readonly matterBudget: number | null;
  /** Already billed on the matter before this invoice, in cents. */
  readonly billedToDate: number;
}

export type InvoiceRule = RuleOf<'entry_outside_period' | 'budget' | 'invoice_total_threshold'>;

/** An invoice rule ready to run. */
export type CompiledInvoiceRule = (invoice: InvoiceInput, out: Finding[]) => void;

export function compileInvoiceRule(
  rule: InvoiceRule,
  source: GuidelineSource,
): CompiledInvoiceRule {
  switch (rule.kind) {
    case 'entry_outside_period':
      return (invoice, out) => {
        const { start, end } = invoice.period;
        for (const line of invoice.lines) {
          if (line.date >= start && line.date <= end) continue;
          // Portals reject the whole invoice for one line outside its period (Collaborati, Onit, Legal Tracker).
          const text = `Line dated ${line.date} is outside the invoice's billing period ${start} to ${end}: move it to the invoice for its own period.`;
          out.push(makeFinding(rule, source, line.entity, line.id, invoice.matterCode, text));
        }
      };
    case 'budget': {
      const percent = rule.params.threshold_percent;
      return (invoice, out) => {
        if (invoice.matterBudget === null) return;
        const limit = divideRoundHalfUp(BigInt(invoice.matterBudget) * BigInt(percent), 100n);
        const projected = invoice.billedToDate + invoice.total;
        if (projected <= limit) return;
        const share = percent === 100 ? 'the' : `${percent}% of the`;
        const text = `Billed to date ${moneyText(invoice.billedToDate)} plus this invoice's ${moneyText(invoice.total)} is ${moneyText(projected)}, above ${share} matter budget of ${moneyText(invoice.matterBudget)}: ask the client to approve a revised budget before sending.`;
        out.push(makeFinding(rule, source, 'invoice', invoice.id, invoice.matterCode, text));
      };
    }
    case 'invoice_total_threshold': {
      const max = rule.params.max_amount;
      return (invoice, out) => {
        if (invoice.total <= max) return;
        const text = `Invoice total ${moneyText(invoice.total)} is above the client's ${moneyText(max)} threshold: have the billing partner review it before it is sent.`;
        out.push(makeFinding(rule, source, 'invoice', invoice.id, invoice.matterCode, text));
      };
    }
  }
}
