/**
 * Invoice-level checks: the first line's invoice fields, reuse of an invoice number, and the
 * totals once every line is read.
 */
import { formatMoney, isCurrencyCode } from '../money.js';
import type { FieldReader } from './field-reader.js';
import { newInvoiceState, type InvoiceState } from './invoice-state.js';
import { F } from './ledes1998b.js';
import { scaledToCents } from './numbers.js';
import type { ProblemList } from './problems.js';

const INVOICE = 'on every line (invoice-level field)';

/** Reads and checks the invoice-level fields on an invoice's first line. */
export function startInvoice(
  reader: FieldReader,
  problems: ProblemList,
  international: boolean,
): InvoiceState {
  const { line, values } = reader;
  const state = newInvoiceState(reader.text(F.INVOICE_NUMBER), line, values);
  reader.date(F.INVOICE_DATE, INVOICE);
  reader.required(F.CLIENT_ID, INVOICE);
  reader.required(F.LAW_FIRM_MATTER_ID, INVOICE);
  reader.required(F.LAW_FIRM_ID, '(the spec: "a null value would be an error")');
  // Optional in the spec, but many portals route invoices on it.
  reader.required(F.CLIENT_MATTER_ID, 'by most portals to route the invoice', 'warning');
  const total = reader.number(F.INVOICE_TOTAL, INVOICE);
  state.statedTotal = total == null ? null : scaledToCents(total);
  checkPeriod(reader, problems, state);
  if (international) {
    const currency = reader.required(F.INVOICE_CURRENCY, 'in LEDES98BI');
    if (currency !== null && !isCurrencyCode(currency))
      problems.error(
        line,
        'INVOICE_CURRENCY',
        'INVALID_CURRENCY',
        `"${currency}" is not an ISO 4217 code`,
      );
    state.currency = reader.text(F.INVOICE_CURRENCY);
    const tax = reader.number(F.INVOICE_TAX_TOTAL, 'in LEDES98BI');
    const net = reader.number(F.INVOICE_NET_TOTAL, 'in LEDES98BI');
    state.statedTax = tax == null ? null : scaledToCents(tax);
    state.statedNet = net == null ? null : scaledToCents(net);
    reader.number(F.INVOICE_REPORTED_TAX_TOTAL, null);
    const taxCurrency = reader.text(F.INVOICE_TAX_CURRENCY);
    if (taxCurrency !== '' && !isCurrencyCode(taxCurrency))
      problems.error(
        line,
        'INVOICE_TAX_CURRENCY',
        'INVALID_CURRENCY',
        `"${taxCurrency}" is not an ISO 4217 code`,
      );
  }
  return state;
}

function checkPeriod(reader: FieldReader, problems: ProblemList, state: InvoiceState): void {
  const start = reader.date(F.BILLING_START_DATE, INVOICE);
  const end = reader.date(F.BILLING_END_DATE, INVOICE);
  if (start === null || end === null) return;
  if (start > end) {
    problems.error(
      state.firstLine,
      'BILLING_END_DATE',
      'BILLING_PERIOD_INVERTED',
      `The billing period ends (${end}) before it starts (${start})`,
    );
    return;
  }
  state.periodStart = start;
  state.periodEnd = end;
  // Several portals accept one calendar month per invoice (Collaborati, Onit, Legal Tracker).
  if (start.slice(0, 6) !== end.slice(0, 6))
    problems.warning(
      state.firstLine,
      'BILLING_END_DATE',
      'BILLING_PERIOD_SPANS_MONTHS',
      `The billing period ${start}–${end} spans more than one calendar month; many portals refuse that`,
    );
}

/**
 * A later line of an invoice number already seen. Another client means another invoice under the
 * same number (numbers are unique per firm). Another matter for the same client is a multi-matter
 * invoice: the spec allows it "if acceptable to the receiving system", many portals refuse it.
 */
export function checkSameInvoice(
  reader: FieldReader,
  problems: ProblemList,
  state: InvoiceState,
): void {
  const client = reader.text(F.CLIENT_ID);
  const matter = reader.text(F.LAW_FIRM_MATTER_ID);
  if (client === state.clientId && matter === state.matterId) return;
  state.reported ??= new Set();
  const key = client === state.clientId ? `matter\u0000${matter}` : `client\u0000${client}`;
  if (state.reported.has(key)) return;
  state.reported.add(key);
  if (client !== state.clientId)
    problems.error(
      reader.line,
      'CLIENT_ID',
      'INVOICE_NUMBER_REUSED',
      `Invoice number ${state.number} is also used for client ${client} (line ${state.firstLine} bills client ${state.clientId}); an invoice number identifies one invoice of the firm`,
    );
  else
    problems.warning(
      reader.line,
      'LAW_FIRM_MATTER_ID',
      'MULTI_MATTER_INVOICE',
      `Invoice ${state.number} covers several matters (${state.matterId} and ${matter}); many portals accept one matter per invoice`,
    );
}

/** Totals of one invoice, checked against the first line's stated values. */
export function checkTotals(
  state: InvoiceState,
  problems: ProblemList,
  international: boolean,
): void {
  const { lineSum, taxSum, firstLine, number } = state;
  if (state.statedTotal !== null && lineSum !== null && lineSum !== state.statedTotal)
    problems.error(
      firstLine,
      'INVOICE_TOTAL',
      'INVOICE_TOTAL_MISMATCH',
      `INVOICE_TOTAL ${formatMoney(state.statedTotal)} of invoice ${number} is not the sum of its ${state.lineCount} line totals, ${formatMoney(lineSum)}`,
    );
  if (!international || taxSum === null) return;
  if (state.statedTax !== null && taxSum !== state.statedTax)
    problems.error(
      firstLine,
      'INVOICE_TAX_TOTAL',
      'INVOICE_TAX_TOTAL_MISMATCH',
      `INVOICE_TAX_TOTAL ${formatMoney(state.statedTax)} of invoice ${number} is not the sum of its line taxes, ${formatMoney(taxSum)}`,
    );
  if (state.statedNet !== null && lineSum !== null && state.statedNet !== lineSum - taxSum)
    problems.error(
      firstLine,
      'INVOICE_NET_TOTAL',
      'INVOICE_NET_TOTAL_MISMATCH',
      `INVOICE_NET_TOTAL ${formatMoney(state.statedNet)} of invoice ${number} is not its line totals less tax, ${formatMoney(lineSum - taxSum)}`,
    );
}
