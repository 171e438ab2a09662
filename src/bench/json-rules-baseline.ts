/**
 * The baseline of the rules benchmark: the guideline rules that json-rules-engine can express
 * per entry, written as json-rules-engine rules over the same time entries. Conditions use its
 * built-in operators where they suffice; the custom operators below are the plain predicates a
 * json-rules-engine user would add (blank, multiple of, word count, whole-word term match, ISO
 * date order). Rules that need the engine's own text analysis (vague narratives, block billing)
 * or same-day neighbours (daily hours, duplicates, internal conferences) are left out of both
 * sides of the comparison.
 */
import { Engine, type NestedCondition, type RuleProperties } from 'json-rules-engine';
import { addDays } from '../domain/dates.js';
import type {
  BillingPeriod,
  GuidelineRule,
  RuleOf,
  TimeEntryInput,
} from '../domain/guidelines/index.js';
import { CLASSIFICATIONS } from '../domain/roles.js';
import { ACTIVITY_CODES, TASK_CODES } from '../domain/utbms/utbms.js';

/** The one CEL expression the baseline knows how to write as conditions. */
const PARTNER_RESEARCH =
  'timekeeper.classification == "PT" && entry.activity_code == "A102" && entry.hours > 2.0';

/** Rules of `rules` that `toJsonRule` can express; the rest stay out of the comparison. */
export function expressibleRules(rules: readonly GuidelineRule[]): GuidelineRule[] {
  return rules.filter((rule) => {
    switch (rule.kind) {
      case 'required_fields':
      case 'utbms_codes':
      case 'billing_increment':
      case 'max_entry_hours':
      case 'narrative_length':
      case 'banned_terms':
      case 'clerical_work':
      case 'travel_time':
      case 'rate_cap':
      case 'approved_rate':
      case 'approved_timekeeper':
      case 'staffing':
      case 'matter_closed':
      case 'late_entry':
        return true;
      case 'expression':
        return rule.params.when === PARTNER_RESEARCH;
      // Left out: the engine's own text analysis (filler words left once vague phrases are
      // removed, verb forms), same-day neighbours (aggregation across entries), and kinds that
      // are not about time entries.
      case 'vague_narrative':
      case 'block_billing':
      case 'max_daily_hours':
      case 'duplicate_entry':
      case 'internal_conference':
      case 'expense_cap':
      case 'non_billable_expense':
      case 'entry_outside_period':
      case 'budget':
      case 'invoice_total_threshold':
        return false;
    }
  });
}

const fact = (name: keyof TimeEntryInput, operator: string, value: unknown): NestedCondition => ({
  fact: name,
  operator,
  value: value as never,
});

/** One guideline rule as a json-rules-engine rule whose event type is the rule id. */
export function toJsonRule(rule: GuidelineRule, period: BillingPeriod): RuleProperties {
  const billable = fact('billable', 'equal', true);
  return {
    name: rule.id,
    conditions: { all: [billable, conditionOf(rule, period)] },
    event: { type: rule.id },
  };
}

function conditionOf(rule: GuidelineRule, period: BillingPeriod): NestedCondition {
  switch (rule.kind) {
    case 'required_fields': {
      const fields = new Set(rule.params.fields);
      const any: NestedCondition[] = [];
      if (fields.has('task_code')) any.push(fact('taskCode', 'blank', true));
      if (fields.has('activity_code')) any.push(fact('activityCode', 'blank', true));
      if (fields.has('narrative')) any.push(fact('narrative', 'blank', true));
      return { any };
    }
    case 'utbms_codes':
      return utbmsCondition(rule);
    case 'billing_increment':
      return fact('hours', 'notMultipleOf', rule.params.hours);
    case 'max_entry_hours':
      return fact('hours', 'greaterThan', rule.params.hours);
    case 'narrative_length':
      return {
        any: [
          fact('narrative', 'longerThan', rule.params.max_chars),
          fact('narrative', 'fewerWordsThan', rule.params.min_words),
        ],
      };
    case 'banned_terms':
    case 'clerical_work':
      return fact('narrative', 'containsTerm', rule.params.terms);
    case 'travel_time':
      return {
        any: [
          fact('narrative', 'containsTerm', rule.params.terms),
          fact('taskCode', 'in', rule.params.task_codes),
        ],
      };
    case 'rate_cap':
      return {
        any: CLASSIFICATIONS.flatMap((classification) => {
          const cap = rule.params.by_classification[classification] ?? rule.params.max_rate;
          if (cap === null) return [];
          return [
            {
              all: [
                fact('classification', 'equal', classification),
                fact('rate', 'greaterThan', cap),
              ],
            },
          ];
        }),
      };
    case 'approved_rate':
      return {
        all: [
          fact('approvedRate', 'notEqual', null),
          fact('rate', 'greaterThan', { fact: 'approvedRate' }),
        ],
      };
    case 'approved_timekeeper':
      return {
        all: [
          { ...fact('matterApprovedTimekeeperIds', 'greaterThan', 0), path: '$.length' },
          fact('matterApprovedTimekeeperIds', 'doesNotContain', { fact: 'timekeeperId' }),
        ],
      };
    case 'staffing':
      return fact('classification', 'in', rule.params.classifications);
    case 'matter_closed':
      return {
        all: [
          fact('matterClosedOn', 'notEqual', null),
          fact('workDate', 'dateAfter', { fact: 'matterClosedOn' }),
        ],
      };
    case 'late_entry':
      return fact('workDate', 'dateBefore', addDays(period.end, -rule.params.max_days));
    case 'expression':
      if (rule.params.when !== PARTNER_RESEARCH) break;
      return {
        all: [
          fact('classification', 'equal', 'PT'),
          fact('activityCode', 'equal', 'A102'),
          fact('hours', 'greaterThan', 200),
        ],
      };
    case 'vague_narrative':
    case 'block_billing':
    case 'max_daily_hours':
    case 'duplicate_entry':
    case 'internal_conference':
    case 'expense_cap':
    case 'non_billable_expense':
    case 'entry_outside_period':
    case 'budget':
    case 'invoice_total_threshold':
      break;
  }
  throw new Error(`json-rules-engine cannot express rule ${rule.id} (${rule.kind})`);
}

/** Valid codes listed out: the task codes of the set without phase roll-ups, and A101–A111. */
function utbmsCondition(rule: RuleOf<'utbms_codes'>): NestedCondition {
  const { task_set: set, require_task, require_activity } = rule.params;
  const tasks = TASK_CODES.filter((c) => (set === 'any' || c.set === set) && !c.phase).map(
    (c) => c.code,
  );
  const activities = ACTIVITY_CODES.map((c) => c.code);
  const invalid = (name: 'taskCode' | 'activityCode', codes: string[], required: boolean) =>
    required
      ? fact(name, 'notIn', codes)
      : { all: [fact(name, 'blank', false), fact(name, 'notIn', codes)] };
  return {
    any: [
      invalid('taskCode', tasks, require_task),
      invalid('activityCode', activities, require_activity),
    ],
  };
}

const termPatterns = new Map<readonly string[], RegExp>();

/** Whole words or phrases, any case; built once per term list. */
function termPattern(terms: readonly string[]): RegExp {
  let pattern = termPatterns.get(terms);
  if (pattern === undefined) {
    const parts = terms.map((t) => t.trim().split(/\s+/).map(escape).join('\\s+'));
    pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${parts.join('|')})(?![\\p{L}\\p{N}])`, 'iu');
    termPatterns.set(terms, pattern);
  }
  return pattern;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const WORD = /[\p{L}\p{N}']+/gu;

/** A json-rules-engine Engine holding `rules` and the custom operators they use. */
export function buildJsonRulesEngine(
  rules: readonly GuidelineRule[],
  period: BillingPeriod,
): Engine {
  const engine = new Engine([], { allowUndefinedFacts: true });
  engine.addOperator<string | null, boolean>(
    'blank',
    (value, expected) => (value === null || value.trim() === '') === expected,
  );
  engine.addOperator<number, number>('notMultipleOf', (value, step) => value % step !== 0);
  engine.addOperator<string, number>('longerThan', (value, max) => value.length > max);
  engine.addOperator<string, number>(
    'fewerWordsThan',
    (value, min) => (value.match(WORD)?.length ?? 0) < min,
  );
  engine.addOperator<string, readonly string[]>(
    'containsTerm',
    (value, terms) => terms.length > 0 && termPattern(terms).test(value),
  );
  engine.addOperator<string, string>('dateAfter', (value, other) => value > other);
  engine.addOperator<string, string>('dateBefore', (value, other) => value < other);
  for (const rule of rules) engine.addRule(toJsonRule(rule, period));
  return engine;
}

/**
 * Runs every entry through the engine, one run per entry; returns the events by rule id and
 * reports each (rule id, entry id) to `onFinding` when given.
 */
export async function runJsonRules(
  engine: Engine,
  entries: readonly TimeEntryInput[],
  onFinding?: (ruleId: string, entryId: string) => void,
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const entry of entries) {
    const { events } = await engine.run(entry);
    for (const event of events) {
      counts.set(event.type, (counts.get(event.type) ?? 0) + 1);
      onFinding?.(event.type, entry.id);
    }
  }
  return counts;
}
