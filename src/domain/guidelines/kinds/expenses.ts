/** Expense kinds: caps per expense code and codes the client does not pay. */
import { extendedAmount } from '../../money.js';
import type { RuleCompiler } from '../compiled-rule.js';
import { makeFinding } from '../findings.js';
import { moneyText } from '../text.js';

export const compileExpenseCap: RuleCompiler<'expense_cap'> = (rule, source) => {
  const { expense_code: code, max_unit_cost: maxUnitCost, max_amount: maxAmount } = rule.params;
  return {
    ruleId: rule.id,
    evaluate(batch, out) {
      for (const expense of batch.expenses) {
        if (expense.expenseCode !== code) continue;
        const overUnit = maxUnitCost !== null && expense.unitCost > maxUnitCost;
        const overAmount = maxAmount !== null && expense.amount > maxAmount;
        if (!overUnit && !overAmount) continue;
        // The allowed amount applies the unit-cost cap first, then the per-expense cap.
        let allowed = expense.amount;
        if (overUnit) allowed = Math.min(allowed, extendedAmount(expense.quantity, maxUnitCost));
        if (maxAmount !== null) allowed = Math.min(allowed, maxAmount);
        const reasons: string[] = [];
        if (overUnit) {
          reasons.push(
            `unit cost ${moneyText(expense.unitCost)} is above the ${moneyText(maxUnitCost)} cap`,
          );
        }
        if (overAmount) {
          reasons.push(
            `amount ${moneyText(expense.amount)} is above the ${moneyText(maxAmount)} cap`,
          );
        }
        const text = `${code} expense: ${reasons.join(' and ')}: bill ${moneyText(allowed)} or get the client's approval first.`;
        out.push(
          makeFinding(rule, source, 'expense', expense.id, expense.matterCode, text, {
            field: 'amount',
            from: expense.amount,
            to: allowed,
          }),
        );
      }
    },
  };
};

export const compileNonBillableExpense: RuleCompiler<'non_billable_expense'> = (rule, source) => {
  const codes = new Set(rule.params.expense_codes);
  return {
    ruleId: rule.id,
    evaluate(batch, out) {
      for (const expense of batch.expenses) {
        if (expense.expenseCode === null || !codes.has(expense.expenseCode)) continue;
        const text = `The client does not pay ${expense.expenseCode} expenses: mark this ${moneyText(expense.amount)} expense non-billable.`;
        out.push(
          makeFinding(rule, source, 'expense', expense.id, expense.matterCode, text, {
            field: 'amount',
            factor: '0',
          }),
        );
      }
    },
  };
};
