/** Kinds about who billed and at what rate: rate caps, approved rates and timekeepers, staffing. */
import { CLASSIFICATIONS, type Classification } from '../../roles.js';
import type { RuleCompiler } from '../compiled-rule.js';
import { makeFinding } from '../findings.js';
import { moneyText } from '../text.js';

export const compileRateCap: RuleCompiler<'rate_cap'> = (rule, source) => {
  // One cap per classification, resolved once: its own cap, else the overall one, else none.
  const caps = new Map<Classification, number>();
  for (const classification of CLASSIFICATIONS) {
    const cap = rule.params.by_classification[classification] ?? rule.params.max_rate;
    if (cap !== null) caps.set(classification, cap);
  }
  return {
    ruleId: rule.id,
    evaluate(batch, out) {
      for (const entry of batch.entries) {
        const cap = caps.get(entry.classification);
        if (cap === undefined || entry.rate <= cap) continue;
        const text = `Rate ${moneyText(entry.rate)}/h is above the client's ${moneyText(cap)}/h cap for ${entry.classification} timekeepers: bill at ${moneyText(cap)}/h.`;
        out.push(
          makeFinding(rule, source, 'time_entry', entry.id, entry.matterCode, text, {
            field: 'rate',
            from: entry.rate,
            to: cap,
          }),
        );
      }
    },
  };
};

export const compileApprovedRate: RuleCompiler<'approved_rate'> = (rule, source) => ({
  ruleId: rule.id,
  evaluate(batch, out) {
    for (const entry of batch.entries) {
      // No approved rate on the matter means no rate was negotiated for it: nothing to exceed.
      if (entry.approvedRate === null || entry.rate <= entry.approvedRate) continue;
      const text = `Rate ${moneyText(entry.rate)}/h is above ${entry.timekeeperCode}'s approved rate of ${moneyText(entry.approvedRate)}/h on this matter: bill at the approved rate or get a new rate approved.`;
      out.push(
        makeFinding(rule, source, 'time_entry', entry.id, entry.matterCode, text, {
          field: 'rate',
          from: entry.rate,
          to: entry.approvedRate,
        }),
      );
    }
  },
});

export const compileApprovedTimekeeper: RuleCompiler<'approved_timekeeper'> = (rule, source) => ({
  ruleId: rule.id,
  evaluate(batch, out) {
    for (const entry of batch.entries) {
      const approved = entry.matterApprovedTimekeeperIds;
      // An empty list means the matter restricts no one (not that no one may bill).
      if (approved.length === 0 || approved.includes(entry.timekeeperId)) continue;
      const text = `${entry.timekeeperCode} is not an approved timekeeper on matter ${entry.matterCode}: ask the client to approve them before this time is billed.`;
      out.push(makeFinding(rule, source, 'time_entry', entry.id, entry.matterCode, text));
    }
  },
});

export const compileStaffing: RuleCompiler<'staffing'> = (rule, source) => {
  const unpaid = new Set<string>(rule.params.classifications);
  return {
    ruleId: rule.id,
    evaluate(batch, out) {
      for (const entry of batch.entries) {
        if (!unpaid.has(entry.classification)) continue;
        const text = `The client does not pay for ${entry.classification} time: mark it non-billable or have it done by a classification the client pays for.`;
        out.push(
          makeFinding(rule, source, 'time_entry', entry.id, entry.matterCode, text, {
            field: 'amount',
            factor: '0',
          }),
        );
      }
    },
  };
};
