/** Kinds about when the work was done: late entries and work after the matter closed. */
import { addDays } from '../../dates.js';
import type { RuleCompiler } from '../compiled-rule.js';
import { makeFinding } from '../findings.js';

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export const compileLateEntry: RuleCompiler<'late_entry'> = (rule, source) => {
  const maxDays = rule.params.max_days;
  return {
    ruleId: rule.id,
    evaluate(batch, out) {
      // Lateness is measured against the period being billed; without one there is nothing to measure.
      if (batch.period === undefined) return;
      const end = batch.period.end;
      const cutoff = addDays(end, -maxDays);
      const explain = (date: string) =>
        `Work dated ${date} is ${daysBetween(date, end)} days before the end of the billed period (${end}); the client accepts charges at most ${maxDays} days old: bill it only with the client's approval.`;
      for (const entry of batch.entries) {
        if (entry.workDate >= cutoff) continue;
        out.push(
          makeFinding(
            rule,
            source,
            'time_entry',
            entry.id,
            entry.matterCode,
            explain(entry.workDate),
          ),
        );
      }
      for (const expense of batch.expenses) {
        if (expense.workDate >= cutoff) continue;
        out.push(
          makeFinding(
            rule,
            source,
            'expense',
            expense.id,
            expense.matterCode,
            explain(expense.workDate),
          ),
        );
      }
    },
  };
};

export const compileMatterClosed: RuleCompiler<'matter_closed'> = (rule, source) => ({
  ruleId: rule.id,
  evaluate(batch, out) {
    const explain = (date: string, closedOn: string, matter: string) =>
      `Work dated ${date} is after matter ${matter} closed on ${closedOn}: move it to the right matter or ask the responsible attorney to reopen the matter.`;
    for (const entry of batch.entries) {
      const closedOn = entry.matterClosedOn;
      if (closedOn === null || entry.workDate <= closedOn) continue;
      out.push(
        makeFinding(
          rule,
          source,
          'time_entry',
          entry.id,
          entry.matterCode,
          explain(entry.workDate, closedOn, entry.matterCode),
        ),
      );
    }
    for (const expense of batch.expenses) {
      const closedOn = expense.matterClosedOn;
      if (closedOn === null || expense.workDate <= closedOn) continue;
      out.push(
        makeFinding(
          rule,
          source,
          'expense',
          expense.id,
          expense.matterCode,
          explain(expense.workDate, closedOn, expense.matterCode),
        ),
      );
    }
  },
});
