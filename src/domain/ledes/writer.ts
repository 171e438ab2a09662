/**
 * LEDES 1998B and LEDES98BI V2 writers. Conventions (see docs/ledes.md): CRLF after every `[]`,
 * dates YYYYMMDD, money with two decimals, units without float noise, `Last, First` timekeeper
 * names, empty values left empty (never `NULL`), codes never filled in, forbidden characters
 * replaced by a space and reported.
 */
import { formatMoney, sumCents, type Cents } from '../money.js';
import { mapClassification, type ClassificationMapping } from './classification.js';
import { cleanValue, type CleanedValue } from './clean.js';
import type { LedesAddress, LedesInvoice, LedesLine, LedesTimekeeper } from './ledes-invoice.js';
import { fieldsOf, type Ledes98BIField, type LedesFormat } from './ledes1998b.js';
import { lineAmounts, type LineAmounts } from './line-amounts.js';
import { WRITE_TAX_RATE_SCALE, formatRate, formatUnits, toLedesDate } from './numbers.js';
import { assertWritable } from './writer-input.js';

/** Options shared by both writers. */
export interface LedesWriteOptions {
  /** How Matterflow classifications become TIMEKEEPER_CLASSIFICATION; `original` by default. */
  classification?: ClassificationMapping;
}

/** The file text and every value that had to be cleaned to fit the format. */
export interface LedesWriteResult {
  text: string;
  cleaned: CleanedValue[];
}

/** Writes invoices as one LEDES 1998B file. */
export function writeLedes1998B(
  invoices: readonly LedesInvoice[],
  options: LedesWriteOptions = {},
): LedesWriteResult {
  return writeLedes('LEDES1998B', invoices, options);
}

/** Writes invoices as one LEDES98BI V2 file (line totals include tax, currency on every line). */
export function writeLedes98BI(
  invoices: readonly LedesInvoice[],
  options: LedesWriteOptions = {},
): LedesWriteResult {
  return writeLedes('LEDES98BI V2', invoices, options);
}

// The spec leaves open whether CR/LF must follow `[]`; CRLF is the conservative choice.
const EOL = '[]\r\n';

function writeLedes(
  format: LedesFormat,
  invoices: readonly LedesInvoice[],
  options: LedesWriteOptions,
): LedesWriteResult {
  const mapping = options.classification ?? 'original';
  assertWritable(invoices, format, mapping);
  const fields = fieldsOf(format);
  const international = format === 'LEDES98BI V2';
  const out: string[] = [format + EOL, fields.join('|') + EOL];
  const cleaned: CleanedValue[] = [];
  let fileLine = 3;
  for (const invoice of invoices) {
    const amounts = invoice.lines.map((line) => lineAmounts(line, international));
    const context = { cleaned, invoiceNumber: invoice.invoiceNumber, line: fileLine };
    const head = invoiceValues(invoice, amounts, international, context);
    invoice.lines.forEach((line, index) => {
      context.line = fileLine;
      const values = [...head.first];
      values.push(String(index + 1), line.type);
      values.push(...lineValues(line, amounts[index] as LineAmounts, head, context, mapping));
      out.push(values.join('|') + EOL);
      fileLine++;
    });
  }
  return { text: out.join(''), cleaned };
}

interface CleanContext {
  cleaned: CleanedValue[];
  invoiceNumber: string;
  line: number;
}

function clean(value: string, field: Ledes98BIField, context: CleanContext): string {
  const after = cleanValue(value);
  if (after !== value) {
    const { line, invoiceNumber } = context;
    context.cleaned.push({ line, field, invoiceNumber, before: value, after });
  }
  return after;
}

interface InvoiceValues {
  /** INVOICE_DATE … INVOICE_DESCRIPTION (fields 1–8). */
  first: string[];
  lawFirmId: string;
  clientMatterId: string;
  /** The 98BI invoice-level values, split around the line-level ones. */
  intl: { head: string[]; parties: string[]; tail: string[] } | null;
}

/** Invoice-level values, cleaned (and reported) once per invoice: they repeat on every line. */
function invoiceValues(
  invoice: LedesInvoice,
  amounts: readonly LineAmounts[],
  international: boolean,
  context: CleanContext,
): InvoiceValues {
  // The invoice total is the sum of the rounded line totals (spec; portals recompute it so).
  const total = sumCents(amounts.map((a) => a.total));
  const first = [
    toLedesDate(invoice.invoiceDate),
    clean(invoice.invoiceNumber, 'INVOICE_NUMBER', context),
    clean(invoice.clientId, 'CLIENT_ID', context),
    clean(invoice.lawFirmMatterId, 'LAW_FIRM_MATTER_ID', context),
    formatMoney(total),
    toLedesDate(invoice.billingStartDate),
    toLedesDate(invoice.billingEndDate),
    clean(invoice.description, 'INVOICE_DESCRIPTION', context),
  ];
  const lawFirmId = clean(invoice.lawFirmId, 'LAW_FIRM_ID', context);
  const clientMatterId = clean(invoice.clientMatterId, 'CLIENT_MATTER_ID', context);
  if (!international) return { first, lawFirmId, clientMatterId, intl: null };
  const extra = invoice.international;
  const tax: Cents = sumCents(amounts.map((a) => a.tax));
  const currency = clean(invoice.currency, 'INVOICE_CURRENCY', context);
  const text = (value: string | undefined, field: Ledes98BIField) =>
    clean(value ?? '', field, context);
  const address = (a: LedesAddress | undefined, prefix: 'LAW_FIRM' | 'CLIENT') => [
    text(a?.line1, `${prefix}_ADDRESS_1`),
    text(a?.line2, `${prefix}_ADDRESS_2`),
    text(a?.city, `${prefix}_CITY`),
    text(a?.stateOrRegion, `${prefix}_STATEorREGION`),
    text(a?.postcode, `${prefix}_POSTCODE`),
    text(a?.country, `${prefix}_COUNTRY`),
  ];
  const head = [
    text(extra?.poNumber, 'PO_NUMBER'),
    text(extra?.clientTaxId, 'CLIENT_TAX_ID'),
    text(extra?.matterName, 'MATTER_NAME'),
    formatMoney(tax),
    // INVOICE_NET_TOTAL = INVOICE_TOTAL − INVOICE_TAX_TOTAL.
    formatMoney(total - tax),
    currency,
  ];
  const parties = [
    text(extra?.accountType, 'ACCOUNT_TYPE'),
    text(extra?.lawFirmName, 'LAW_FIRM_NAME'),
    ...address(extra?.lawFirmAddress, 'LAW_FIRM'),
    text(extra?.clientName, 'CLIENT_NAME'),
    ...address(extra?.clientAddress, 'CLIENT'),
  ];
  const taxCurrency = extra?.taxCurrency ?? invoice.currency;
  const reported = taxCurrency === invoice.currency ? tax : (extra?.reportedTaxTotal ?? tax);
  const tail = [formatMoney(reported), text(taxCurrency, 'INVOICE_TAX_CURRENCY')];
  return { first, lawFirmId, clientMatterId, intl: { head, parties, tail } };
}

/** LINE_ITEM_NUMBER_OF_UNITS onward, for one line. */
function lineValues(
  line: LedesLine,
  amounts: LineAmounts,
  head: InvoiceValues,
  context: CleanContext,
  mapping: ClassificationMapping,
): string[] {
  const tk = line.timekeeper;
  const code = (value: string | null, field: Ledes98BIField) =>
    value === null ? '' : clean(value, field, context);
  const values = [
    formatUnits(amounts.units),
    formatMoney(amounts.adjustment),
    formatMoney(amounts.total),
    toLedesDate(line.date),
    code(line.taskCode, 'LINE_ITEM_TASK_CODE'),
    code(line.expenseCode, 'LINE_ITEM_EXPENSE_CODE'),
    code(line.activityCode, 'LINE_ITEM_ACTIVITY_CODE'),
    tk ? clean(tk.id, 'TIMEKEEPER_ID', context) : '',
    clean(line.description, 'LINE_ITEM_DESCRIPTION', context),
    head.lawFirmId,
    formatMoney(amounts.unitCost),
    tk ? clean(timekeeperName(tk), 'TIMEKEEPER_NAME', context) : '',
    tk
      ? clean(
          mapClassification(tk.classification, mapping) ?? '',
          'TIMEKEEPER_CLASSIFICATION',
          context,
        )
      : '',
    head.clientMatterId,
  ];
  const intl = head.intl;
  if (intl === null) return values;
  values.push(
    ...intl.head,
    tk ? clean(tk.lastName, 'TIMEKEEPER_LAST_NAME', context) : '',
    tk ? clean(tk.firstName, 'TIMEKEEPER_FIRST_NAME', context) : '',
    ...intl.parties,
    amounts.taxRate === null ? '' : formatRate(amounts.taxRate, WRITE_TAX_RATE_SCALE),
    formatMoney(amounts.tax),
    clean(line.taxType ?? '', 'LINE_ITEM_TAX_TYPE', context),
    ...intl.tail,
  );
  return values;
}

/** `Last, First`, as the spec example and portals write it; just the one part when the other is empty. */
export function timekeeperName(tk: Pick<LedesTimekeeper, 'firstName' | 'lastName'>): string {
  if (tk.firstName === '') return tk.lastName;
  if (tk.lastName === '') return tk.firstName;
  return `${tk.lastName}, ${tk.firstName}`;
}
