/**
 * Checks on the writer's input. The writer never guesses: a value it cannot write faithfully (an
 * impossible date, negative units, an unmapped classification) stops the export with every issue
 * listed.
 */
import { isIsoDate } from '../dates.js';
import { validationError, type FieldIssue } from '../errors.js';
import { isCurrencyCode } from '../money.js';
import { mapClassification, type ClassificationMapping } from './classification.js';
import type { LedesInvoice } from './ledes-invoice.js';
import { isLineType, type LedesFormat } from './ledes1998b.js';
import { parseTaxRate } from './line-amounts.js';

/** Throws a validation AppError listing every issue when `invoices` cannot be written as `format`. */
export function assertWritable(
  invoices: readonly LedesInvoice[],
  format: LedesFormat,
  mapping: ClassificationMapping,
): void {
  const issues: FieldIssue[] = [];
  const international = format === 'LEDES98BI V2';
  invoices.forEach((invoice, i) => {
    const at = `invoices[${i}]`;
    for (const key of ['invoiceDate', 'billingStartDate', 'billingEndDate'] as const) {
      if (!isIsoDate(invoice[key]))
        issues.push({ field: `${at}.${key}`, message: 'must be a real YYYY-MM-DD date' });
    }
    if (international) {
      if (!isCurrencyCode(invoice.currency))
        issues.push({ field: `${at}.currency`, message: 'must be an ISO 4217 code' });
      const extra = invoice.international;
      const taxCurrency = extra?.taxCurrency;
      if (taxCurrency !== undefined && taxCurrency !== invoice.currency) {
        if (!isCurrencyCode(taxCurrency))
          issues.push({ field: `${at}.international.taxCurrency`, message: 'must be ISO 4217' });
        if (extra?.reportedTaxTotal === undefined)
          issues.push({
            field: `${at}.international.reportedTaxTotal`,
            message: 'is needed when tax is reported in another currency',
          });
      }
    }
    if (invoice.lines.length === 0)
      issues.push({ field: `${at}.lines`, message: 'a LEDES invoice needs at least one line' });
    invoice.lines.forEach((line, j) => {
      const lineAt = `${at}.lines[${j}]`;
      const issue = (field: string, message: string) =>
        issues.push({ field: `${lineAt}.${field}`, message });
      if (!isLineType(line.type)) issue('type', 'must be F, E, IF or IE');
      if (!isIsoDate(line.date)) issue('date', 'must be a real YYYY-MM-DD date');
      if (!Number.isSafeInteger(line.units) || line.units < 0)
        // The spec and portals refuse negative units; a credit goes in the adjustment.
        issue('units', 'must be a non-negative integer number of hundredths');
      if (!Number.isSafeInteger(line.unitCost)) issue('unitCost', 'must be integer cents');
      if (!Number.isSafeInteger(line.adjustment)) issue('adjustment', 'must be integer cents');
      const rate = line.taxRate;
      if (international && rate != null && rate.trim() !== '' && parseTaxRate(rate) === null)
        issue('taxRate', 'must be a non-negative decimal fraction with at most 6 decimals');
      const classification = line.timekeeper?.classification;
      if (classification !== undefined && mapClassification(classification, mapping) === null)
        issue(
          'timekeeper.classification',
          `has no code in the client's mapping: ${classification}`,
        );
    });
  });
  if (issues.length > 0)
    throw validationError('LEDES_INPUT_INVALID', 'The invoice cannot be written as LEDES', issues);
}
