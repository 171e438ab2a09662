import type { Command } from 'commander';
import { isIsoDate } from '../../domain/dates.js';
import { SYSTEM_ACTOR } from '../../domain/policy.js';
import { scanWork, type ScanFinding, type ScanResult } from '../../modules/compliance/scan.js';
import { EXIT_FINDINGS, globalOptions, printJson, UsageError, withDatabase } from '../runtime.js';

interface CheckOptions {
  from: string;
  to: string;
  client?: string;
  matter?: string;
}

/** Registers `matterflow check`: the pre-bill compliance scan. */
export function registerCheck(program: Command): void {
  program
    .command('check')
    .description(
      'Check every unbilled (draft or released) time entry and expense dated in the window ' +
        'against the active guidelines, and keep the exceptions in step. Exit 1 when an open ' +
        'block finding remains (waived findings are not reported), 0 otherwise.',
    )
    .requiredOption('--from <date>', 'first work date, YYYY-MM-DD')
    .requiredOption('--to <date>', 'last work date, YYYY-MM-DD (inclusive)')
    .option('--client <code>', 'only this client')
    .option('--matter <code>', 'only this matter')
    .action(async (options: CheckOptions, command) => {
      for (const [name, value] of [
        ['--from', options.from],
        ['--to', options.to],
      ] as const) {
        if (!isIsoDate(value))
          throw new UsageError(`${name} must be a date as YYYY-MM-DD, got "${value}".`);
      }
      if (options.from > options.to)
        throw new UsageError(`--to (${options.to}) is before --from (${options.from}).`);
      const global = globalOptions(command as Command);
      const started = performance.now();
      const result = await withDatabase(global, (ctx) =>
        scanWork(
          ctx,
          SYSTEM_ACTOR,
          {
            from: options.from,
            to: options.to,
            ...(options.client === undefined ? {} : { clientCode: options.client }),
            ...(options.matter === undefined ? {} : { matterCode: options.matter }),
          },
          { sync: true },
        ),
      );
      const seconds = (performance.now() - started) / 1000;
      // A waived finding was accepted by someone accountable; it no longer stands in the way.
      const findings = result.findings.filter((f) => f.exception?.state !== 'waived');
      if (global.json) printJson(findings.map(jsonFinding));
      else printReport(options, result, findings, seconds);
      if (findings.some((f) => f.severity === 'block')) process.exitCode = EXIT_FINDINGS;
    });
}

function jsonFinding(f: ScanFinding) {
  return {
    entity: f.entity,
    id: f.entityId,
    matter: f.matter,
    rule_id: f.ruleId,
    kind: f.kind,
    severity: f.severity,
    owner: f.owner,
    message: f.message,
  };
}

function printReport(
  options: CheckOptions,
  result: ScanResult,
  findings: readonly ScanFinding[],
  seconds: number,
): void {
  const out: string[] = [];
  const bySeverity = (severity: string) => findings.filter((f) => f.severity === severity).length;
  out.push(
    `Checked ${result.entriesChecked} time entries and ${result.expensesChecked} expenses dated ${options.from} to ${options.to} in ${seconds.toFixed(1)} s: ` +
      `${findings.length} finding(s) (${bySeverity('block')} block, ${bySeverity('warn')} warn, ${bySeverity('adjust')} adjust).`,
  );
  if (findings.length > 0) {
    const groups = new Map<string, number>();
    for (const f of findings) {
      const key = `${f.ruleId}\u0000${f.severity}\u0000${f.owner}`;
      groups.set(key, (groups.get(key) ?? 0) + 1);
    }
    out.push('', 'By rule, severity and owner:');
    for (const [key, count] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const [rule, severity, owner] = key.split('\u0000') as [string, string, string];
      out.push(`  ${rule.padEnd(24)} ${severity.padEnd(6)} ${owner.padEnd(20)} ${count}`);
    }
    out.push('', 'Findings:');
    for (const f of findings) {
      const assigned =
        f.exception?.ownerUserId == null ? 'unassigned' : `user ${f.exception.ownerUserId}`;
      out.push(
        `  ${f.severity.toUpperCase().padEnd(6)} ${f.entity} ${f.entityId} on ${f.matter} [${f.ruleId}] owner ${f.owner} (${assigned})`,
        `         ${f.message}`,
      );
    }
  }
  process.stdout.write(`${out.join('\n')}\n`);
}
