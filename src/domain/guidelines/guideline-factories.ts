/**
 * Factories for guideline tests, sandbox runs and benchmarks: a whole valid time entry or
 * expense unless told otherwise, and one-rule guidelines built through the real parser.
 */
import { compileGuideline, evaluateEntries } from './compile-guideline.js';
import type {
  EvaluationInput,
  ExpenseInput,
  Finding,
  GuidelineRule,
  RuleOwner,
  Severity,
  TimeEntryInput,
} from './guideline.types.js';
import type { RuleKind } from './param-schemas.js';
import { parseGuideline } from './parse-guideline.js';

/** A billable 1.0 h associate entry on matter M-100 with valid litigation codes. */
export function buildTimeEntry(overrides: Partial<TimeEntryInput> = {}): TimeEntryInput {
  return {
    id: 'TE-1',
    clientCode: 'ACME',
    matterId: 'matter-1',
    matterCode: 'M-100',
    timekeeperId: 'tk-1',
    timekeeperCode: 'JDOE',
    classification: 'AS',
    workDate: '2026-03-10',
    hours: 100,
    narrative: 'Draft motion to compel production of claim files from the insurer',
    taskCode: 'L250',
    activityCode: 'A103',
    billable: true,
    rate: 40000,
    approvedRate: null,
    matterApprovedTimekeeperIds: [],
    matterClosedOn: null,
    ...overrides,
  };
}

/** A billable 100-page copying expense at 0.10 per page on matter M-100. */
export function buildExpense(overrides: Partial<ExpenseInput> = {}): ExpenseInput {
  return {
    id: 'EX-1',
    clientCode: 'ACME',
    matterId: 'matter-1',
    matterCode: 'M-100',
    workDate: '2026-03-10',
    expenseCode: 'E101',
    description: 'Copies of deposition exhibits',
    quantity: 10000,
    unitCost: 10,
    amount: 1000,
    billable: true,
    matterClosedOn: null,
    ...overrides,
  };
}

/** One rule parsed from its document form, so params are written as in a guideline (hours 4.0, money 600.00). */
export function buildRule(
  kind: RuleKind,
  params: Record<string, unknown> = {},
  options: { id?: string; severity?: Severity; owner?: RuleOwner; message?: string } = {},
): GuidelineRule {
  const document = {
    id: 'test-guideline',
    client: 'ACME',
    name: 'Test guideline',
    effective_from: '2026-01-01',
    rules: [
      {
        id: options.id ?? `test-${kind}`,
        kind,
        params,
        severity: options.severity ?? 'warn',
        owner: options.owner ?? 'timekeeper',
        ...(options.message === undefined ? {} : { message: options.message }),
      },
    ],
  };
  const result = parseGuideline(JSON.stringify(document));
  if ('errors' in result) throw new Error(JSON.stringify(result.errors));
  const [rule] = result.guideline.rules;
  if (rule === undefined) throw new Error('no rule parsed');
  return rule;
}

/** Compiles `rules` and evaluates `input` in one step. */
export function evaluateRules(
  rules: GuidelineRule | readonly GuidelineRule[],
  input: EvaluationInput,
): Finding[] {
  const list = Array.isArray(rules) ? rules : [rules as GuidelineRule];
  return evaluateEntries(compileGuideline(list), input);
}
