/**
 * LEDES benchmark: writing one large invoice (what an export does per invoice) and validating a
 * large file (what a pre-submission check does), each against its target.
 */
import type { LedesInvoice, LedesLine } from '../domain/ledes/index.js';
import { validateLedes, writeLedes1998B, writeLedes98BI } from '../domain/ledes/index.js';

const INVOICE_LINES = 2_000;
const WRITE_RUNS = 50;
const WARM_UP_RUNS = 5;
const FILE_INVOICES = 50;
const VALIDATE_RUNS = 5;
const WRITE_TARGET_MS = 100;
const VALIDATE_TARGET_LINES_PER_SECOND = 200_000;

const TASKS = ['L110', 'L120', 'L210', 'L240', 'L310', 'L330'];
const ACTIVITIES = ['A101', 'A102', 'A103', 'A104', 'A106', 'A107'];
const EXPENSES = ['E101', 'E106', 'E110', 'E111', 'E124'];
const WORDS =
  'review draft revise analyze prepare correspondence motion discovery deposition outline witness client call research memo brief'.split(
    ' ',
  );

/** A small deterministic generator, so every run writes the same invoice. */
function generator(seed: number) {
  let state = seed >>> 0;
  return (n: number) => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state % n;
  };
}

/** One invoice of `lines` lines in March 2026: four fees to one expense, every line distinct. */
function benchInvoice(number: number, lines: number): LedesInvoice {
  const next = generator(20_260_301 + number);
  const items: LedesLine[] = [];
  for (let i = 0; i < lines; i++) {
    const date = `2026-03-${String(1 + next(31)).padStart(2, '0')}`;
    // The line number in the narrative keeps the duplicate-charge check quiet on purpose.
    const description = `${Array.from({ length: 3 + next(6) }, () => WORDS[next(WORDS.length)]).join(' ')} (${i + 1})`;
    const tk = next(20);
    items.push(
      i % 5 === 4
        ? {
            type: 'E',
            date,
            units: 100 * (1 + next(3)),
            unitCost: 500 + next(20_000),
            adjustment: 0,
            taskCode: null,
            activityCode: null,
            expenseCode: EXPENSES[next(EXPENSES.length)]!,
            timekeeper: null,
            description,
            taxRate: '0.20',
            taxType: 'VAT',
          }
        : {
            type: 'F',
            date,
            units: 10 * (1 + next(40)),
            unitCost: 25_000 + 500 * next(60),
            adjustment: next(10) === 0 ? -1_000 : 0,
            taskCode: TASKS[next(TASKS.length)]!,
            activityCode: ACTIVITIES[next(ACTIVITIES.length)]!,
            expenseCode: null,
            timekeeper: {
              id: `TK${tk}`,
              firstName: 'Bench',
              lastName: `Keeper ${tk}`,
              classification: tk < 5 ? 'PT' : 'AS',
            },
            description,
            taxRate: '0.20',
            taxType: 'VAT',
          },
    );
  }
  const address = (city: string) => ({
    line1: '1 Main Street',
    line2: '',
    city,
    stateOrRegion: '',
    postcode: '10001',
    country: 'USA',
  });
  return {
    invoiceNumber: `INV-${String(number).padStart(5, '0')}`,
    invoiceDate: '2026-04-02',
    clientId: `CL${number % 5}`,
    lawFirmMatterId: `2026-${String(number).padStart(4, '0')}`,
    clientMatterId: `LIT-${number}`,
    lawFirmId: '24-6437381',
    billingStartDate: '2026-03-01',
    billingEndDate: '2026-03-31',
    description: 'For services rendered',
    currency: 'USD',
    lines: items,
    international: {
      poNumber: '',
      clientTaxId: '',
      matterName: `Matter ${number}`,
      accountType: 'O',
      lawFirmName: 'Bench & Co',
      lawFirmAddress: address('New York'),
      clientName: `Client ${number % 5}`,
      clientAddress: address('Boston'),
    },
  };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Milliseconds of each measured run, sorted, after untimed warm-up runs. */
function timeRuns(runs: number, work: () => void): number[] {
  for (let i = 0; i < WARM_UP_RUNS; i++) work();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    work();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}

interface Row {
  scenario: string;
  result: string;
  target: string;
  pass: boolean;
}

function writeRow(format: string, write: () => unknown): Row {
  const times = timeRuns(WRITE_RUNS, write);
  const p95 = percentile(times, 95);
  return {
    scenario: `write ${format}, ${INVOICE_LINES.toLocaleString('en-US')} lines (${WRITE_RUNS} runs)`,
    result: `median ${percentile(times, 50).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms`,
    target: `p95 < ${WRITE_TARGET_MS} ms`,
    pass: p95 < WRITE_TARGET_MS,
  };
}

function validateRow(): Row {
  const invoices = Array.from({ length: FILE_INVOICES }, (_, i) =>
    benchInvoice(i + 1, INVOICE_LINES),
  );
  const text = writeLedes1998B(invoices).text;
  const report = validateLedes(text);
  const lines = report.summary.lines;
  // A benchmark of a file with problems would time the reporting, not the checks.
  if (report.problems.length > 0)
    throw new Error(`the generated file is not clean: ${JSON.stringify(report.problems[0])}`);
  const times = timeRuns(VALIDATE_RUNS, () => validateLedes(text));
  const rate = Math.round(lines / (percentile(times, 50) / 1000));
  return {
    scenario: `validate 1998B, ${lines.toLocaleString('en-US')} lines, ${(text.length / 1e6).toFixed(1)} MB (median of ${VALIDATE_RUNS})`,
    result: `${rate.toLocaleString('en-US')} lines/s`,
    target: `>= ${VALIDATE_TARGET_LINES_PER_SECOND.toLocaleString('en-US')} lines/s`,
    pass: rate >= VALIDATE_TARGET_LINES_PER_SECOND,
  };
}

/** Runs the LEDES scenarios and prints one table row per scenario. */
export async function runLedesBench(): Promise<void> {
  const invoice = [benchInvoice(1, INVOICE_LINES)];
  const rows = [
    writeRow('1998B', () => writeLedes1998B(invoice)),
    writeRow('98BI', () => writeLedes98BI(invoice)),
    validateRow(),
  ];
  const width = (key: 'scenario' | 'result' | 'target') =>
    Math.max(key.length, ...rows.map((row) => row[key].length));
  const [scenario, result, target] = [width('scenario'), width('result'), width('target')];
  const format = (cells: [string, string, string, string]) =>
    `${cells[0].padEnd(scenario)}  ${cells[1].padEnd(result)}  ${cells[2].padEnd(target)}  ${cells[3]}\n`;
  process.stdout.write(format(['scenario', 'result', 'target', 'pass']));
  for (const row of rows)
    process.stdout.write(
      format([row.scenario, row.result, row.target, row.pass ? 'pass' : 'FAIL']),
    );
  if (rows.some((row) => !row.pass)) process.exitCode = 1;
}
