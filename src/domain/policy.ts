import type { Role } from './roles.js';

/** Everything an actor can be asked permission for. */
export const RESOURCES = [
  'client',
  'matter',
  'matter_member',
  'timekeeper',
  'rate',
  'matter_timekeeper',
  'time_entry',
  'expense',
  'user',
  'api_token',
  'guideline',
  'guideline_exception',
  'utbms_code',
  'ledes_file',
  'audit_event',
  'routing_table',
  'invoice',
  'bill_run',
  'flow_metrics',
  'notification',
  'ebilling',
  'invoice_question',
  'adjustment_reason',
  'prebill_setting',
  'firm_holiday',
  'field_visibility',
  'ebilling_profile',
  'firm_profile',
  'stage_sla',
] as const;
export type Resource = (typeof RESOURCES)[number];

export const ACTIONS = ['read', 'create', 'update', 'deactivate', 'import', 'export'] as const;
export type Action = (typeof ACTIONS)[number];

/** The acting user as every service sees it. */
export interface Actor {
  userId: string;
  email: string;
  roles: readonly Role[];
  /** The timekeeper this user records time as, if any. */
  timekeeperId: string | null;
  /** How the actor authenticated; API tokens may be narrowed further by scopes later. */
  via: 'session' | 'token' | 'system';
}

/** The built-in actor for CLI commands run by an operator on the server itself. */
export const SYSTEM_ACTOR: Actor = {
  userId: '0',
  email: 'system',
  roles: ['admin', 'legal_ops'],
  timekeeperId: null,
  via: 'system',
};

type Grants = Partial<Record<Resource, readonly Action[]>>;

const ALL: readonly Action[] = ACTIONS;
const READ: readonly Action[] = ['read'];
const MANAGE: readonly Action[] = ['read', 'create', 'update', 'deactivate', 'import', 'export'];
/**
 * Guidelines: `import` adds a version (and runs a draft in the sandbox), `update` activates one.
 * Every role may read them, so timekeepers can see the rules their entries are checked against.
 */
const GUIDELINE_MANAGE: readonly Action[] = ['read', 'import', 'update', 'export'];
const GUIDELINE_READ: readonly Action[] = ['read', 'export'];
/**
 * Guideline exceptions: everyone reads (the SQL shows each user only the matters and work they
 * may see); `update` waives one or rechecks a window, for the roles accountable for the bill.
 */
const EXCEPTION_WAIVE: readonly Action[] = ['read', 'update'];
/**
 * Invoices: the billing side reads drafts, revalues them and moves them through the workflow
 * (`update`); a bill run is `create` on `bill_run`. Approvers read the invoices they sign off and
 * move them (`update`; the workflow table decides which moves); timekeepers see none.
 */
const INVOICE_WORK: readonly Action[] = ['read', 'update'];
/** The firm calendar: admins and legal ops add and remove holidays (`deactivate`). */
const HOLIDAY_MANAGE: readonly Action[] = ['read', 'create', 'deactivate'];
const BILL_RUN: readonly Action[] = ['create'];
/**
 * Routing tables: `import` adds a version, `update` activates one. The billing side reads them
 * (and previews who would own an invoice); only legal ops and admins change who signs off.
 */
const ROUTING_MANAGE: readonly Action[] = ['read', 'import', 'update', 'export'];
const ROUTING_READ: readonly Action[] = ['read', 'export'];
/**
 * Flow metrics (cycle time, rework, aging, exception volume): legal ops and admins, and
 * approvers, of whom the service lets in only billing partners.
 */
const FLOW_METRICS: readonly Action[] = ['read'];
/**
 * Pre-bill review: reviewers ask timekeepers questions (`create`) and the asked timekeeper
 * answers (`update`, their own only); reason codes and write-down thresholds are read by the
 * billing side and changed by admins.
 */
const QUESTION_ASK: readonly Action[] = ['read', 'create', 'update'];
const QUESTION_ANSWER: readonly Action[] = ['read', 'update'];
const PREBILL_CONFIG: readonly Action[] = ['read', 'create', 'update'];

/**
 * The notification outbox: operators list messages (parked ones, with their errors) and queue
 * them again (`update`). Each user's own inbox, preferences and subscriptions need no grant.
 */
const NOTIFICATION_OPERATE: readonly Action[] = ['read', 'update'];

/**
 * E-billing: `export` hands out an invoice's LEDES file, `create` records a submission, `import`
 * loads portal answers, `update` replaces the reason-code map, `read` the rejection report. The
 * billing side sends and reconciles; approvers and admins read.
 */
const EBILLING_WORK: readonly Action[] = ['read', 'export', 'create', 'import'];
const EBILLING_READ: readonly Action[] = ['read'];
/**
 * A client's e-billing profile (format, portal ids, classification codes, tax, billing address):
 * the people who get invoices through portals keep it — billing coordinators, legal ops and
 * admins; approvers read it. The firm's own name and address (98BI) are legal ops' and admins'.
 */
const PROFILE_MANAGE: readonly Action[] = ['read', 'update'];

/**
 * The role × resource × action table. Matter access (ethical walls, "own entries only") is
 * applied on top of this by the repositories' SQL filters. `ledes_file` read means validating a
 * LEDES file (nothing is stored), for the roles that prepare, review or submit invoices.
 */
export const POLICY: Record<Role, Grants> = {
  admin: {
    client: ALL,
    matter: ALL,
    matter_member: ALL,
    timekeeper: ALL,
    rate: ALL,
    matter_timekeeper: ALL,
    time_entry: ALL,
    expense: ALL,
    user: ALL,
    api_token: ['read', 'create', 'deactivate'],
    guideline: GUIDELINE_MANAGE,
    guideline_exception: EXCEPTION_WAIVE,
    utbms_code: READ,
    ledes_file: READ,
    // The audit trail spans every matter, walled ones too: only the firm's custodians read it.
    audit_event: READ,
    routing_table: ROUTING_MANAGE,
    invoice: INVOICE_WORK,
    bill_run: BILL_RUN,
    flow_metrics: FLOW_METRICS,
    notification: NOTIFICATION_OPERATE,
    ebilling: EBILLING_READ,
    adjustment_reason: PREBILL_CONFIG,
    prebill_setting: PREBILL_CONFIG,
    firm_holiday: HOLIDAY_MANAGE,
    // Which roles see rates and write-down reasons (docs/security.md): admins only.
    field_visibility: ['read', 'update'],
    ebilling_profile: PROFILE_MANAGE,
    firm_profile: PROFILE_MANAGE,
    // How long each stage may take (docs/workflow.md): admins set them; the billing side reads.
    stage_sla: ['read', 'update'],
  },
  legal_ops: {
    client: MANAGE,
    matter: MANAGE,
    matter_member: READ,
    timekeeper: MANAGE,
    rate: MANAGE,
    matter_timekeeper: MANAGE,
    time_entry: ['read', 'export'],
    expense: ['read', 'export'],
    user: READ,
    api_token: ['read', 'create', 'deactivate'],
    guideline: GUIDELINE_MANAGE,
    guideline_exception: EXCEPTION_WAIVE,
    utbms_code: READ,
    ledes_file: READ,
    audit_event: READ,
    routing_table: ROUTING_MANAGE,
    invoice: INVOICE_WORK,
    bill_run: BILL_RUN,
    flow_metrics: FLOW_METRICS,
    notification: NOTIFICATION_OPERATE,
    ebilling: [...EBILLING_WORK, 'update'],
    invoice_question: READ,
    adjustment_reason: READ,
    prebill_setting: READ,
    firm_holiday: HOLIDAY_MANAGE,
    ebilling_profile: PROFILE_MANAGE,
    firm_profile: PROFILE_MANAGE,
    stage_sla: READ,
  },
  billing_coordinator: {
    client: ['read', 'export'],
    matter: ['read', 'update', 'export'],
    matter_member: READ,
    timekeeper: ['read', 'export'],
    rate: ['read', 'export'],
    matter_timekeeper: ['read', 'create', 'update', 'deactivate', 'import', 'export'],
    time_entry: MANAGE,
    expense: MANAGE,
    user: READ,
    api_token: ['read', 'create', 'deactivate'],
    guideline: GUIDELINE_READ,
    guideline_exception: EXCEPTION_WAIVE,
    utbms_code: READ,
    ledes_file: READ,
    routing_table: ROUTING_READ,
    invoice: INVOICE_WORK,
    bill_run: BILL_RUN,
    ebilling: EBILLING_WORK,
    invoice_question: QUESTION_ASK,
    adjustment_reason: READ,
    prebill_setting: READ,
    firm_holiday: READ,
    ebilling_profile: PROFILE_MANAGE,
    firm_profile: READ,
    stage_sla: READ,
  },
  approver: {
    client: READ,
    matter: READ,
    timekeeper: READ,
    rate: READ,
    matter_timekeeper: READ,
    time_entry: ['read', 'update'],
    expense: ['read', 'update'],
    api_token: ['read', 'create', 'deactivate'],
    guideline: GUIDELINE_READ,
    guideline_exception: EXCEPTION_WAIVE,
    utbms_code: READ,
    ledes_file: READ,
    routing_table: ROUTING_READ,
    invoice: INVOICE_WORK,
    flow_metrics: FLOW_METRICS,
    ebilling: EBILLING_READ,
    invoice_question: QUESTION_ASK,
    adjustment_reason: READ,
    prebill_setting: READ,
    firm_holiday: READ,
    ebilling_profile: READ,
    firm_profile: READ,
    stage_sla: READ,
  },
  timekeeper: {
    client: READ,
    matter: READ,
    timekeeper: READ,
    matter_timekeeper: READ,
    time_entry: ['read', 'create', 'update', 'deactivate'],
    expense: ['read', 'create', 'update', 'deactivate'],
    api_token: ['read', 'create', 'deactivate'],
    guideline: GUIDELINE_READ,
    guideline_exception: READ,
    // Timekeepers code their own entries; LEDES files are the billing team's work.
    utbms_code: READ,
    invoice_question: QUESTION_ANSWER,
  },
};

/** True when any of the actor's roles grants `action` on `resource`. */
export function isAllowed(actor: Actor, action: Action, resource: Resource): boolean {
  return actor.roles.some((role) => POLICY[role][resource]?.includes(action) ?? false);
}

/** Roles that see every matter that is not walled off (the rest see only matters they work on). */
export function seesAllMatters(actor: Actor): boolean {
  return actor.roles.some((role) => role !== 'timekeeper');
}

/** Roles that see every time entry on the matters they can see (timekeepers see their own). */
export function seesAllWork(actor: Actor): boolean {
  return actor.roles.some((role) => role !== 'timekeeper');
}
