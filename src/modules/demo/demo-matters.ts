import type { FeeArrangement } from '../../domain/roles.js';
import { EMAIL_DOMAIN } from './demo-roster.js';
import type { CodeSet } from './demo-vocabulary.js';

/** A matter of the demo firm, with what the generator needs to staff it and word its time. */
export interface DemoMatter {
  code: string;
  client: string;
  clientMatterId: string;
  name: string;
  practiceArea: string;
  jurisdiction: string;
  office: string;
  fee: FeeArrangement;
  /** Flat fee or cap in minor units of the client's currency. */
  feeAmount: number | null;
  responsible: string;
  partner: string;
  coordinator: string;
  budget: number | null;
  status: 'open' | 'on_hold' | 'closed';
  openedDaysBefore: number;
  /** Day of the first month of the period the matter closed on. */
  closedOnDay: number | null;
  restricted: boolean;
  codeSet: CodeSet;
  /** The other side (or the agency) as narratives name it. */
  party: string;
  /** What an advice matter is about, as narratives name it. */
  topic: string;
  /** Timekeeper code → share of their time that goes to this matter. */
  team: Record<string, number>;
  /** Staffed without the client's approval: the portal rejects their time. */
  unapproved: readonly string[];
}

const BILLING = `billing@${EMAIL_DOMAIN}`;
const CORPORATE = `billing.corporate@${EMAIL_DOMAIN}`;

type Optional = 'status' | 'closedOnDay' | 'restricted' | 'unapproved' | 'topic' | 'feeAmount';
type MatterSpec = Omit<DemoMatter, Optional | 'budget'> &
  Partial<Pick<DemoMatter, Optional>> & { budget: number | null };

/** Amounts are written in whole units of the client's currency. */
const matter = (spec: MatterSpec): DemoMatter => ({
  status: 'open',
  closedOnDay: null,
  restricted: false,
  unapproved: [],
  topic: '',
  ...spec,
  feeAmount: spec.feeAmount === undefined || spec.feeAmount === null ? null : spec.feeAmount * 100,
  budget: spec.budget === null ? null : spec.budget * 100,
});

// One matter per block: identity, terms, people and dates, staffing.
// prettier-ignore
export const MATTERS: readonly DemoMatter[] = [
  matter({ code: 'HP-1001', client: 'NWL', clientMatterId: 'NWL-LIT-2291',
    name: 'Northwind v. Castellan Freight (breach of contract)', practiceArea: 'Litigation',
    jurisdiction: 'NY', office: 'New York', fee: 'hourly', budget: 450_000,
    responsible: 'T101', partner: 'T101', coordinator: BILLING, openedDaysBefore: 420,
    codeSet: 'litigation', party: 'Castellan Freight',
    team: { T101: 3, T107: 2, T108: 4, T110: 3, T115: 3, T118: 2, T120: 0.5 }, unapproved: ['T120'] }),
  matter({ code: 'HP-1002', client: 'NWL', clientMatterId: 'NWL-EMP-0417',
    name: 'Ramos wage and hour class action', practiceArea: 'Employment',
    jurisdiction: 'CA', office: 'San Francisco', fee: 'capped', feeAmount: 180_000, budget: 200_000,
    responsible: 'T103', partner: 'T101', coordinator: BILLING, openedDaysBefore: 300,
    codeSet: 'litigation', party: 'plaintiffs',
    team: { T103: 3, T111: 4, T115: 1, T110: 1 } }),
  matter({ code: 'HP-1003', client: 'NWL', clientMatterId: 'NWL-CORP-118',
    name: 'Acquisition of Pacific Rail Services', practiceArea: 'Corporate / M&A',
    jurisdiction: 'DE', office: 'New York', fee: 'hourly', budget: 375_000,
    responsible: 'T102', partner: 'T102', coordinator: BILLING, openedDaysBefore: 95,
    codeSet: 'project', party: 'Pacific Rail Services',
    team: { T102: 2, T109: 3, T116: 2 } }),
  matter({ code: 'HP-1004', client: 'NWL', clientMatterId: 'NWL-REG-0062',
    name: 'FMCSA compliance advice', practiceArea: 'Regulatory',
    jurisdiction: 'US-Federal', office: 'Washington, DC', fee: 'hourly', budget: 60_000,
    responsible: 'T106', partner: 'T102', coordinator: BILLING, openedDaysBefore: 210,
    codeSet: 'counseling', party: 'FMCSA',
    topic: 'FMCSA hours-of-service and driver qualification rules',
    team: { T106: 3, T114: 1 }, unapproved: ['T114'] }),
  matter({ code: 'HP-2001', client: 'ALD', clientMatterId: 'ALD-CLM-55810',
    name: 'Coverage dispute with Meridian Ports', practiceArea: 'Litigation',
    jurisdiction: 'England and Wales', office: 'London', fee: 'hourly', budget: 300_000,
    responsible: 'T107', partner: 'T101', coordinator: BILLING, openedDaysBefore: 250,
    codeSet: 'litigation', party: 'Meridian Ports',
    team: { T101: 2, T107: 3, T108: 2, T110: 2, T118: 1 } }),
  matter({ code: 'HP-2002', client: 'ALD', clientMatterId: 'ALD-REG-1204',
    name: 'FCA Consumer Duty review', practiceArea: 'Regulatory',
    jurisdiction: 'United Kingdom', office: 'London', fee: 'capped', feeAmount: 90_000, budget: 90_000,
    responsible: 'T106', partner: 'T101', coordinator: BILLING, openedDaysBefore: 120,
    codeSet: 'counseling', party: 'FCA', topic: 'FCA Consumer Duty obligations',
    team: { T106: 2, T114: 2 } }),
  matter({ code: 'HP-3001', client: 'SOL', clientMatterId: 'SOL-JV-0031',
    name: 'Joint venture with Nordlicht Energie', practiceArea: 'Corporate / M&A',
    jurisdiction: 'Germany', office: 'New York', fee: 'flat', feeAmount: 120_000, budget: 120_000,
    responsible: 'T102', partner: 'T102', coordinator: CORPORATE, openedDaysBefore: 150,
    codeSet: 'project', party: 'Nordlicht Energie',
    team: { T102: 2, T109: 2, T119: 1 } }),
  matter({ code: 'HP-3002', client: 'SOL', clientMatterId: 'SOL-IP-0107',
    name: 'Trademark portfolio counseling', practiceArea: 'Intellectual Property',
    jurisdiction: 'European Union', office: 'New York', fee: 'hourly', budget: 45_000,
    responsible: 'T105', partner: 'T105', coordinator: CORPORATE, openedDaysBefore: 365,
    codeSet: 'counseling', party: 'EUIPO', topic: 'EU trademark clearance for new product names',
    team: { T105: 2, T113: 3 } }),
  matter({ code: 'HP-4001', client: 'BHP', clientMatterId: '',
    name: 'Acquisition of Cedar Valley Clinics', practiceArea: 'Corporate / M&A',
    jurisdiction: 'DE', office: 'Chicago', fee: 'hourly', budget: 350_000,
    responsible: 'T102', partner: 'T102', coordinator: CORPORATE, openedDaysBefore: 80,
    codeSet: 'project', party: 'Cedar Valley Clinics',
    team: { T102: 3, T109: 3, T116: 3, T119: 2 } }),
  matter({ code: 'HP-4002', client: 'BHP', clientMatterId: '',
    name: 'HIPAA privacy program', practiceArea: 'Regulatory',
    jurisdiction: 'US-Federal', office: 'Chicago', fee: 'flat', feeAmount: 40_000, budget: 40_000,
    responsible: 'T106', partner: 'T102', coordinator: CORPORATE, openedDaysBefore: 140,
    codeSet: 'counseling', party: 'HHS', topic: 'HIPAA privacy and breach notification obligations',
    team: { T106: 2, T114: 3 } }),
  matter({ code: 'HP-4003', client: 'BHP', clientMatterId: '',
    name: 'Physician non-compete dispute', practiceArea: 'Employment',
    jurisdiction: 'IL', office: 'Chicago', fee: 'hourly', budget: 80_000,
    responsible: 'T103', partner: 'T103', coordinator: CORPORATE, openedDaysBefore: 190,
    status: 'closed', closedOnDay: 14, codeSet: 'litigation', party: 'Dr. Alvarez',
    team: { T103: 2, T111: 2 } }),
  matter({ code: 'HP-4004', client: 'BHP', clientMatterId: '',
    name: 'Project Falcon (confidential)', practiceArea: 'Corporate / M&A',
    jurisdiction: 'DE', office: 'Chicago', fee: 'hourly', budget: 250_000,
    responsible: 'T102', partner: 'T102', coordinator: CORPORATE, openedDaysBefore: 20,
    restricted: true, codeSet: 'project', party: 'the target',
    team: { T102: 1, T109: 1, T116: 1 } }),
  matter({ code: 'HP-5001', client: 'KMC', clientMatterId: '',
    name: 'Chapter 11 restructuring', practiceArea: 'Bankruptcy',
    jurisdiction: 'D. Del.', office: 'New York', fee: 'hourly', budget: 600_000,
    responsible: 'T104', partner: 'T104', coordinator: BILLING, openedDaysBefore: 160,
    codeSet: 'bankruptcy', party: 'the creditors committee',
    team: { T104: 4, T112: 5, T117: 4 } }),
  matter({ code: 'HP-5002', client: 'KMC', clientMatterId: '',
    name: 'Kestrel v. Orion Components (patent infringement)', practiceArea: 'Intellectual Property',
    jurisdiction: 'E.D. Tex.', office: 'New York', fee: 'contingency', budget: null,
    responsible: 'T105', partner: 'T101', coordinator: BILLING, openedDaysBefore: 520,
    codeSet: 'litigation', party: 'Orion Components',
    team: { T105: 3, T113: 3, T108: 1, T120: 2, T118: 1 } }),
  matter({ code: 'HP-5003', client: 'KMC', clientMatterId: '',
    name: 'WARN Act advice for plant closure', practiceArea: 'Employment',
    jurisdiction: 'OH', office: 'Chicago', fee: 'hourly', budget: 30_000,
    responsible: 'T103', partner: 'T103', coordinator: BILLING, openedDaysBefore: 45,
    codeSet: 'counseling', party: 'the union',
    topic: 'WARN Act notice obligations for the plant closure',
    team: { T103: 1, T111: 1 } }),
  matter({ code: 'HP-5004', client: 'KMC', clientMatterId: '',
    name: 'Equipment financing facility', practiceArea: 'Corporate / M&A',
    jurisdiction: 'NY', office: 'New York', fee: 'hourly', budget: 70_000,
    responsible: 'T104', partner: 'T104', coordinator: BILLING, openedDaysBefore: 110,
    status: 'on_hold', codeSet: 'project', party: 'the lender',
    team: { T104: 1, T112: 1, T109: 1 } }),
];
