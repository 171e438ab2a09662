/**
 * What the validator remembers about each invoice number while it walks the records. The spec
 * makes the first occurrence of invoice-level values authoritative ("for each INVOICE_NUMBER only
 * the first INVOICE_DATE counts"), so those are read once, from the invoice's first line.
 */

export interface InvoiceState {
  number: string;
  firstLine: number;
  clientId: string;
  matterId: string;
  /** Clients and matters already reported as differing from the first line's. */
  reported: Set<string> | null;
  /** INVOICE_TOTAL of the first line in cents; null when missing or malformed. */
  statedTotal: number | null;
  /** Billing period as valid YYYYMMDD strings (compared as strings); null when unusable. */
  periodStart: string | null;
  periodEnd: string | null;
  /** 98BI: the first line's currency and stated tax and net totals (cents). */
  currency: string;
  statedTax: number | null;
  statedNet: number | null;
  lineNumbers: Set<string>;
  lineCount: number;
  /** Σ LINE_ITEM_TOTAL and Σ LINE_ITEM_TAX_TOTAL in cents; null once a line's value is unusable. */
  lineSum: number | null;
  taxSum: number | null;
}

export function newInvoiceState(
  number: string,
  line: number,
  values: readonly string[],
): InvoiceState {
  return {
    number,
    firstLine: line,
    clientId: values[2] ?? '',
    matterId: values[3] ?? '',
    reported: null,
    statedTotal: null,
    periodStart: null,
    periodEnd: null,
    currency: '',
    statedTax: null,
    statedNet: null,
    lineNumbers: new Set(),
    lineCount: 0,
    lineSum: 0,
    taxSum: 0,
  };
}
