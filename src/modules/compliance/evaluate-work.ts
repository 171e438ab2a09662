/**
 * One evaluation path for the pre-bill scan and the save-time check: judged work is split by
 * the guideline in effect on its date, and every part sees all the loaded work as context, so
 * an entry's same-day neighbours count whichever guideline judges them.
 */
import {
  evaluateEntries,
  type CompiledGuideline,
  type EvaluationInput,
  type ExpenseInput,
  type Finding,
  type TimeEntryInput,
} from '../../domain/guidelines/index.js';
import { rulesOn, type ClientRules } from './rules-for-client.js';

/** Findings for the judged entries and expenses of `input` under the client's rules. */
export function evaluateWork(rules: ClientRules, input: EvaluationInput): Finding[] {
  const entries = input.timeEntries ?? [];
  const expenses = input.expenses ?? [];
  if (rules.segments.length === 0) return [];
  if (rules.segments.length === 1) {
    const [only] = rules.segments;
    const judged = (item: { workDate: string }) => item.workDate >= only!.from;
    return evaluateEntries(only!.compiled, {
      ...input,
      timeEntries: entries.every(judged) ? entries : entries.filter(judged),
      expenses: expenses.every(judged) ? expenses : expenses.filter(judged),
      context: {
        timeEntries: [...entries.filter((e) => !judged(e)), ...(input.context?.timeEntries ?? [])],
        expenses: [...expenses.filter((e) => !judged(e)), ...(input.context?.expenses ?? [])],
      },
    });
  }
  const parts = new Map<
    CompiledGuideline,
    { entries: TimeEntryInput[]; expenses: ExpenseInput[] }
  >();
  const partOf = (date: string) => {
    const compiled = rulesOn(rules, date);
    if (compiled === null) return null;
    let part = parts.get(compiled);
    if (part === undefined) {
      part = { entries: [], expenses: [] };
      parts.set(compiled, part);
    }
    return part;
  };
  for (const entry of entries) partOf(entry.workDate)?.entries.push(entry);
  for (const expense of expenses) partOf(expense.workDate)?.expenses.push(expense);
  // Judged items of the other parts are neighbours too; the engine drops an item judged in
  // this part from its own context.
  const context = {
    timeEntries: [...entries, ...(input.context?.timeEntries ?? [])],
    expenses: [...expenses, ...(input.context?.expenses ?? [])],
  };
  const findings: Finding[] = [];
  for (const [compiled, part] of parts) {
    findings.push(
      ...evaluateEntries(compiled, {
        timeEntries: part.entries,
        expenses: part.expenses,
        ...(input.period === undefined ? {} : { period: input.period }),
        context,
      }),
    );
  }
  return findings;
}
