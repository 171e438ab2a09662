import { runBillRunBench } from './bill-run.bench.js';
import { runImportBench } from './import.bench.js';
import { runLedesBench } from './ledes.bench.js';
import { runReleaseBench } from './release.bench.js';
import { runNotificationsBench } from './notifications.bench.js';
import { runRulesBench } from './rules.bench.js';

/** Benchmark scenarios by name; add one by adding an entry. */
const SCENARIOS: Record<string, () => Promise<void>> = {
  'bill-run': runBillRunBench,
  import: runImportBench,
  ledes: runLedesBench,
  release: runReleaseBench,
  notifications: runNotificationsBench,
  rules: runRulesBench,
};

const names = process.argv.slice(2);
const unknown = names.filter((name) => !(name in SCENARIOS));
if (unknown.length || names.length === 0) {
  process.stderr.write(
    `usage: npm run bench -- <scenario>...\nscenarios: ${Object.keys(SCENARIOS).join(', ')}\n`,
  );
  process.exitCode = 2;
} else {
  for (const name of names) {
    process.stdout.write(`== ${name}\n`);
    await SCENARIOS[name]!();
  }
}
