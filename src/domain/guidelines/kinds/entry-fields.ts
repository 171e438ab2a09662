/** Kinds that look at one entry's recorded values: required fields, UTBMS codes, hours, narrative length. */
import {
  findCode,
  isValidActivityCode,
  isValidExpenseCode,
  isValidTaskCode,
} from '../../utbms/utbms.js';
import type { RuleCompiler } from '../compiled-rule.js';
import { makeFinding } from '../findings.js';
import { countWords, hoursText, listText } from '../text.js';

const FIELD_LABELS = {
  task_code: 'task code',
  activity_code: 'activity code',
  narrative: 'narrative',
  expense_code: 'expense code',
  description: 'description',
} as const;

function blank(value: string | null): boolean {
  return value === null || value.trim() === '';
}

export const compileRequiredFields: RuleCompiler<'required_fields'> = (rule, source) => {
  const fields = new Set(rule.params.fields);
  const task = fields.has('task_code');
  const activity = fields.has('activity_code');
  const narrative = fields.has('narrative');
  const expenseCode = fields.has('expense_code');
  const description = fields.has('description');
  return {
    ruleId: rule.id,
    evaluate(batch, out) {
      for (const entry of batch.entries) {
        const missing: string[] = [];
        if (task && blank(entry.taskCode)) missing.push(FIELD_LABELS.task_code);
        if (activity && blank(entry.activityCode)) missing.push(FIELD_LABELS.activity_code);
        if (narrative && blank(entry.narrative)) missing.push(FIELD_LABELS.narrative);
        if (missing.length > 0) {
          const text = `The time entry has no ${listText(missing)}: the client requires it; fill it in before release.`;
          out.push(makeFinding(rule, source, 'time_entry', entry.id, entry.matterCode, text));
        }
      }
      for (const expense of batch.expenses) {
        const missing: string[] = [];
        if (expenseCode && blank(expense.expenseCode)) missing.push(FIELD_LABELS.expense_code);
        if (description && blank(expense.description)) missing.push(FIELD_LABELS.description);
        if (missing.length > 0) {
          const text = `The expense has no ${listText(missing)}: the client requires it; fill it in before release.`;
          out.push(makeFinding(rule, source, 'expense', expense.id, expense.matterCode, text));
        }
      }
    },
  };
};

export const compileUtbmsCodes: RuleCompiler<'utbms_codes'> = (rule, source) => {
  const { task_set: set, require_task, require_activity, require_expense } = rule.params;
  const setText = set === 'any' ? 'UTBMS' : `UTBMS ${set}`;
  return {
    ruleId: rule.id,
    evaluate(batch, out) {
      for (const entry of batch.entries) {
        const problems: string[] = [];
        const task = entry.taskCode;
        if (blank(task)) {
          if (require_task) problems.push(`it has no task code; add a ${setText} task code`);
        } else if (task !== null && !isValidTaskCode(task, set)) {
          problems.push(`task code ${task} is not a ${setText} task code`);
        } else if (task !== null && findCode(task)?.phase === true) {
          problems.push(`task code ${task} is a phase; use one of the task codes under it`);
        }
        const activity = entry.activityCode;
        if (blank(activity)) {
          if (require_activity) problems.push('it has no activity code; add one (A101–A111)');
        } else if (activity !== null && !isValidActivityCode(activity)) {
          problems.push(`activity code ${activity} is not a UTBMS activity code (A101–A111)`);
        }
        if (problems.length > 0) {
          const text = `UTBMS codes: ${problems.join('; ')}.`;
          out.push(makeFinding(rule, source, 'time_entry', entry.id, entry.matterCode, text));
        }
      }
      for (const expense of batch.expenses) {
        const code = expense.expenseCode;
        let problem: string | null = null;
        if (blank(code)) {
          if (require_expense) problem = 'the expense has no expense code; add one (E101–E124)';
        } else if (code !== null && !isValidExpenseCode(code)) {
          problem = `expense code ${code} is not a UTBMS expense code (E101–E124)`;
        }
        if (problem !== null) {
          const text = `UTBMS codes: ${problem}.`;
          out.push(makeFinding(rule, source, 'expense', expense.id, expense.matterCode, text));
        }
      }
    },
  };
};

export const compileBillingIncrement: RuleCompiler<'billing_increment'> = (rule, source) => {
  const increment = rule.params.hours;
  return {
    ruleId: rule.id,
    evaluate(batch, out) {
      for (const entry of batch.entries) {
        if (entry.hours % increment === 0) continue;
        // Guidelines ask for rounding down to the increment, never up (AECC, counselaudit).
        const down = entry.hours - (entry.hours % increment);
        const text = `${hoursText(entry.hours)} h is not a multiple of the client's ${hoursText(increment)} h billing increment: record ${hoursText(down)} h.`;
        out.push(
          makeFinding(rule, source, 'time_entry', entry.id, entry.matterCode, text, {
            field: 'hours',
            from: entry.hours,
            to: down,
          }),
        );
      }
    },
  };
};

export const compileMaxEntryHours: RuleCompiler<'max_entry_hours'> = (rule, source) => {
  const limit = rule.params.hours;
  return {
    ruleId: rule.id,
    evaluate(batch, out) {
      for (const entry of batch.entries) {
        if (entry.hours <= limit) continue;
        const text = `${hoursText(entry.hours)} h exceeds the client's ${hoursText(limit)} h per-entry limit: split the entry or get approval.`;
        out.push(
          makeFinding(rule, source, 'time_entry', entry.id, entry.matterCode, text, {
            field: 'hours',
            from: entry.hours,
            to: limit,
          }),
        );
      }
    },
  };
};

export const compileNarrativeLength: RuleCompiler<'narrative_length'> = (rule, source) => {
  const { min_words: minWords, max_chars: maxChars } = rule.params;
  return {
    ruleId: rule.id,
    evaluate(batch, out) {
      for (const entry of batch.entries) {
        const length = entry.narrative.length;
        const words = length > maxChars ? 0 : countWords(entry.narrative);
        if (length <= maxChars && words >= minWords) continue;
        const text =
          length > maxChars
            ? `The narrative is ${length} characters; the client accepts at most ${maxChars}: shorten it.`
            : `The narrative has ${words} word${words === 1 ? '' : 's'}; the client requires at least ${minWords}: say what was done and why.`;
        out.push(makeFinding(rule, source, 'time_entry', entry.id, entry.matterCode, text));
      }
    },
  };
};
