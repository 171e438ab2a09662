/**
 * The `expression` kind: a client-specific condition written in CEL, a small non-Turing-complete
 * language, evaluated without `eval`. Variables are typed, so an unknown field or a comparison of
 * text with a number is a document error at import, not a surprise at month-end.
 */
import { Environment, type ParseResult } from '@marcbachmann/cel-js';
import { feeAmount } from '../../money.js';
import type { Batch } from '../batch.js';
import type { RuleCompiler } from '../compiled-rule.js';
import { makeFinding } from '../findings.js';
import type { TimeEntryInput } from '../guideline.types.js';

/** The variables an expression sees; hours and money are decimals (4.7 h, 650.0 per hour) so rules read naturally. */
export const CEL_VARIABLES = {
  entry: {
    id: 'string',
    work_date: 'string',
    hours: 'double',
    narrative: 'string',
    task_code: 'string',
    activity_code: 'string',
    rate: 'double',
    amount: 'double',
  },
  timekeeper: { id: 'string', code: 'string', classification: 'string' },
  matter: {
    id: 'string',
    code: 'string',
    closing_date: 'string',
    approved_timekeepers: 'list<string>',
  },
  client: { code: 'string' },
} as const;

const environment = new Environment({ limits: { maxAstNodes: 2000, maxDepth: 50 } });
for (const [name, schema] of Object.entries(CEL_VARIABLES)) {
  environment.registerVariable({ name, schema });
}

export interface ExpressionProblem {
  /** Offset into the expression text where the problem is. */
  readonly offset: number;
  readonly message: string;
}

/** Parses and type-checks an expression; null when it is a valid boolean condition. */
export function checkExpression(source: string): ExpressionProblem | null {
  try {
    const result = environment.parse(source).check();
    if (!result.valid) {
      const error = result.error;
      return {
        offset: error?.range?.start ?? 0,
        message: firstLine(error?.message ?? 'invalid expression'),
      };
    }
    if (result.type !== 'bool' && result.type !== 'dyn') {
      return { offset: 0, message: `must be true or false, but gives a ${result.type ?? 'value'}` };
    }
    return null;
  } catch (error) {
    const range = (error as { range?: { start: number } }).range;
    return { offset: range?.start ?? 0, message: firstLine((error as Error).message) };
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

/** Parses an expression known to be valid (documents are checked on import). */
function parseExpression(source: string): ParseResult {
  const problem = checkExpression(source);
  if (problem !== null) throw new Error(`invalid CEL expression: ${problem.message}`);
  return environment.parse(source);
}

/** One CEL context per entry, shared by every expression rule of the batch. */
function celContexts(batch: Batch): readonly Record<string, unknown>[] {
  return batch.cached('cel-contexts', () => batch.entries.map(celContext));
}

function celContext(entry: TimeEntryInput): Record<string, unknown> {
  return {
    entry: {
      id: entry.id,
      work_date: entry.workDate,
      hours: entry.hours / 100,
      narrative: entry.narrative,
      task_code: entry.taskCode ?? '',
      activity_code: entry.activityCode ?? '',
      rate: entry.rate / 100,
      amount: feeAmount(entry.hours, entry.rate) / 100,
    },
    timekeeper: {
      id: entry.timekeeperId,
      code: entry.timekeeperCode,
      classification: entry.classification,
    },
    matter: {
      id: entry.matterId,
      code: entry.matterCode,
      closing_date: entry.matterClosedOn ?? '',
      approved_timekeepers: entry.matterApprovedTimekeeperIds,
    },
    client: { code: entry.clientCode },
  };
}

export const compileExpression: RuleCompiler<'expression'> = (rule, source) => {
  const condition = parseExpression(rule.params.when);
  const message = rule.params.message;
  return {
    ruleId: rule.id,
    evaluate(batch, out) {
      if (batch.entries.length === 0) return;
      const contexts = celContexts(batch);
      batch.entries.forEach((entry, index) => {
        let flagged: boolean;
        let text = message;
        try {
          flagged = condition(contexts[index]) === true;
        } catch (error) {
          // A runtime error (e.g. division by zero) must not stop a bill run; it surfaces as a finding.
          flagged = true;
          text = `The custom check could not be evaluated (${firstLine((error as Error).message)}): ask legal ops to fix rule ${rule.id}.`;
        }
        if (flagged)
          out.push(makeFinding(rule, source, 'time_entry', entry.id, entry.matterCode, text));
      });
    },
  };
};
