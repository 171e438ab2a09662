import type { IsoDate } from '../../domain/dates.js';
import { addDays } from '../../domain/dates.js';
import type { Classification, EbillingFormat, Role } from '../../domain/roles.js';

/** The clients, people and sign-ins of Hartwell & Pierce LLP, the demo firm. */

export interface DemoClient {
  code: string;
  name: string;
  currency: string;
  format: EbillingFormat;
  portalId: string;
  lawFirmId: string;
  /** Negotiated rates relative to standard rates, converted to the client's currency. */
  rateFactor: number;
}

export const CLIENTS: readonly DemoClient[] = [
  {
    code: 'NWL',
    name: 'Northwind Logistics, Inc.',
    currency: 'USD',
    format: 'LEDES1998B',
    portalId: 'NWL-4471',
    lawFirmId: '13-4829175',
    rateFactor: 0.85,
  },
  {
    code: 'ALD',
    name: 'Aldermere Insurance plc',
    currency: 'GBP',
    format: 'LEDES98BI',
    portalId: 'ALD-UK-0093',
    lawFirmId: 'GB284615930',
    rateFactor: 0.66,
  },
  {
    code: 'SOL',
    name: 'Solana Renewables GmbH',
    currency: 'EUR',
    format: 'LEDES98BI',
    portalId: 'SOLR-2207',
    lawFirmId: 'DE318845201',
    rateFactor: 0.8,
  },
  {
    code: 'BHP',
    name: 'Brightline Health Partners',
    currency: 'USD',
    format: 'none',
    portalId: '',
    lawFirmId: '',
    rateFactor: 1,
  },
  {
    code: 'KMC',
    name: 'Kestrel Manufacturing Co.',
    currency: 'USD',
    format: 'none',
    portalId: '',
    lawFirmId: '',
    rateFactor: 1,
  },
];

export interface DemoTimekeeper {
  code: string;
  first: string;
  last: string;
  classification: Classification;
  /** Standard hourly rate in US cents. */
  rate: number;
  group: string;
}

const tk = (
  code: string,
  first: string,
  last: string,
  classification: Classification,
  dollars: number,
  group: string,
): DemoTimekeeper => ({ code, first, last, classification, rate: dollars * 100, group });

export const TIMEKEEPERS: readonly DemoTimekeeper[] = [
  tk('T101', 'Eleanor', 'Hartwell', 'PT', 1150, 'Litigation'),
  tk('T102', 'Marcus', 'Pierce', 'PT', 1095, 'Corporate'),
  tk('T103', 'Priya', 'Raman', 'PT', 980, 'Employment'),
  tk('T104', 'Daniel', 'Okafor', 'PT', 1025, 'Bankruptcy & Restructuring'),
  tk('T105', 'Catherine', 'Liu', 'PT', 1010, 'Intellectual Property'),
  tk('T106', 'Robert', 'Castellanos', 'OC', 890, 'Regulatory'),
  tk('T107', 'Helen', 'Fairbanks', 'OC', 850, 'Litigation'),
  tk('T108', 'James', 'Whitaker', 'AS', 725, 'Litigation'),
  tk('T109', 'Sofia', 'Marchetti', 'AS', 640, 'Corporate'),
  tk('T110', 'Aaron', 'Feld', 'AS', 560, 'Litigation'),
  tk('T111', 'Naomi', 'Brooks', 'AS', 610, 'Employment'),
  tk('T112', 'Tomás', 'Herrera', 'AS', 595, 'Bankruptcy & Restructuring'),
  tk('T113', 'Grace', 'Kim', 'AS', 520, 'Intellectual Property'),
  tk('T114', 'Owen', 'Gallagher', 'AS', 495, 'Regulatory'),
  tk('T115', 'Maria', 'Delgado', 'PL', 325, 'Litigation'),
  tk('T116', 'Kevin', 'Shaw', 'PL', 295, 'Corporate'),
  tk('T117', 'Lucy', 'Tran', 'PL', 310, 'Bankruptcy & Restructuring'),
  tk('T118', 'Denise', 'Howard', 'LA', 210, 'Litigation'),
  tk('T119', 'Patrick', 'Nolan', 'LA', 195, 'Corporate'),
  tk('T120', 'Ian', 'Mercer', 'OT', 275, 'Litigation Support'),
];

export const EMAIL_DOMAIN = 'hartwell.example';

export interface DemoUser {
  email: string;
  name: string;
  roles: Role[];
  timekeeper: string | null;
}

const user = (local: string, name: string, roles: Role[], timekeeper: string | null = null) => ({
  email: `${local}@${EMAIL_DOMAIN}`,
  name,
  roles,
  timekeeper,
});

/** One user per role at least; partners approve and record time, associates record time. */
export const USERS: readonly DemoUser[] = [
  user('admin', 'Avery Collins', ['admin']),
  user('legal.ops', 'Jordan Blake', ['legal_ops']),
  user('billing', 'Morgan Ellis', ['billing_coordinator']),
  user('billing.corporate', 'Sam Patel', ['billing_coordinator']),
  user('eleanor.hartwell', 'Eleanor Hartwell', ['approver', 'timekeeper'], 'T101'),
  user('marcus.pierce', 'Marcus Pierce', ['approver', 'timekeeper'], 'T102'),
  user('aaron.feld', 'Aaron Feld', ['timekeeper'], 'T110'),
  user('maria.delgado', 'Maria Delgado', ['timekeeper'], 'T115'),
];

/** Who may see the walled-off matter besides administrators: its deal team and its coordinator. */
export const RESTRICTED_MEMBERS: readonly string[] = [
  `marcus.pierce@${EMAIL_DOMAIN}`,
  `billing.corporate@${EMAIL_DOMAIN}`,
  `legal.ops@${EMAIL_DOMAIN}`,
];

/** Timekeepers who have not yet released their last week of time. */
export const LATE_RELEASERS: readonly string[] = ['T110', 'T113', 'T116'];

/** The two calendar months before "today" that the demo's work falls in. */
export interface DemoPeriod {
  from: IsoDate;
  /** First day of the second month: rate increases take effect here. */
  secondMonth: IsoDate;
  to: IsoDate;
}

/** First day of the month `offset` months away from the month of `date` (negative: earlier). */
export function firstOfMonth(date: IsoDate, offset = 0): IsoDate {
  const [year, month] = date.split('-').map(Number) as [number, number];
  const index = year * 12 + (month - 1) + offset;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;
}

export function demoPeriod(today: IsoDate): DemoPeriod {
  return {
    from: firstOfMonth(today, -2),
    secondMonth: firstOfMonth(today, -1),
    to: addDays(firstOfMonth(today), -1),
  };
}

export function clientOf(code: string): DemoClient {
  return CLIENTS.find((c) => c.code === code)!;
}

export function timekeeperOf(code: string): DemoTimekeeper {
  return TIMEKEEPERS.find((t) => t.code === code)!;
}

/** first.last@ the firm's domain, without accents. */
export function timekeeperEmail(keeper: DemoTimekeeper): string {
  const local = `${keeper.first}.${keeper.last}`.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  return `${local.toLowerCase()}@${EMAIL_DOMAIN}`;
}
