import type { Command } from 'commander';
import { formatMoney } from '../../domain/money.js';
import { SYSTEM_ACTOR } from '../../domain/policy.js';
import { isInvoiceState } from '../../domain/workflow/index.js';
import { getInvoice, listInvoices } from '../../modules/invoices/invoices.service.js';
import { globalOptions, printJson, UsageError, withDatabase } from '../runtime.js';

interface ListOptions {
  state?: string;
  period?: string;
}

/** Registers `matterflow invoices list|show`. */
export function registerInvoices(program: Command): void {
  const invoices = program.command('invoices').description('List and show invoices.');
  invoices
    .command('list')
    .description('List invoices, oldest first.')
    .option('--state <state>', 'only invoices in this state (e.g. draft, exception)')
    .option('--period <month>', 'only invoices for this month, YYYY-MM')
    .action(async (options: ListOptions, command) => {
      if (options.state !== undefined && !isInvoiceState(options.state))
        throw new UsageError(`--state "${options.state}" is not an invoice state.`);
      if (options.period !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(options.period))
        throw new UsageError(`--period must be a month as YYYY-MM, got "${options.period}".`);
      const global = globalOptions(command as Command);
      const items = await withDatabase(global, async (ctx) => {
        const all = [];
        let cursor: string | undefined;
        do {
          const page = await listInvoices(ctx, SYSTEM_ACTOR, {
            limit: 500,
            ...(cursor === undefined ? {} : { cursor }),
            ...(options.state === undefined ? {} : { state: options.state as never }),
            ...(options.period === undefined ? {} : { period: options.period }),
          });
          all.push(...page.items);
          cursor = page.next_cursor ?? undefined;
        } while (cursor !== undefined);
        return all;
      });
      if (global.json) return printJson(items);
      const lines = items.map(
        (i) =>
          `${i.invoice_number}  ${i.matter_code}  ${i.period_start.slice(0, 7)}  ${i.state}  ${formatMoney(i.total_cents)}${i.needs_revaluation ? '  (needs revaluation)' : ''}`,
      );
      process.stdout.write(`${lines.length === 0 ? 'No invoices.' : lines.join('\n')}\n`);
    });
  invoices
    .command('show <number>')
    .description('Show one invoice with its lines and adjustments.')
    .action(async (number: string, _options, command) => {
      const global = globalOptions(command as Command);
      const invoice = await withDatabase(global, (ctx) =>
        getInvoice(ctx, SYSTEM_ACTOR, { number }),
      );
      if (global.json) return printJson(invoice);
      const out = [
        `${invoice.invoice_number}  ${invoice.client_code}/${invoice.matter_code}  ${invoice.period_start} to ${invoice.period_end}  ${invoice.state}`,
        `Fees ${formatMoney(invoice.fees_cents)}  Expenses ${formatMoney(invoice.expenses_cents)}  Adjustments ${formatMoney(invoice.adjustments_cents)}  Total ${formatMoney(invoice.total_cents)} ${invoice.currency}`,
      ];
      for (const l of invoice.lines)
        out.push(
          `  ${String(l.line_number).padStart(3)} ${l.line_type.padEnd(2)} ${l.work_date ?? '          '} ${l.units.padStart(7)} x ${formatMoney(l.unit_cost_cents).padStart(10)} ${formatMoney(l.adjustment_cents).padStart(10)} = ${formatMoney(l.amount_cents).padStart(10)}  ${l.disposition === 'bill' ? '' : `[${l.disposition}] `}${l.new_since_last_run ? '[new] ' : ''}${l.description}`,
        );
      for (const a of invoice.adjustments)
        out.push(
          `  adjustment ${a.kind} ${a.reason_code} ${formatMoney(a.amount_cents)} (${a.state})`,
        );
      process.stdout.write(`${out.join('\n')}\n`);
    });
}
