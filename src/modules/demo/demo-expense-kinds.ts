import type { CodeSet } from './demo-vocabulary.js';

/**
 * The demo firm's disbursements. Codes are the ABA UTBMS expense codes E101–E124; amounts are
 * in minor units of the matter's currency.
 */

/** One kind of expense: code, description, quantity range and unit cost range (cents). */
export interface ExpenseKind {
  code: string;
  description: string;
  quantity: readonly [number, number];
  unitCost: readonly [number, number];
}

const COMMON_EXPENSES: readonly ExpenseKind[] = [
  {
    code: 'E101',
    description: 'Copying, black and white',
    quantity: [40, 900],
    unitCost: [10, 10],
  },
  { code: 'E106', description: 'Online legal research', quantity: [1, 1], unitCost: [3500, 28000] },
  { code: 'E107', description: 'Courier delivery', quantity: [1, 1], unitCost: [1800, 6500] },
  { code: 'E108', description: 'Postage, certified mail', quantity: [1, 6], unitCost: [485, 920] },
  { code: 'E111', description: 'Working lunch', quantity: [2, 6], unitCost: [1800, 4500] },
  {
    code: 'E105',
    description: 'Conference call service',
    quantity: [1, 1],
    unitCost: [1200, 6000],
  },
];

export const EXPENSES: Record<CodeSet, readonly ExpenseKind[]> = {
  litigation: [
    ...COMMON_EXPENSES,
    { code: 'E112', description: 'Court filing fee', quantity: [1, 1], unitCost: [5000, 40500] },
    {
      code: 'E115',
      description: 'Deposition transcript',
      quantity: [80, 320],
      unitCost: [375, 525],
    },
    {
      code: 'E118',
      description: 'E-discovery hosting, per GB',
      quantity: [20, 140],
      unitCost: [1200, 2500],
    },
    {
      code: 'E119',
      description: 'Damages expert, hours',
      quantity: [4, 18],
      unitCost: [35000, 65000],
    },
    { code: 'E109', description: 'Taxi to courthouse', quantity: [1, 1], unitCost: [2200, 6800] },
    {
      code: 'E110',
      description: 'Airfare, coach, deposition travel',
      quantity: [1, 1],
      unitCost: [38000, 92000],
    },
  ],
  project: [
    ...COMMON_EXPENSES,
    {
      code: 'E102',
      description: 'Outside printing of closing sets',
      quantity: [1, 1],
      unitCost: [15000, 90000],
    },
    {
      code: 'E112',
      description: 'Secretary of State filing fee',
      quantity: [1, 2],
      unitCost: [9000, 35000],
    },
    {
      code: 'E123',
      description: 'Local counsel opinion',
      quantity: [1, 1],
      unitCost: [80000, 450000],
    },
    {
      code: 'E110',
      description: 'Airfare, coach, site visit',
      quantity: [1, 1],
      unitCost: [38000, 92000],
    },
  ],
  bankruptcy: [
    ...COMMON_EXPENSES,
    {
      code: 'E102',
      description: 'Outside printing of solicitation packages',
      quantity: [1, 1],
      unitCost: [40000, 160000],
    },
    {
      code: 'E112',
      description: 'Bankruptcy court filing fee',
      quantity: [1, 1],
      unitCost: [18800, 18800],
    },
    { code: 'E116', description: 'Hearing transcript', quantity: [30, 140], unitCost: [365, 545] },
  ],
  counseling: [
    ...COMMON_EXPENSES,
    {
      code: 'E124',
      description: 'Regulatory database subscription, pro rata',
      quantity: [1, 1],
      unitCost: [9000, 30000],
    },
  ],
};

/** Typical per-unit caps in client guidelines (cents); the demo breaks them on purpose. */
export const EXPENSE_UNIT_CAPS: Record<string, number> = {
  E101: 15,
  E107: 15_000,
  E109: 10_000,
  E110: 150_000,
  E111: 7_500,
};

export const OVER_CAP_EXPENSES: readonly ExpenseKind[] = [
  {
    code: 'E101',
    description: 'Color copying of trial exhibits',
    quantity: [200, 600],
    unitCost: [50, 75],
  },
  { code: 'E111', description: 'Team dinner', quantity: [4, 8], unitCost: [11_500, 16_000] },
  {
    code: 'E110',
    description: 'Airfare, first class',
    quantity: [1, 1],
    unitCost: [410_000, 520_000],
  },
  {
    code: 'E109',
    description: 'Car service, waiting time included',
    quantity: [1, 1],
    unitCost: [24_000, 36_000],
  },
  {
    code: 'E107',
    description: 'Same-day courier, weekend delivery',
    quantity: [1, 1],
    unitCost: [22_500, 31_000],
  },
];
