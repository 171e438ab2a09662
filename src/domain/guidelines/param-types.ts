/** The param types guideline rules use, what each becomes once parsed, and how each is described. */
import type { Classification } from '../roles.js';
import type { TaskCodeSet } from '../utbms/utbms.js';

/** Fields `required_fields` can ask for: the first three on time entries, the last two on expenses. */
export const ENTRY_FIELDS = [
  'task_code',
  'activity_code',
  'narrative',
  'expense_code',
  'description',
] as const;
export type EntryField = (typeof ENTRY_FIELDS)[number];

export const TASK_SETS = ['litigation', 'counseling', 'project', 'bankruptcy', 'any'] as const;

/** The value each param type takes once a document is parsed (hours in hundredths, money in cents). */
export interface ParamValues {
  hours: number;
  money: number;
  integer: number;
  percent: number;
  boolean: boolean;
  string: string;
  terms: readonly string[];
  codes: readonly string[];
  fields: readonly EntryField[];
  classifications: readonly Classification[];
  classification_rates: Readonly<Partial<Record<Classification, number>>>;
  task_set: TaskCodeSet | 'any';
  /** A decimal string between 0 and 1, kept as written so corrections can quote it ("0.5"). */
  factor: string;
  expression: string;
}
export type ParamType = keyof ParamValues;

/** How each param type is described in validation messages and the docs. */
export const PARAM_TYPE_LABELS: Readonly<Record<ParamType, string>> = {
  hours: 'hours, a decimal such as 0.1',
  money: 'money, a decimal such as 600.00',
  integer: 'whole number ≥ 0',
  percent: 'whole number of percent, 1–1000',
  boolean: 'true or false',
  string: 'text',
  terms: 'list of words or phrases',
  codes: 'list of codes',
  fields: `list of fields (${ENTRY_FIELDS.join(', ')})`,
  classifications: 'list of timekeeper classifications (PT, OC, AS, PL, LA, OT)',
  classification_rates: 'map of classification to money, e.g. { PT: 650.00, AS: 400.00 }',
  task_set: `one of ${TASK_SETS.join(', ')}`,
  factor: 'decimal between 0 and 1, e.g. 0.5',
  expression: 'CEL expression',
};

export interface ParamSpec {
  readonly type: ParamType;
  /** Omitted for required params. */
  readonly default?: unknown;
  readonly doc: string;
}

export interface KindSpec {
  /** `entry` kinds run on time entries and expenses; `invoice` kinds on a drafted invoice. */
  readonly level: 'entry' | 'invoice';
  /** True when the kind can compute a correction, so `severity: adjust` means something. */
  readonly adjustable: boolean;
  readonly summary: string;
  readonly params: Readonly<Record<string, ParamSpec>>;
  /** At least one of these params must be given (a cap with no limit would never fire). */
  readonly oneOf?: readonly string[];
}
