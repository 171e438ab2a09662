/**
 * Every rule kind and its params, as data. The document validator, the typed params of each
 * kind and the reference in docs/guidelines.md all come from this one table, so adding a kind
 * or a param starts here.
 */
import {
  DEFAULT_CLERICAL_TERMS,
  DEFAULT_INTERNAL_CONFERENCE_ACTIVITY_CODES,
  DEFAULT_INTERNAL_CONFERENCE_TERMS,
  DEFAULT_TRAVEL_TERMS,
  DEFAULT_VAGUE_TERMS,
} from './default-terms.js';
import {
  PARAM_TYPE_LABELS,
  type KindSpec,
  type ParamSpec,
  type ParamType,
  type ParamValues,
} from './param-types.js';

export * from './param-types.js';

export const RULE_KINDS = {
  required_fields: {
    level: 'entry',
    adjustable: false,
    summary: 'Listed time-entry or expense fields must be filled in.',
    params: {
      fields: {
        type: 'fields',
        default: ['task_code', 'activity_code', 'narrative', 'expense_code', 'description'],
        doc: 'Fields that must be present; time-entry fields apply to time, expense fields to expenses.',
      },
    },
  },
  utbms_codes: {
    level: 'entry',
    adjustable: false,
    summary: 'UTBMS codes must be present and valid; phase roll-ups (L100) are not valid on lines.',
    params: {
      task_set: { type: 'task_set', default: 'any', doc: 'Task code set the client uses.' },
      require_task: { type: 'boolean', default: true, doc: 'Time entries need a task code.' },
      require_activity: {
        type: 'boolean',
        default: true,
        doc: 'Time entries need an activity code.',
      },
      require_expense: { type: 'boolean', default: true, doc: 'Expenses need an expense code.' },
    },
  },
  billing_increment: {
    level: 'entry',
    adjustable: true,
    summary: 'Hours must be a multiple of the increment; adjust rounds down.',
    params: { hours: { type: 'hours', default: 10, doc: 'The increment (0.1 = six minutes).' } },
  },
  max_entry_hours: {
    level: 'entry',
    adjustable: true,
    summary: 'One time entry may not exceed a number of hours; adjust reduces it to the limit.',
    params: { hours: { type: 'hours', doc: 'Most hours one entry may carry.' } },
  },
  max_daily_hours: {
    level: 'entry',
    adjustable: false,
    summary:
      "A timekeeper's total for one work date, across the client's matters, may not exceed a limit.",
    params: { hours: { type: 'hours', doc: 'Most hours per timekeeper per day.' } },
  },
  block_billing: {
    level: 'entry',
    adjustable: false,
    summary: 'One entry may not lump several tasks under one time value.',
    params: {},
  },
  vague_narrative: {
    level: 'entry',
    adjustable: false,
    summary: 'Narratives made of vague phrases, or too short to say what was done.',
    params: {
      terms: {
        type: 'terms',
        default: DEFAULT_VAGUE_TERMS,
        doc: 'Phrases that say nothing on their own.',
      },
      min_words: { type: 'integer', default: 3, doc: 'Fewer words than this is vague.' },
    },
  },
  banned_terms: {
    level: 'entry',
    adjustable: false,
    summary: 'Narratives may not contain these words or phrases (whole words, any case).',
    params: { terms: { type: 'terms', doc: 'Words or phrases the client does not accept.' } },
  },
  clerical_work: {
    level: 'entry',
    adjustable: true,
    summary: 'Administrative work is not billable; adjust writes the entry down to zero.',
    params: {
      terms: {
        type: 'terms',
        default: DEFAULT_CLERICAL_TERMS,
        doc: 'Words that mark clerical work.',
      },
    },
  },
  narrative_length: {
    level: 'entry',
    adjustable: false,
    summary: 'Narratives need a minimum number of words and fit a maximum length.',
    params: {
      min_words: { type: 'integer', default: 5, doc: 'Fewest words a narrative may have.' },
      max_chars: {
        type: 'integer',
        default: 1024,
        doc: 'Most characters (Brightflag rejects 1,024 or more).',
      },
    },
  },
  internal_conference: {
    level: 'entry',
    adjustable: false,
    summary: 'Only so many timekeepers may bill the same internal conference on a matter and day.',
    params: {
      activity_codes: {
        type: 'codes',
        default: DEFAULT_INTERNAL_CONFERENCE_ACTIVITY_CODES,
        doc: 'Activity codes that mark an internal conference.',
      },
      terms: {
        type: 'terms',
        default: DEFAULT_INTERNAL_CONFERENCE_TERMS,
        doc: 'Narrative phrases that mark an internal conference.',
      },
      max_timekeepers: { type: 'integer', default: 1, doc: 'Most timekeepers who may bill it.' },
    },
  },
  rate_cap: {
    level: 'entry',
    adjustable: true,
    summary: 'Billed rate may not exceed a cap; adjust reduces the rate to the cap.',
    params: {
      max_rate: {
        type: 'money',
        default: null,
        doc: 'Cap for every classification without its own.',
      },
      by_classification: {
        type: 'classification_rates',
        default: {},
        doc: 'Caps per classification.',
      },
    },
    oneOf: ['max_rate', 'by_classification'],
  },
  approved_rate: {
    level: 'entry',
    adjustable: true,
    summary:
      "Billed rate may not exceed the timekeeper's approved rate on the matter; adjust reduces it.",
    params: {},
  },
  approved_timekeeper: {
    level: 'entry',
    adjustable: false,
    summary:
      "The timekeeper must be on the matter's approved list (an empty list allows everyone).",
    params: {},
  },
  staffing: {
    level: 'entry',
    adjustable: true,
    summary: 'Time by classifications the client does not pay for; adjust writes it down to zero.',
    params: {
      classifications: {
        type: 'classifications',
        doc: 'Classifications the client does not pay for.',
      },
    },
  },
  travel_time: {
    level: 'entry',
    adjustable: true,
    summary: 'Travel time is billed at a fraction of the rate; adjust applies the factor.',
    params: {
      terms: {
        type: 'terms',
        default: DEFAULT_TRAVEL_TERMS,
        doc: 'Narrative words that mark travel.',
      },
      task_codes: { type: 'codes', default: [], doc: 'Task codes that mark travel.' },
      rate_factor: {
        type: 'factor',
        default: '0.5',
        doc: 'Share of the amount the client pays (0 = none).',
      },
    },
  },
  expense_cap: {
    level: 'entry',
    adjustable: true,
    summary:
      'Expenses of one code may not exceed a unit cost or amount; adjust reduces the amount.',
    params: {
      expense_code: { type: 'string', doc: 'The UTBMS expense code capped, e.g. E101.' },
      max_unit_cost: { type: 'money', default: null, doc: 'Most per unit (page, mile…).' },
      max_amount: { type: 'money', default: null, doc: 'Most per expense.' },
    },
    oneOf: ['max_unit_cost', 'max_amount'],
  },
  non_billable_expense: {
    level: 'entry',
    adjustable: true,
    summary: 'Expenses of these codes are not billable; adjust writes them down to zero.',
    params: { expense_codes: { type: 'codes', doc: 'Expense codes the client does not pay.' } },
  },
  duplicate_entry: {
    level: 'entry',
    adjustable: false,
    summary: 'The same work recorded twice.',
    params: {},
  },
  late_entry: {
    level: 'entry',
    adjustable: false,
    summary: 'Work dated too long before the end of the period being billed.',
    params: { max_days: { type: 'integer', doc: 'Most days before the period end.' } },
  },
  matter_closed: {
    level: 'entry',
    adjustable: false,
    summary: "Work dated after the matter's closing date.",
    params: {},
  },
  expression: {
    level: 'entry',
    adjustable: false,
    summary: 'A custom condition in CEL over entry, timekeeper, matter and client.',
    params: {
      when: { type: 'expression', doc: 'Flags the time entry when this is true.' },
      message: { type: 'string', doc: 'What the timekeeper reads.' },
    },
  },
  entry_outside_period: {
    level: 'invoice',
    adjustable: false,
    summary: "Invoice lines dated outside the invoice's billing period.",
    params: {},
  },
  budget: {
    level: 'invoice',
    adjustable: false,
    summary: "Billed-to-date plus this invoice may not exceed a share of the matter's budget.",
    params: {
      threshold_percent: {
        type: 'percent',
        default: 100,
        doc: 'Share of the budget that triggers.',
      },
    },
  },
  invoice_total_threshold: {
    level: 'invoice',
    adjustable: false,
    summary: 'Invoices above an amount need attention before they are sent.',
    params: { max_amount: { type: 'money', doc: 'Largest invoice total sent without review.' } },
  },
} as const satisfies Record<string, KindSpec>;

export type RuleKind = keyof typeof RULE_KINDS;
export const RULE_KIND_NAMES = Object.keys(RULE_KINDS) as RuleKind[];

type ParamsTable<K extends RuleKind> = (typeof RULE_KINDS)[K]['params'];
type ParamValue<S> = S extends { type: infer T extends ParamType; default: null }
  ? ParamValues[T] | null
  : S extends { type: infer T extends ParamType }
    ? ParamValues[T]
    : never;

/** The parsed params of a kind, every default filled in. */
export type ParamsOf<K extends RuleKind> = {
  readonly [P in keyof ParamsTable<K>]: ParamValue<ParamsTable<K>[P]>;
};

export function isRuleKind(text: string): text is RuleKind {
  return Object.prototype.hasOwnProperty.call(RULE_KINDS, text);
}

/** "hours (hours, a decimal such as 0.1; default 0.1)" for every param of a kind, for messages. */
export function describeParams(kind: RuleKind): string {
  const params = Object.entries(RULE_KINDS[kind].params as Record<string, ParamSpec>);
  if (params.length === 0) return 'none';
  return params
    .map(
      ([name, spec]) =>
        `${name} (${PARAM_TYPE_LABELS[spec.type]}${'default' in spec ? '' : '; required'})`,
    )
    .join(', ');
}
