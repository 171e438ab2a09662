import type { IsoDate } from '../../domain/dates.js';
import { addDays, isIsoDate } from '../../domain/dates.js';
import { formatHours, formatMoney } from '../../domain/money.js';
import { DemoRandom } from './demo-random.js';
import type { ProblemKind } from './demo-audit.js';
import { PROBLEM_KINDS, findProblems } from './demo-audit.js';
import { injectProblems } from './demo-problems.js';
import { buildApprovals, buildRateCard } from './demo-rates.js';
import { MATTERS } from './demo-matters.js';
import type { DemoPeriod } from './demo-roster.js';
import {
  CLIENTS,
  LATE_RELEASERS,
  RESTRICTED_MEMBERS,
  TIMEKEEPERS,
  USERS,
  demoPeriod,
  timekeeperEmail,
} from './demo-roster.js';
import { generateExpenses, generateTime, matterWindows } from './demo-work.js';

export type { ProblemKind } from './demo-audit.js';
export { PROBLEM_KINDS } from './demo-audit.js';

/** The import kinds of the demo firm, in the order their references require. */
export const DEMO_IMPORT_ORDER = [
  'clients',
  'timekeepers',
  'users',
  'matters',
  'matter-timekeepers',
  'rates',
  'time-entries',
  'expenses',
] as const;
export type DemoRecordKind = (typeof DEMO_IMPORT_ORDER)[number];

/** The CSV columns of each kind, so a record with a missing or stray column does not compile. */
// prettier-ignore
type Columns = {
  clients: 'client_code' | 'name' | 'currency' | 'ebilling_format' | 'ebilling_client_id'
    | 'law_firm_id';
  timekeepers: 'timekeeper_code' | 'first_name' | 'last_name' | 'classification' | 'email'
    | 'standard_rate' | 'currency' | 'practice_group';
  users: 'email' | 'name' | 'roles' | 'timekeeper_code';
  matters: 'matter_code' | 'client_code' | 'client_matter_id' | 'name' | 'practice_area'
    | 'jurisdiction' | 'office' | 'fee_arrangement' | 'fee_amount' | 'responsible_attorney'
    | 'billing_partner' | 'billing_coordinator' | 'budget' | 'status' | 'opened_on' | 'closed_on'
    | 'restricted';
  'matter-timekeepers': 'matter_code' | 'timekeeper_code' | 'approved_rate';
  rates: 'timekeeper_code' | 'client_code' | 'matter_code' | 'rate' | 'currency' | 'effective_from'
    | 'effective_to';
  'time-entries': 'entry_id' | 'matter_code' | 'timekeeper_code' | 'work_date' | 'hours'
    | 'narrative' | 'task_code' | 'activity_code' | 'billable';
  expenses: 'expense_id' | 'matter_code' | 'timekeeper_code' | 'expense_date' | 'expense_code'
    | 'description' | 'quantity' | 'unit_cost';
};

/** One CSV row: header → cell text, exactly as a file exported from the firm's systems has it. */
export type DemoRecord<K extends DemoRecordKind> = Record<Columns[K], string>;
export type DemoRecords = { [K in DemoRecordKind]: DemoRecord<K>[] };

/** Which entry or expense carries which problem, so a check can be held against the answer. */
export interface DemoFlag {
  problem: ProblemKind;
  kind: 'time-entries' | 'expenses';
  id: string;
}

export interface DemoFirm extends DemoRecords {
  seed: number;
  today: IsoDate;
  period: DemoPeriod;
  /** How many entries and expenses carry each problem (one record may carry several). */
  problems: Record<ProblemKind, number>;
  flags: DemoFlag[];
  signIns: { email: string; roles: string[] }[];
  /** The walled-off matter and the users who may see it. */
  restricted: { matterCode: string; members: string[] };
  /** Entries of these timekeepers on or after `draftFrom` are not released yet. */
  drafts: { timekeeperCodes: string[]; from: IsoDate };
}

export interface DemoFirmOptions {
  seed: number;
  /** The day the demo is generated on; the work falls in the two calendar months before it. */
  today: IsoDate;
}

export const DEFAULT_DEMO_SEED = 1998;

const yesNo = (value: boolean): string => (value ? 'yes' : 'no');

/**
 * Generates Hartwell & Pierce LLP: clients, people, matters, rate cards and two months of time
 * and expenses with a realistic share of problems. Pure: the same seed and day give the same
 * records, byte for byte.
 */
export function generateDemoFirm({ seed, today }: DemoFirmOptions): DemoFirm {
  if (!isIsoDate(today)) throw new RangeError(`today must be a YYYY-MM-DD date, got "${today}"`);
  const rng = new DemoRandom(seed);
  const period = demoPeriod(today);
  const windows = matterWindows(period);
  const rates = buildRateCard(period);
  const approvals = buildApprovals(rates, period);
  const expenses = generateExpenses(rng, period, windows);
  const entries = injectProblems(
    rng,
    generateTime(rng, period, windows),
    expenses,
    period,
    windows,
  );
  // Stable sorts: a duplicate stays right after the entry it repeats.
  entries.sort((a, b) => a.date.localeCompare(b.date) || a.timekeeper.localeCompare(b.timekeeper));
  expenses.sort((a, b) => a.date.localeCompare(b.date) || a.matter.localeCompare(b.matter));
  const found = findProblems(entries, expenses, { period, windows, rates, approvals });

  const entryId = (i: number) => `TE-${String(i + 1).padStart(6, '0')}`;
  const expenseId = (i: number) => `EX-${String(i + 1).padStart(5, '0')}`;
  const flags: DemoFlag[] = [
    ...found.entries.flatMap((problems, i) =>
      problems.map((problem) => ({ problem, kind: 'time-entries' as const, id: entryId(i) })),
    ),
    ...found.expenses.flatMap((problems, i) =>
      problems.map((problem) => ({ problem, kind: 'expenses' as const, id: expenseId(i) })),
    ),
  ];
  const problems = Object.fromEntries(PROBLEM_KINDS.map((kind) => [kind, 0])) as Record<
    ProblemKind,
    number
  >;
  for (const flag of flags) problems[flag.problem]++;

  const restricted = MATTERS.find((m) => m.restricted)!;
  return {
    seed,
    today,
    period,
    clients: CLIENTS.map((c) => ({
      client_code: c.code,
      name: c.name,
      currency: c.currency,
      ebilling_format: c.format,
      ebilling_client_id: c.portalId,
      law_firm_id: c.lawFirmId,
    })),
    timekeepers: TIMEKEEPERS.map((t) => ({
      timekeeper_code: t.code,
      first_name: t.first,
      last_name: t.last,
      classification: t.classification,
      email: timekeeperEmail(t),
      standard_rate: formatMoney(t.rate),
      currency: 'USD',
      practice_group: t.group,
    })),
    users: USERS.map((u) => ({
      email: u.email,
      name: u.name,
      roles: u.roles.join(';'),
      timekeeper_code: u.timekeeper ?? '',
    })),
    matters: MATTERS.map((m) => ({
      matter_code: m.code,
      client_code: m.client,
      client_matter_id: m.clientMatterId,
      name: m.name,
      practice_area: m.practiceArea,
      jurisdiction: m.jurisdiction,
      office: m.office,
      fee_arrangement: m.fee,
      fee_amount: m.feeAmount === null ? '' : formatMoney(m.feeAmount),
      responsible_attorney: m.responsible,
      billing_partner: m.partner,
      billing_coordinator: m.coordinator,
      budget: m.budget === null ? '' : formatMoney(m.budget),
      status: m.status,
      opened_on: windows.get(m.code)!.opened,
      closed_on: windows.get(m.code)!.closed ?? '',
      restricted: yesNo(m.restricted),
    })),
    'matter-timekeepers': approvals.map((a) => ({
      matter_code: a.matter,
      timekeeper_code: a.timekeeper,
      approved_rate: a.approvedRate === null ? '' : formatMoney(a.approvedRate),
    })),
    rates: rates.map((r) => ({
      timekeeper_code: r.timekeeper,
      client_code: r.client ?? '',
      matter_code: r.matter ?? '',
      rate: formatMoney(r.rate),
      currency: r.currency,
      effective_from: r.from,
      effective_to: r.to ?? '',
    })),
    'time-entries': entries.map((e, i) => ({
      entry_id: entryId(i),
      matter_code: e.matter,
      timekeeper_code: e.timekeeper,
      work_date: e.date,
      hours: formatHours(e.hours),
      narrative: e.narrative,
      task_code: e.task,
      activity_code: e.activity,
      billable: yesNo(e.billable),
    })),
    expenses: expenses.map((x, i) => ({
      expense_id: expenseId(i),
      matter_code: x.matter,
      timekeeper_code: x.timekeeper,
      expense_date: x.date,
      expense_code: x.code,
      description: x.description,
      quantity: String(x.quantity),
      unit_cost: formatMoney(x.unitCost),
    })),
    problems,
    flags,
    signIns: demoSignIns(),
    restricted: { matterCode: restricted.code, members: [...RESTRICTED_MEMBERS] },
    drafts: { timekeeperCodes: [...LATE_RELEASERS], from: addDays(period.to, -6) },
  };
}

/** Who can sign in to the demo firm, with their roles. */
export function demoSignIns(): { email: string; roles: string[] }[] {
  return USERS.map((u) => ({ email: u.email, roles: [...u.roles] }));
}
