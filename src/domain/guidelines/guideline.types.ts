/** The shapes guidelines, rules, evaluation inputs and findings take across Matterflow. */
import type { IsoDate } from '../dates.js';
import type { Cents, HundredthHours } from '../money.js';
import type { Classification } from '../roles.js';
import type { ParamsOf, RuleKind } from './param-schemas.js';

export const SEVERITIES = ['block', 'warn', 'adjust'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Who must act on a finding. */
export const RULE_OWNERS = [
  'timekeeper',
  'billing_coordinator',
  'responsible_attorney',
  'billing_partner',
  'legal_ops',
] as const;
export type RuleOwner = (typeof RULE_OWNERS)[number];

interface RuleBase {
  readonly id: string;
  readonly severity: Severity;
  readonly owner: RuleOwner;
  readonly message?: string;
  readonly enabled: boolean;
  /** The guideline the rule came from; set by `effectiveRules` so findings can cite it. */
  readonly guidelineId?: string;
}

/** One rule of a guideline; `params` is typed by `kind`. */
export type GuidelineRule = {
  [K in RuleKind]: RuleBase & { readonly kind: K; readonly params: ParamsOf<K> };
}[RuleKind];

export type RuleOf<K extends RuleKind> = Extract<GuidelineRule, { kind: K }>;

/** A client's (or the firm-wide, client "*") outside-counsel guideline. */
export interface Guideline {
  readonly id: string;
  /** A client code, or "*" for the firm-wide default. */
  readonly client: string;
  readonly name: string;
  readonly effectiveFrom: IsoDate;
  readonly rules: readonly GuidelineRule[];
  /** Ids listed only as `{ id, enabled: false }`: they switch off firm-wide rules of that id. */
  readonly disabledRuleIds: readonly string[];
}

/** A time entry as the engine sees it: plain values, hours in hundredths, money in cents. */
export interface TimeEntryInput {
  /** External id from the firm's time system; findings name the entry by it. */
  readonly id: string;
  readonly clientCode: string;
  readonly matterId: string;
  readonly matterCode: string;
  readonly timekeeperId: string;
  readonly timekeeperCode: string;
  readonly classification: Classification;
  readonly workDate: IsoDate;
  readonly hours: HundredthHours;
  readonly narrative: string;
  readonly taskCode: string | null;
  readonly activityCode: string | null;
  readonly billable: boolean;
  /** The billed hourly rate. */
  readonly rate: Cents;
  /** The rate approved for this timekeeper on the matter; null when none was set. */
  readonly approvedRate: Cents | null;
  /** Timekeepers approved on the matter; empty means the matter restricts no one. */
  readonly matterApprovedTimekeeperIds: readonly string[];
  readonly matterClosedOn: IsoDate | null;
}

/** An expense as the engine sees it. */
export interface ExpenseInput {
  readonly id: string;
  readonly clientCode: string;
  readonly matterId: string;
  readonly matterCode: string;
  readonly workDate: IsoDate;
  readonly expenseCode: string | null;
  readonly description: string;
  /** Units in hundredths (pages, miles…). */
  readonly quantity: number;
  readonly unitCost: Cents;
  readonly amount: Cents;
  readonly billable: boolean;
  readonly matterClosedOn: IsoDate | null;
}

/** The inclusive period an invoice bills. */
export interface BillingPeriod {
  readonly start: IsoDate;
  readonly end: IsoDate;
}

/**
 * What one evaluation looks at. Findings are reported for `timeEntries` and `expenses` only;
 * `context` holds neighbours that cross-entry kinds (daily totals, duplicates, internal
 * conferences) must see, such as the timekeeper's other entries that day when one entry is saved.
 */
export interface EvaluationInput {
  readonly timeEntries?: readonly TimeEntryInput[];
  readonly expenses?: readonly ExpenseInput[];
  /** The period being billed; `late_entry` runs only when it is given. */
  readonly period?: BillingPeriod;
  readonly context?: {
    readonly timeEntries?: readonly TimeEntryInput[];
    readonly expenses?: readonly ExpenseInput[];
  };
}

/** A change an `adjust` rule would make: a new value, or a share of the amount. */
export type Correction =
  | { readonly field: 'rate' | 'hours' | 'amount'; readonly from: number; readonly to: number }
  | { readonly field: 'amount'; readonly factor: string };

export type FindingEntity = 'time_entry' | 'expense' | 'invoice';

/** One rule that one entry (or invoice) breaks, explained for the person who must act. */
export interface Finding {
  readonly ruleId: string;
  readonly kind: RuleKind;
  readonly severity: Severity;
  readonly owner: RuleOwner;
  readonly entity: FindingEntity;
  readonly entityId: string;
  /** Matter code. */
  readonly matter: string;
  readonly message: string;
  readonly guidelineId?: string;
  readonly guidelineVersion?: number;
  readonly correction?: Correction;
}
