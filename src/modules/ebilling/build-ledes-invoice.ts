/**
 * A stored invoice as the LEDES invoice model. Pure: it takes the rows the repository loaded and
 * decides nothing the data does not say. Missing codes stay missing (the readiness check reports
 * them); internal notes are never read; the client's profile picks the format, the ids and the
 * classification codes.
 */
import type { ClassificationMapping, LedesInvoice, LedesLine } from '../../domain/ledes/index.js';
import type { LedesFormat } from '../../domain/ledes/index.js';
import { parseHours } from '../../domain/money.js';
import type { LedesInvoiceRow, LedesLineRow } from './ebilling.repository.js';

/**
 * The LOC 2014 revised classification codes Matterflow can vouch for. The full revised list is
 * not confirmed, so a client on revised codes names the rest in its own map; a classification
 * neither names stops the export rather than being guessed.
 */
export const REVISED_CLASSIFICATION_CODES: Readonly<Record<string, string>> = {
  PT: 'PARTNR',
  AS: 'ASSOC',
};

/** The file format the client's profile asks for; 1998B (for a preview) when it asks for none. */
export function ledesFormatOf(invoice: Pick<LedesInvoiceRow, 'ebilling_format'>): LedesFormat {
  return invoice.ebilling_format === 'LEDES98BI' ? 'LEDES98BI V2' : 'LEDES1998B';
}

/** The client's classification mapping: original or revised codes, overridden by its own map. */
export function classificationMappingOf(
  invoice: Pick<LedesInvoiceRow, 'ledes_classification_codes' | 'ledes_classification_map'>,
): ClassificationMapping {
  const own = (invoice.ledes_classification_map ?? {}) as Record<string, string>;
  if (invoice.ledes_classification_codes === 'revised')
    return { custom: { ...REVISED_CLASSIFICATION_CODES, ...own } };
  if (Object.keys(own).length === 0) return 'original';
  return { custom: { PT: 'PT', AS: 'AS', OC: 'OC', LA: 'LA', OT: 'OT', PL: 'LA', ...own } };
}

/** The tax rate on the invoice's lines (98BI): the matter's own, else the client's; null for none. */
export function taxRateOf(
  invoice: Pick<LedesInvoiceRow, 'matter_tax_rate' | 'client_tax_rate'>,
): string | null {
  return invoice.matter_tax_rate ?? invoice.client_tax_rate ?? null;
}

/**
 * A line with no time entry and no timekeeper behind it on the fee side is an agreed amount
 * (a flat or contingency fee): LEDES has no timekeeper to put on it, so it goes out as an IF
 * line, the invoice-level fee, with the whole amount in the adjustment.
 */
function ledesLineType(line: LedesLineRow): LedesLine['type'] {
  if (line.line_type === 'F' && line.time_entry_id === null && line.timekeeper_id === null)
    return 'IF';
  return line.line_type as LedesLine['type'];
}

/** The LEDES model of a stored invoice; `lines[i]` is the stored line `lineNumbers[i]`. */
export function buildLedesInvoice(
  invoice: LedesInvoiceRow,
  lines: readonly LedesLineRow[],
): { invoice: LedesInvoice; lineNumbers: number[] } {
  const international = invoice.ebilling_format === 'LEDES98BI';
  const taxRate = international ? taxRateOf(invoice) : null;
  // An invoice dated when it is approved would change with the export day; until invoices carry
  // their own date, the last day of the billed period is the invoice date (never before it).
  const invoiceDate = invoice.invoice_date ?? invoice.period_end;
  const ledesLines = lines.map((line): LedesLine => {
    const out: LedesLine = {
      type: ledesLineType(line),
      date: line.work_date ?? invoice.period_end,
      units: parseHours(line.units) ?? Number.NaN,
      unitCost: Number(line.unit_cost_cents),
      adjustment: Number(line.adjustment_cents),
      taskCode: line.task_code,
      activityCode: line.activity_code,
      expenseCode: line.expense_code,
      timekeeper:
        line.timekeeper_code === null
          ? null
          : {
              id: line.timekeeper_code,
              firstName: line.first_name ?? '',
              lastName: line.last_name ?? '',
              classification: line.classification ?? '',
            },
      description: line.description,
    };
    if (international) {
      out.taxRate = taxRate;
      if (taxRate !== null && invoice.tax_type !== null) out.taxType = invoice.tax_type;
    }
    return out;
  });
  const model: LedesInvoice = {
    invoiceNumber: invoice.invoice_number,
    invoiceDate,
    clientId: invoice.ebilling_client_id ?? '',
    lawFirmMatterId: invoice.matter_code,
    clientMatterId: invoice.client_matter_id ?? '',
    lawFirmId: invoice.law_firm_id ?? '',
    billingStartDate: invoice.period_start,
    billingEndDate: invoice.period_end,
    description: invoice.matter_name,
    currency: invoice.currency,
    lines: ledesLines,
  };
  if (international) {
    model.international = {
      poNumber: '',
      clientTaxId: '',
      matterName: invoice.matter_name,
      accountType: 'O',
      lawFirmName: invoice.firm_name ?? '',
      lawFirmAddress: {
        line1: invoice.firm_address_1 ?? '',
        line2: invoice.firm_address_2 ?? '',
        city: invoice.firm_city ?? '',
        stateOrRegion: invoice.firm_region ?? '',
        postcode: invoice.firm_postcode ?? '',
        country: invoice.firm_country ?? '',
      },
      clientName: invoice.client_name,
      clientAddress: {
        line1: invoice.billing_address_1 ?? '',
        line2: invoice.billing_address_2 ?? '',
        city: invoice.billing_city ?? '',
        stateOrRegion: invoice.billing_region ?? '',
        postcode: invoice.billing_postcode ?? '',
        country: invoice.billing_country ?? '',
      },
    };
  }
  return { invoice: model, lineNumbers: lines.map((l) => l.line_number) };
}
