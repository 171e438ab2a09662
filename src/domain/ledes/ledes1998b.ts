/**
 * LEDES 1998B and LEDES98BI V2 layouts: format tags and field names in spec order.
 * 98BI V2 is the 24 fields of 1998B in the same order followed by 28 international fields.
 */

/** The two pipe-delimited LEDES formats Matterflow reads and writes, named by their first-line tag. */
export type LedesFormat = 'LEDES1998B' | 'LEDES98BI V2';

/** The four line types of `EXP/FEE/INV_ADJ_TYPE`. */
export type LedesLineType = 'F' | 'E' | 'IF' | 'IE';

/** The `[]` sequence ends every record, including the format tag and the header line. */
export const RECORD_TERMINATOR = '[]';
export const FIELD_SEPARATOR = '|';

/** The 24 LEDES 1998B fields, exact spelling and order. */
export const LEDES_1998B_FIELDS = [
  'INVOICE_DATE',
  'INVOICE_NUMBER',
  'CLIENT_ID',
  'LAW_FIRM_MATTER_ID',
  'INVOICE_TOTAL',
  'BILLING_START_DATE',
  'BILLING_END_DATE',
  'INVOICE_DESCRIPTION',
  'LINE_ITEM_NUMBER',
  'EXP/FEE/INV_ADJ_TYPE',
  'LINE_ITEM_NUMBER_OF_UNITS',
  'LINE_ITEM_ADJUSTMENT_AMOUNT',
  'LINE_ITEM_TOTAL',
  'LINE_ITEM_DATE',
  'LINE_ITEM_TASK_CODE',
  'LINE_ITEM_EXPENSE_CODE',
  'LINE_ITEM_ACTIVITY_CODE',
  'TIMEKEEPER_ID',
  'LINE_ITEM_DESCRIPTION',
  'LAW_FIRM_ID',
  'LINE_ITEM_UNIT_COST',
  'TIMEKEEPER_NAME',
  'TIMEKEEPER_CLASSIFICATION',
  'CLIENT_MATTER_ID',
] as const;

/** The 28 fields LEDES98BI V2 adds after the 1998B fields, in order. */
export const LEDES_98BI_EXTRA_FIELDS = [
  'PO_NUMBER',
  'CLIENT_TAX_ID',
  'MATTER_NAME',
  'INVOICE_TAX_TOTAL',
  'INVOICE_NET_TOTAL',
  'INVOICE_CURRENCY',
  'TIMEKEEPER_LAST_NAME',
  'TIMEKEEPER_FIRST_NAME',
  'ACCOUNT_TYPE',
  'LAW_FIRM_NAME',
  'LAW_FIRM_ADDRESS_1',
  'LAW_FIRM_ADDRESS_2',
  'LAW_FIRM_CITY',
  'LAW_FIRM_STATEorREGION',
  'LAW_FIRM_POSTCODE',
  'LAW_FIRM_COUNTRY',
  'CLIENT_NAME',
  'CLIENT_ADDRESS_1',
  'CLIENT_ADDRESS_2',
  'CLIENT_CITY',
  'CLIENT_STATEorREGION',
  'CLIENT_POSTCODE',
  'CLIENT_COUNTRY',
  'LINE_ITEM_TAX_RATE',
  'LINE_ITEM_TAX_TOTAL',
  'LINE_ITEM_TAX_TYPE',
  'INVOICE_REPORTED_TAX_TOTAL',
  'INVOICE_TAX_CURRENCY',
] as const;

/** The 52 LEDES98BI V2 fields. */
export const LEDES_98BI_FIELDS = [...LEDES_1998B_FIELDS, ...LEDES_98BI_EXTRA_FIELDS] as const;

export type Ledes98BIField = (typeof LEDES_98BI_FIELDS)[number];

/** Field names of a format, in file order. */
export function fieldsOf(format: LedesFormat): readonly Ledes98BIField[] {
  return format === 'LEDES1998B' ? LEDES_1998B_FIELDS : LEDES_98BI_FIELDS;
}

/**
 * Column index of every field (the same in both formats for the first 24). Written out as a
 * literal rather than built from the list: the validator reads it for every value, and a literal
 * keeps V8's fast property access (a test checks it against the list).
 */
export const F: { readonly [K in Ledes98BIField]: number } = {
  INVOICE_DATE: 0,
  INVOICE_NUMBER: 1,
  CLIENT_ID: 2,
  LAW_FIRM_MATTER_ID: 3,
  INVOICE_TOTAL: 4,
  BILLING_START_DATE: 5,
  BILLING_END_DATE: 6,
  INVOICE_DESCRIPTION: 7,
  LINE_ITEM_NUMBER: 8,
  'EXP/FEE/INV_ADJ_TYPE': 9,
  LINE_ITEM_NUMBER_OF_UNITS: 10,
  LINE_ITEM_ADJUSTMENT_AMOUNT: 11,
  LINE_ITEM_TOTAL: 12,
  LINE_ITEM_DATE: 13,
  LINE_ITEM_TASK_CODE: 14,
  LINE_ITEM_EXPENSE_CODE: 15,
  LINE_ITEM_ACTIVITY_CODE: 16,
  TIMEKEEPER_ID: 17,
  LINE_ITEM_DESCRIPTION: 18,
  LAW_FIRM_ID: 19,
  LINE_ITEM_UNIT_COST: 20,
  TIMEKEEPER_NAME: 21,
  TIMEKEEPER_CLASSIFICATION: 22,
  CLIENT_MATTER_ID: 23,
  PO_NUMBER: 24,
  CLIENT_TAX_ID: 25,
  MATTER_NAME: 26,
  INVOICE_TAX_TOTAL: 27,
  INVOICE_NET_TOTAL: 28,
  INVOICE_CURRENCY: 29,
  TIMEKEEPER_LAST_NAME: 30,
  TIMEKEEPER_FIRST_NAME: 31,
  ACCOUNT_TYPE: 32,
  LAW_FIRM_NAME: 33,
  LAW_FIRM_ADDRESS_1: 34,
  LAW_FIRM_ADDRESS_2: 35,
  LAW_FIRM_CITY: 36,
  LAW_FIRM_STATEorREGION: 37,
  LAW_FIRM_POSTCODE: 38,
  LAW_FIRM_COUNTRY: 39,
  CLIENT_NAME: 40,
  CLIENT_ADDRESS_1: 41,
  CLIENT_ADDRESS_2: 42,
  CLIENT_CITY: 43,
  CLIENT_STATEorREGION: 44,
  CLIENT_POSTCODE: 45,
  CLIENT_COUNTRY: 46,
  LINE_ITEM_TAX_RATE: 47,
  LINE_ITEM_TAX_TOTAL: 48,
  LINE_ITEM_TAX_TYPE: 49,
  INVOICE_REPORTED_TAX_TOTAL: 50,
  INVOICE_TAX_CURRENCY: 51,
};

/** True for the four values `EXP/FEE/INV_ADJ_TYPE` may take. */
export function isLineType(text: string): text is LedesLineType {
  return text === 'F' || text === 'E' || text === 'IF' || text === 'IE';
}
