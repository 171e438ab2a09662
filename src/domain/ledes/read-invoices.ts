/**
 * Turns a parsed LEDES file back into the invoice model, for imports and for proving the writer's
 * output reads back unchanged. Invoice-level values come from each invoice's first line, as the
 * spec makes the first occurrence authoritative.
 */
import { validationError, type FieldIssue } from '../errors.js';
import { parseMoney, parseScaled } from '../money.js';
import type { LedesAddress, LedesInvoice, LedesLine, LedesTimekeeper } from './ledes-invoice.js';
import { F, isLineType } from './ledes1998b.js';
import { fromLedesDate, isLedesDate } from './numbers.js';
import type { ParsedLedes } from './parser.js';

/** The invoices of a parsed file; throws a validation AppError when a value does not fit the model. */
export function readLedesInvoices(parsed: ParsedLedes): LedesInvoice[] {
  const issues: FieldIssue[] = [];
  if (parsed.format === null)
    throw validationError('LEDES_UNREADABLE', 'Not a LEDES file', [
      { field: 'format', line: 1, message: 'unknown format' },
    ]);
  const international = parsed.format === 'LEDES98BI V2';
  const invoices = new Map<string, LedesInvoice>();
  for (const { line, values } of parsed.records) {
    const value = (index: number) => values[index] ?? '';
    const fail = (index: number, message: string) =>
      issues.push({ field: parsed.fields[index] ?? '', line, message });
    const date = (index: number) => {
      if (isLedesDate(value(index))) return fromLedesDate(value(index));
      fail(index, 'is not a YYYYMMDD date');
      return '';
    };
    const scaled = (index: number, parse: (text: string) => number | null) => {
      if (value(index) === '') return 0;
      const result = parse(value(index));
      if (result === null) fail(index, 'is not a number with at most 2 decimals');
      return result ?? 0;
    };
    const number = value(F.INVOICE_NUMBER);
    let invoice = invoices.get(number);
    if (invoice === undefined) {
      invoice = {
        invoiceNumber: number,
        invoiceDate: date(F.INVOICE_DATE),
        clientId: value(F.CLIENT_ID),
        lawFirmMatterId: value(F.LAW_FIRM_MATTER_ID),
        clientMatterId: value(F.CLIENT_MATTER_ID),
        lawFirmId: value(F.LAW_FIRM_ID),
        billingStartDate: date(F.BILLING_START_DATE),
        billingEndDate: date(F.BILLING_END_DATE),
        description: value(F.INVOICE_DESCRIPTION),
        currency: international ? value(F.INVOICE_CURRENCY) : '',
        lines: [],
      };
      if (international) {
        const address = (first: number): LedesAddress => ({
          line1: value(first),
          line2: value(first + 1),
          city: value(first + 2),
          stateOrRegion: value(first + 3),
          postcode: value(first + 4),
          country: value(first + 5),
        });
        invoice.international = {
          poNumber: value(F.PO_NUMBER),
          clientTaxId: value(F.CLIENT_TAX_ID),
          matterName: value(F.MATTER_NAME),
          accountType: value(F.ACCOUNT_TYPE),
          lawFirmName: value(F.LAW_FIRM_NAME),
          lawFirmAddress: address(F.LAW_FIRM_ADDRESS_1),
          clientName: value(F.CLIENT_NAME),
          clientAddress: address(F.CLIENT_ADDRESS_1),
          taxCurrency: value(F.INVOICE_TAX_CURRENCY),
          reportedTaxTotal: scaled(F.INVOICE_REPORTED_TAX_TOTAL, parseMoney),
        };
      }
      invoices.set(number, invoice);
    }
    const type = value(F['EXP/FEE/INV_ADJ_TYPE']);
    if (!isLineType(type)) fail(F['EXP/FEE/INV_ADJ_TYPE'], 'is not F, E, IF or IE');
    const code = (index: number) => (value(index) === '' ? null : value(index));
    const item: LedesLine = {
      type: isLineType(type) ? type : 'F',
      date: date(F.LINE_ITEM_DATE),
      units: scaled(F.LINE_ITEM_NUMBER_OF_UNITS, (text) => parseScaled(text, 2)),
      unitCost: scaled(F.LINE_ITEM_UNIT_COST, parseMoney),
      adjustment: scaled(F.LINE_ITEM_ADJUSTMENT_AMOUNT, parseMoney),
      taskCode: code(F.LINE_ITEM_TASK_CODE),
      activityCode: code(F.LINE_ITEM_ACTIVITY_CODE),
      expenseCode: code(F.LINE_ITEM_EXPENSE_CODE),
      timekeeper: readTimekeeper(value, international),
      description: value(F.LINE_ITEM_DESCRIPTION),
    };
    if (international) {
      item.taxRate = code(F.LINE_ITEM_TAX_RATE);
      item.taxType = value(F.LINE_ITEM_TAX_TYPE);
    }
    invoice.lines.push(item);
  }
  if (issues.length > 0)
    throw validationError(
      'LEDES_UNREADABLE',
      'The LEDES file has values Matterflow cannot read',
      issues,
    );
  return [...invoices.values()];
}

function readTimekeeper(
  value: (index: number) => string,
  international: boolean,
): LedesTimekeeper | null {
  const id = value(F.TIMEKEEPER_ID);
  const name = value(F.TIMEKEEPER_NAME);
  const classification = value(F.TIMEKEEPER_CLASSIFICATION);
  const last = international ? value(F.TIMEKEEPER_LAST_NAME) : '';
  const first = international ? value(F.TIMEKEEPER_FIRST_NAME) : '';
  if (id === '' && name === '' && classification === '' && last === '' && first === '') return null;
  if (last !== '' || first !== '') return { id, lastName: last, firstName: first, classification };
  // `Last, First`: split at the last ", " so a suffix stays with the last name ("Smith, Jr., Ann").
  const comma = name.lastIndexOf(', ');
  if (comma === -1) return { id, lastName: name, firstName: '', classification };
  return { id, lastName: name.slice(0, comma), firstName: name.slice(comma + 2), classification };
}
