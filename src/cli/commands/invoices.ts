import type { Command } from 'commander';
import { formatMoney } from '../../domain/money.js';
import { SYSTEM_ACTOR } from '../../domain/policy.js';
import { isInvoiceState, type InvoiceState } from '../../domain/workflow/index.js';
import type { AppContext } from '../../config/context.js';
import type { Actor } from '../../domain/policy.js';
import { isRole } from '../../domain/roles.js';
import { findUserByEmail } from '../../modules/auth/auth.repository.js';
import {
  getHistory,
  getInvoice,
  listInvoices,
  transition,
} from '../../modules/invoices/invoices.service.js';
import { globalOptions, printJson, UsageError, withDatabase } from '../runtime.js';

interface ListOptions {
  state?: string;
  period?: string;
}

interface TransitionOptions {
  to: string;
  reason?: string;
  version?: string;
  invoiceDate?: string;
  as?: string;
}

/**
 * The actor a command acts as: the named active user (whose roles and stage ownership the
 * workflow checks, and who is recorded), or the operator on the server (legal ops and admin).
 */
export async function actingAs(ctx: AppContext, email: string | undefined): Promise<Actor> {
  if (email === undefined) return SYSTEM_ACTOR;
  const user = await findUserByEmail(ctx.db, email);
  if (!user?.active) throw new UsageError(`--as "${email}" is not an active user.`);
  return {
    userId: String(user.id),
    email: user.email,
    roles: user.roles.filter(isRole),
    timekeeperId: user.timekeeper_id === null ? null : String(user.timekeeper_id),
    via: 'session',
  };
}

/** Registers `matterflow invoices list|show|transition|history`. */
export function registerInvoices(program: Command): void {
  const invoices = program.command('invoices').description('List and show invoices.');
  invoices
    .command('list')
    .description(
      'List invoices: those in exception first (longest waiting first), then oldest first.',
    )
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
          `${i.invoice_number}  ${i.matter_code}  ${i.period_start.slice(0, 7)}  ${i.state}${i.state === 'exception' ? ` (${i.days_in_stage} d)` : ''}  ${formatMoney(i.total_cents)}${i.needs_revaluation ? '  (needs revaluation)' : ''}`,
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
        ...(invoice.client_adjustments_cents === 0
          ? []
          : [
              `Client adjustments ${formatMoney(invoice.client_adjustments_cents)}  Amount due ${formatMoney(invoice.amount_due_cents)} ${invoice.currency}`,
            ]),
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
  invoices
    .command('transition <number>')
    .description('Move an invoice to another workflow stage (exit 1 when the workflow refuses).')
    .requiredOption('--to <state>', 'the state to move to (e.g. in_review, approved)')
    .option('--reason <text>', 'why (required for moves backwards, holds, rejections, voids)')
    .option(
      '--version <n>',
      'the version you read; refused as stale if it changed (default: current)',
    )
    .option(
      '--invoice-date <date>',
      'with --to approved: the invoice date, YYYY-MM-DD (default: the day of approval)',
    )
    .option(
      '--as <email>',
      'act as this user (default: the operator, with legal ops and admin roles)',
    )
    .action(async (number: string, options: TransitionOptions, command) => {
      if (!isInvoiceState(options.to))
        throw new UsageError(`--to "${options.to}" is not an invoice state.`);
      if (options.version !== undefined && !/^[1-9]\d*$/.test(options.version))
        throw new UsageError(
          `--version must be a positive whole number, got "${options.version}".`,
        );
      const global = globalOptions(command as Command);
      const invoice = await withDatabase(global, async (ctx) => {
        const actor = await actingAs(ctx, options.as);
        const current = await getInvoice(ctx, actor, { number });
        return transition(ctx, actor, current.id, {
          to: options.to as InvoiceState,
          version: options.version === undefined ? current.version : Number(options.version),
          ...(options.reason === undefined ? {} : { reason: options.reason }),
          ...(options.invoiceDate === undefined ? {} : { invoice_date: options.invoiceDate }),
        });
      });
      if (global.json) return printJson(invoice);
      process.stdout.write(
        `${invoice.invoice_number}  ${invoice.state}${invoice.state === 'ready_for_approval' ? ` (level ${invoice.approval_level})` : ''}  owner ${invoice.owner_role ?? 'nobody'}${invoice.owner_user_id === null ? '' : ` (user ${invoice.owner_user_id})`}  version ${invoice.version}\n`,
      );
    });
  invoices
    .command('history <number>')
    .description("Show an invoice's stage changes and audit events, in time order.")
    .action(async (number: string, _options, command) => {
      const global = globalOptions(command as Command);
      const history = await withDatabase(global, async (ctx) => {
        const invoice = await getInvoice(ctx, SYSTEM_ACTOR, { number });
        return {
          invoice_number: invoice.invoice_number,
          ...(await getHistory(ctx, SYSTEM_ACTOR, invoice.id)),
        };
      });
      if (global.json) return printJson(history);
      const out = [`${history.invoice_number}: stage changes`];
      for (const e of history.stage_events)
        out.push(
          `  ${e.occurred_at.toISOString()}  ${e.from_state ?? '(new)'} -> ${e.to_state}${e.approval_level > 0 ? ` L${e.approval_level}` : ''}  owner ${e.owner_role ?? 'nobody'}${e.owner_user_id === null ? '' : ` (user ${e.owner_user_id})`}  by ${e.actor_user_id === null ? 'system' : `user ${e.actor_user_id}`}  [${e.trigger ?? '-'}]${e.rework ? ' rework' : ''}${e.reason === null ? '' : `  "${e.reason}"`}`,
        );
      out.push('audit events');
      for (const e of history.audit_events)
        out.push(
          `  ${e.occurred_at.toISOString()}  ${e.action}  ${e.actor}${e.reason === null ? '' : `  "${e.reason}"`}`,
        );
      process.stdout.write(`${out.join('\n')}\n`);
    });
}
