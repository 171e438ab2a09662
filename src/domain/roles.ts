/** The roles a Matterflow user can hold (a user may hold several). */
export const ROLES = [
  'admin',
  'legal_ops',
  'billing_coordinator',
  'approver',
  'timekeeper',
] as const;
export type Role = (typeof ROLES)[number];

export function isRole(text: string): text is Role {
  return (ROLES as readonly string[]).includes(text);
}

/** Timekeeper classifications (LEDES 1998B original codes plus PL for paralegal). */
export const CLASSIFICATIONS = ['PT', 'OC', 'AS', 'PL', 'LA', 'OT'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

export const FEE_ARRANGEMENTS = ['hourly', 'flat', 'contingency', 'capped'] as const;
export type FeeArrangement = (typeof FEE_ARRANGEMENTS)[number];

export const EBILLING_FORMATS = ['none', 'LEDES1998B', 'LEDES98BI'] as const;
export type EbillingFormat = (typeof EBILLING_FORMATS)[number];

export const MATTER_STATUSES = ['open', 'on_hold', 'closed'] as const;
export type MatterStatus = (typeof MATTER_STATUSES)[number];

/** Lifecycle of recorded work: draft → released → billed, or written off / held. */
export const WORK_STATUSES = ['draft', 'released', 'billed', 'written_off', 'held'] as const;
export type WorkStatus = (typeof WORK_STATUSES)[number];
