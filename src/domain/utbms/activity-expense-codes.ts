/**
 * ABA original activity and expense codes, used with every task set. The LOC 2013 revised
 * activity and expense codes are unconfirmed, and "A112 Travel" has no public source, so none of
 * them is listed.
 */
import type { UtbmsCode } from './utbms-code.js';

const ACTIVITIES: readonly (readonly [string, string])[] = [
  ['A101', 'Plan and prepare for'],
  ['A102', 'Research'],
  ['A103', 'Draft/revise'],
  ['A104', 'Review/analyze'],
  ['A105', 'Communicate (in firm)'],
  ['A106', 'Communicate (with client)'],
  ['A107', 'Communicate (other outside counsel)'],
  ['A108', 'Communicate (other external)'],
  ['A109', 'Appear for/attend'],
  ['A110', 'Manage data/files'],
  ['A111', 'Other'],
];

const EXPENSES: readonly (readonly [string, string])[] = [
  ['E101', 'Copying'],
  ['E102', 'Outside printing'],
  ['E103', 'Word processing'],
  ['E104', 'Facsimile'],
  ['E105', 'Telephone'],
  ['E106', 'Online research'],
  ['E107', 'Delivery services/messengers'],
  ['E108', 'Postage'],
  ['E109', 'Local travel'],
  ['E110', 'Out-of-town travel'],
  ['E111', 'Meals'],
  ['E112', 'Court fees'],
  ['E113', 'Subpoena fees'],
  ['E114', 'Witness fees'],
  ['E115', 'Deposition transcripts'],
  ['E116', 'Trial transcripts'],
  ['E117', 'Trial exhibits'],
  ['E118', 'Litigation support vendors'],
  ['E119', 'Experts'],
  ['E120', 'Private investigators'],
  ['E121', 'Arbitrators/mediators'],
  ['E122', 'Local counsel'],
  ['E123', 'Other professionals'],
  ['E124', 'Other'],
];

/** Activity codes A101–A111. */
export const ACTIVITY_CODES: readonly UtbmsCode[] = ACTIVITIES.map(([code, name]) => ({
  code,
  name,
  set: 'activity',
  kind: 'activity',
  phase: false,
  phaseCode: null,
}));

/** Expense codes E101–E124. */
export const EXPENSE_CODES: readonly UtbmsCode[] = EXPENSES.map(([code, name]) => ({
  code,
  name,
  set: 'expense',
  kind: 'expense',
  phase: false,
  phaseCode: null,
}));
