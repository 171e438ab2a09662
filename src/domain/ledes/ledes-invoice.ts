/**
 * The plain invoice model the LEDES writer takes and the reader returns. Money is integer cents,
 * units are integer hundredths (hours for fees, item counts for expenses), dates are ISO
 * `YYYY-MM-DD`. Nothing here knows about the database.
 */
import type { IsoDate } from '../dates.js';
import type { Cents } from '../money.js';
import type { LedesLineType } from './ledes1998b.js';

/** The timekeeper on a fee line; `classification` is Matterflow's code (PT, AS, OC, PL, LA, OT) before mapping. */
export interface LedesTimekeeper {
  id: string;
  firstName: string;
  lastName: string;
  classification: string;
}

/** A postal address as 98BI carries it. */
export interface LedesAddress {
  line1: string;
  line2: string;
  city: string;
  stateOrRegion: string;
  postcode: string;
  /** Country code as the client wants it (the 98BI sample uses alpha-3, some portals alpha-2). */
  country: string;
}

/** One line item. */
export interface LedesLine {
  type: LedesLineType;
  date: IsoDate;
  /**
   * Hundredths of an hour (F) or of an item (E). On IF/IE lines the amount is
   * round-half-up(units × unitCost) + adjustment; the writer puts it all in the adjustment.
   */
  units: number;
  unitCost: Cents;
  /** Positive = premium, negative = discount. */
  adjustment: Cents;
  taskCode: string | null;
  activityCode: string | null;
  expenseCode: string | null;
  timekeeper: LedesTimekeeper | null;
  description: string;
  /** 98BI: tax rate as a decimal fraction ("0.20"); null = no tax on the line. */
  taxRate?: string | null;
  /** 98BI: tax type, e.g. "VAT". */
  taxType?: string;
}

/** 98BI invoice-level fields that 1998B does not have. */
export interface LedesInternational {
  poNumber: string;
  clientTaxId: string;
  matterName: string;
  /** `O` (own account) or `T` (third party). */
  accountType: string;
  lawFirmName: string;
  lawFirmAddress: LedesAddress;
  clientName: string;
  clientAddress: LedesAddress;
  /** Currency the tax is reported in; the invoice currency when omitted. */
  taxCurrency?: string;
  /** Tax total in the tax currency; required only when that currency differs from the invoice's. */
  reportedTaxTotal?: Cents;
}

/** One invoice as it goes into a LEDES file. */
export interface LedesInvoice {
  invoiceNumber: string;
  invoiceDate: IsoDate;
  clientId: string;
  lawFirmMatterId: string;
  clientMatterId: string;
  /** The firm's federal taxpayer ID where it has one (the 1998B spec says so). */
  lawFirmId: string;
  billingStartDate: IsoDate;
  billingEndDate: IsoDate;
  description: string;
  /** ISO 4217; written only by 98BI (on every line). */
  currency: string;
  lines: LedesLine[];
  /** Needed for 98BI; ignored by 1998B. */
  international?: LedesInternational;
}
