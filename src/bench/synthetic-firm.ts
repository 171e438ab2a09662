/**
 * A large synthetic law firm for benchmarks: clients, timekeepers, matters with their approved
 * teams, rate cards, and (in synthetic-work.ts) a month of time entries with a realistic share of
 * problems. Seeded and pure: the same options give the same firm, record for record. The roster
 * is small enough to hold (thousands of rows); time entries are generated lazily.
 */
import type { IsoDate } from '../domain/dates.js';
import { addDays, daysInMonth } from '../domain/dates.js';
import type { Cents } from '../domain/money.js';
import { formatMoney } from '../domain/money.js';
import type { Classification } from '../domain/roles.js';
import { DemoRandom } from '../modules/demo/demo-random.js';
import { CLIENT_NAMES, COUNTERPARTIES, FIRST_NAMES, LAST_NAMES } from './synthetic-vocabulary.js';

export interface SyntheticFirmOptions {
  seed: number;
  clients: number;
  timekeepers: number;
  matters: number;
  /** Time entries in the month, exactly. */
  entries: number;
  /** The month the work falls in, `YYYY-MM`. */
  month: string;
}

/** The firm of `npm run bench -- rules`. */
export const RULES_BENCH_FIRM: SyntheticFirmOptions = {
  seed: 20_260_301,
  clients: 50,
  timekeepers: 1_000,
  matters: 10_000,
  entries: 300_000,
  month: '2026-03',
};

/** The benchmark firm, scaled down by MATTERFLOW_BENCH_SCALE (e.g. 0.1) for a quick look. */
export function scaledBenchFirm(): SyntheticFirmOptions {
  const scale = Number(process.env.MATTERFLOW_BENCH_SCALE ?? '1');
  if (!(scale > 0 && scale <= 1)) throw new Error('MATTERFLOW_BENCH_SCALE must be in (0, 1]');
  const scaled = (n: number) => Math.max(1, Math.round(n * scale));
  const base = RULES_BENCH_FIRM;
  return {
    ...base,
    timekeepers: scaled(base.timekeepers),
    matters: Math.max(base.clients, scaled(base.matters)),
    entries: scaled(base.entries),
  };
}

export interface SyntheticClient {
  readonly code: string;
  readonly name: string;
  /** Clients with a negotiated discount have a client rate for every timekeeper. */
  readonly discounted: boolean;
}

export interface SyntheticTimekeeper {
  readonly index: number;
  readonly code: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly classification: Classification;
  /** Last year's rate, kept as the undated standard rate. */
  readonly standardRate: Cents;
  /** This year's default rate card row. */
  readonly rate: Cents;
  /** Matters whose team the timekeeper is on. */
  readonly matters: SyntheticMatter[];
}

export interface SyntheticMatter {
  readonly index: number;
  readonly code: string;
  readonly client: SyntheticClient;
  readonly party: string;
  /** The first member is the responsible (and billing) partner. */
  readonly team: readonly SyntheticTimekeeper[];
  /** Codes of the timekeepers approved on the matter; empty when it restricts no one. */
  readonly approvedCodes: readonly string[];
  /** Approved rates by timekeeper code, for approvals that carry one. */
  readonly approvedRates: ReadonlyMap<string, Cents>;
  readonly closedOn: IsoDate | null;
  /** Day of the week (0 = Sunday) of the team's internal strategy session. */
  readonly meetingWeekday: number;
}

/** Rate ranges in whole dollars; each top end lies a little above the bench guideline's cap. */
const CLASSIFICATION_MIX: readonly (readonly [Classification, number, number, number])[] = [
  ['PT', 20, 420, 660],
  ['OC', 7, 400, 605],
  ['AS', 40, 250, 435],
  ['PL', 23, 120, 200],
  ['LA', 2, 100, 160],
  ['OT', 8, 150, 260],
];

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const roundTo5Dollars = (cents: number): Cents => Math.round(cents / 500) * 500;

/** Roster and rate cards of a synthetic firm; `syntheticEntries` generates its month of work. */
export class SyntheticFirm {
  readonly options: SyntheticFirmOptions;
  readonly clients: readonly SyntheticClient[];
  readonly timekeepers: readonly SyntheticTimekeeper[];
  readonly matters: readonly SyntheticMatter[];
  /** Monday to Friday of the month. */
  readonly workDays: readonly IsoDate[];
  readonly period: { readonly from: IsoDate; readonly to: IsoDate };

  constructor(options: SyntheticFirmOptions) {
    if (options.clients < 1 || options.timekeepers < 1 || options.matters < options.clients) {
      throw new RangeError('a synthetic firm needs clients, timekeepers and a matter per client');
    }
    this.options = options;
    const rng = new DemoRandom(options.seed);
    const [year, month] = options.month.split('-').map(Number) as [number, number];
    this.period = {
      from: `${options.month}-01`,
      to: `${options.month}-${pad(daysInMonth(year, month), 2)}`,
    };
    this.workDays = monthDays(this.period.from, this.period.to).filter((day) => {
      const weekday = weekdayOf(day);
      return weekday !== 0 && weekday !== 6;
    });
    this.clients = Array.from({ length: options.clients }, (_, i) => ({
      code: `C${pad(i + 1, 3)}`,
      name: `${rng.pick(LAST_NAMES)} ${rng.pick(CLIENT_NAMES)} ${i + 1}`,
      discounted: i % 5 === 0,
    }));
    this.timekeepers = Array.from({ length: options.timekeepers }, (_, i) => {
      const [classification, , low, high] = rng.weighted(
        CLASSIFICATION_MIX.map((mix) => [mix, mix[1]] as const),
      );
      const rate = rng.int(low / 5, high / 5) * 500;
      return {
        index: i,
        code: `T${pad(i + 1, 4)}`,
        firstName: rng.pick(FIRST_NAMES),
        lastName: rng.pick(LAST_NAMES),
        // The first timekeeper is always a partner, so every matter has someone responsible.
        classification: i === 0 ? 'PT' : classification,
        standardRate: roundTo5Dollars(rate * 0.95),
        rate,
        matters: [],
      };
    });
    const partners = this.timekeepers.filter((t) => t.classification === 'PT');
    this.matters = Array.from({ length: options.matters }, (_, i) =>
      this.#buildMatter(rng, i, partners),
    );
    // A timekeeper on no team still records time: give them a matter of their own.
    for (const timekeeper of this.timekeepers) {
      if (timekeeper.matters.length === 0) {
        timekeeper.matters.push(this.matters[timekeeper.index % this.matters.length]!);
      }
    }
  }

  #buildMatter(rng: DemoRandom, index: number, partners: SyntheticTimekeeper[]): SyntheticMatter {
    const client = this.clients[index % this.clients.length]!;
    const team = [rng.pick(partners)];
    const size = rng.int(3, 7);
    while (team.length < size) {
      const member = rng.pick(this.timekeepers);
      if (!team.includes(member)) team.push(member);
    }
    const restricts = rng.chance(0.6);
    const approvedRates = new Map<string, Cents>();
    if (restricts) {
      for (const member of team) {
        if (!rng.chance(0.25)) continue;
        const rate = this.#rateFor(member, client);
        // Some approvals were negotiated below the rate the firm bills.
        approvedRates.set(member.code, rng.chance(0.15) ? roundTo5Dollars(rate * 0.95) : rate);
      }
    }
    const matter: SyntheticMatter = {
      index,
      code: `M${pad(index + 1, 5)}`,
      client,
      party: rng.pick(COUNTERPARTIES),
      team,
      approvedCodes: restricts ? team.map((t) => t.code) : [],
      approvedRates,
      closedOn: rng.chance(0.01) ? addDays(this.period.from, 14) : null,
      meetingWeekday: rng.int(1, 5),
    };
    for (const member of team) member.matters.push(matter);
    return matter;
  }

  #rateFor(timekeeper: SyntheticTimekeeper, client: SyntheticClient): Cents {
    return client.discounted ? roundTo5Dollars(timekeeper.rate * 0.9) : timekeeper.rate;
  }

  /** The rate the firm bills `timekeeper` at on `matter`: the client rate if any, else the default. */
  rateFor(timekeeper: SyntheticTimekeeper, matter: SyntheticMatter): Cents {
    return this.#rateFor(timekeeper, matter.client);
  }

  /** The reference records in import order, each as CSV-shaped header → cell records. */
  referenceRecords(): { kind: ReferenceKind; records: Record<string, string>[] }[] {
    return REFERENCE_KINDS.map((kind) => ({ kind, records: this.records(kind) }));
  }

  /** CSV-shaped records of one reference kind, with exactly the import columns. */
  records(kind: ReferenceKind): Record<string, string>[] {
    const year = this.options.month.slice(0, 4);
    switch (kind) {
      case 'clients':
        return this.clients.map((c) => ({
          client_code: c.code,
          name: c.name,
          currency: 'USD',
          ebilling_format: 'LEDES1998B',
          ebilling_client_id: '',
          law_firm_id: '',
        }));
      case 'timekeepers':
        return this.timekeepers.map((t) => ({
          timekeeper_code: t.code,
          first_name: t.firstName,
          last_name: t.lastName,
          classification: t.classification,
          email: '',
          standard_rate: formatMoney(t.standardRate),
          currency: 'USD',
          practice_group: 'Litigation',
        }));
      case 'matters':
        return this.matters.map((m) => ({
          matter_code: m.code,
          client_code: m.client.code,
          client_matter_id: '',
          name: `${m.client.name} adv. ${m.party}`,
          practice_area: 'Litigation',
          jurisdiction: 'NY',
          office: 'New York',
          fee_arrangement: 'hourly',
          fee_amount: '',
          responsible_attorney: m.team[0]!.code,
          billing_partner: m.team[0]!.code,
          billing_coordinator: '',
          budget: '',
          status: m.closedOn === null ? 'open' : 'closed',
          opened_on: `${Number(year) - 1}-06-01`,
          closed_on: m.closedOn ?? '',
          restricted: 'no',
        }));
      case 'matter-timekeepers':
        return this.matters.flatMap((m) =>
          m.approvedCodes.map((code) => {
            const rate = m.approvedRates.get(code);
            return {
              matter_code: m.code,
              timekeeper_code: code,
              approved_rate: rate === undefined ? '' : formatMoney(rate),
            };
          }),
        );
      case 'rates':
        return this.timekeepers.flatMap((t) => [
          rateRecord(t.code, '', t.rate, `${year}-01-01`),
          ...this.clients
            .filter((c) => c.discounted)
            .map((c) => rateRecord(t.code, c.code, this.#rateFor(t, c), `${year}-01-01`)),
        ]);
    }
  }
}

/** The kinds the time entries refer to, in the order their own references require. */
export const REFERENCE_KINDS = [
  'clients',
  'timekeepers',
  'matters',
  'matter-timekeepers',
  'rates',
] as const;
export type ReferenceKind = (typeof REFERENCE_KINDS)[number];

function rateRecord(timekeeper: string, client: string, rate: Cents, from: IsoDate) {
  return {
    timekeeper_code: timekeeper,
    client_code: client,
    matter_code: '',
    rate: formatMoney(rate),
    currency: 'USD',
    effective_from: from,
    effective_to: '',
  };
}

function monthDays(from: IsoDate, to: IsoDate): IsoDate[] {
  const days: IsoDate[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day);
  return days;
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(day: IsoDate): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay();
}
