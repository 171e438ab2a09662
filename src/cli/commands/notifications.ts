import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { GlobalOptions } from '../../config/config.js';
import type { AppContext } from '../../config/context.js';
import { loadNotificationSettings, type NotificationSettings } from '../../config/notifications.js';
import { NOTIFICATION_KINDS, type NotificationKind } from '../../domain/notifications/kinds.js';
import { SAMPLE_PAYLOADS } from '../../domain/notifications/samples.js';
import { renderNotification } from '../../domain/notifications/templates.js';
import { SYSTEM_ACTOR } from '../../domain/policy.js';
import { createDeliveryChannels } from '../../modules/notifications/channels/index.js';
import { dispatchDue } from '../../modules/notifications/dispatcher.js';
import { listMail } from '../../modules/notifications/mail-folder.js';
import { listOutbox, retryMessage } from '../../modules/notifications/outbox.service.js';
import { runScheduler } from '../../modules/notifications/scheduler.js';
import { notificationSettingsOf } from '../../modules/notifications/settings.js';
import { startNotificationWorker, type WorkerOptions } from '../../modules/notifications/worker.js';
import { globalOptions, printJson, UsageError, withDatabase } from '../runtime.js';

/** Notification settings for a command, with the mail folder under `--data`. */
export function settingsFor(global: GlobalOptions): NotificationSettings {
  try {
    return loadNotificationSettings(
      process.env,
      resolve(global.data ?? process.env.MATTERFLOW_DATA_DIR ?? 'data'),
    );
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function positive(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`${name} must be a positive whole number, got "${value}".`);
  return n;
}

/** Registers `matterflow worker`. */
export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description(
      'Deliver queued notifications (email, webhooks, in-app) and run the scheduler ' +
        '(reminders, escalations, digests). Run as many as you like against one PostgreSQL.',
    )
    .option('--once', 'run the scheduler once, deliver everything due, then exit')
    .option('--batch <n>', 'messages claimed at once (default 50)')
    .option('--idle-ms <ms>', 'pause when nothing is due (default 1000)')
    .option(
      '--lease-ms <ms>',
      'how long a claim holds before another worker may retry it (default 120000)',
    )
    .option('--no-schedule', 'only deliver; leave the scheduler to other processes')
    .action(
      async (
        options: {
          once?: boolean;
          batch?: string;
          idleMs?: string;
          leaseMs?: string;
          schedule: boolean;
        },
        command: Command,
      ) => {
        const global = globalOptions(command);
        const settings = settingsFor(global);
        const batchSize = positive(options.batch, '--batch', 50);
        const idleMs = positive(options.idleMs, '--idle-ms', 1000);
        const leaseMs = positive(options.leaseMs, '--lease-ms', 120_000);
        await withDatabase(global, async (base) => {
          const ctx: AppContext = { ...base, notifications: settings };
          if (options.once) {
            const channels = createDeliveryChannels(settings);
            try {
              const scheduled = options.schedule ? await runScheduler(ctx) : null;
              const total = { delivered: 0, failed: 0, parked: 0 };
              for (;;) {
                const round = await dispatchDue(ctx, channels, { batchSize, leaseMs });
                total.delivered += round.delivered;
                total.failed += round.failed;
                total.parked += round.parked;
                if (round.claimed < batchSize) break;
              }
              if (global.json) printJson({ scheduled, ...total });
              else
                process.stdout.write(
                  `Delivered ${total.delivered}, failed ${total.failed} (will retry), parked ${total.parked}.\n`,
                );
            } finally {
              await channels.close?.();
            }
            return;
          }
          // The same loop `serve` runs in-process.
          const worker = startWorkerInProcess(ctx, {
            batchSize,
            idleMs,
            leaseMs,
            scheduleEveryMs: options.schedule ? 60_000 : 0,
            onError: (error) => process.stderr.write(`worker: ${(error as Error).message}\n`),
          });
          process.stdout.write('Matterflow worker running; Ctrl-C stops it.\n');
          await new Promise<void>((done) => {
            const stop = () => void worker.stop().then(done);
            process.once('SIGINT', stop);
            process.once('SIGTERM', stop);
          });
        });
      },
    );
}

/**
 * Starts the notification loop inside this process: the scheduler (reminders, escalations,
 * digests) and the dispatcher over the configured channels. `matterflow serve` and
 * `matterflow worker` both run it.
 */
export function startWorkerInProcess(
  ctx: AppContext,
  options: Omit<WorkerOptions, 'schedule'> = {},
): { stop(): Promise<void> } {
  const channels = createDeliveryChannels(notificationSettingsOf(ctx));
  const worker = startNotificationWorker(ctx, channels, {
    schedule: runScheduler,
    onError: (error) => process.stderr.write(`notifications: ${(error as Error).message}\n`),
    ...options,
  });
  return {
    stop: async () => {
      await worker.stop();
      await channels.close?.();
    },
  };
}

/** Registers `matterflow notifications list|preview|retry`. */
export function registerNotifications(program: Command): void {
  const notifications = program
    .command('notifications')
    .description('Inspect the notification outbox, preview messages and retry parked ones.');

  notifications
    .command('list')
    .description('List outbox messages in a state (parked by default), oldest first.')
    .option('--state <state>', 'pending, delivered or parked', 'parked')
    .option('--limit <n>', 'at most this many', '100')
    .action(async (options: { state: string; limit: string }, command: Command) => {
      const global = globalOptions(command);
      if (!['pending', 'delivered', 'parked'].includes(options.state))
        throw new UsageError(
          `--state must be pending, delivered or parked, got "${options.state}".`,
        );
      const limit = positive(options.limit, '--limit', 100);
      const page = await withDatabase(global, (ctx) =>
        listOutbox(ctx, { limit, state: options.state as 'parked' }),
      );
      if (global.json) return printJson(page.items);
      for (const m of page.items)
        process.stdout.write(
          `${m.id}\t${m.kind}\t${m.channel}\tuser ${m.recipient_user_id}\t${m.state}\t${m.attempts} tries\t${m.last_error ?? ''}\n`,
        );
      process.stdout.write(`${page.items.length} ${options.state} message(s).\n`);
    });

  notifications
    .command('preview <kind>')
    .description(`Show how a message of a kind reads (${NOTIFICATION_KINDS.join(', ')}).`)
    .option('--html', 'print the HTML body instead of the text')
    .option('--detail', 'as in the in-app inbox, with narratives and finding messages')
    .action((kind: string, options: { html?: boolean; detail?: boolean }, command: Command) => {
      if (!(NOTIFICATION_KINDS as readonly string[]).includes(kind))
        throw new UsageError(`Unknown kind "${kind}"; one of ${NOTIFICATION_KINDS.join(', ')}.`);
      const global = globalOptions(command);
      const settings = settingsFor(global);
      const rendered = renderNotification(SAMPLE_PAYLOADS[kind as NotificationKind], {
        baseUrl: settings.baseUrl,
        detail: Boolean(options.detail),
      });
      if (global.json) return printJson(rendered);
      process.stdout.write(`Subject: ${rendered.subject}\n\n`);
      process.stdout.write(`${options.html ? rendered.html : rendered.text}\n`);
    });

  notifications
    .command('retry <id>')
    .description('Queue a parked message again, due now with a fresh count of tries.')
    .action(async (id: string, _options: unknown, command: Command) => {
      const n = positive(id, 'id', 0);
      await withDatabase(globalOptions(command), (ctx) => retryMessage(ctx, SYSTEM_ACTOR, n));
      process.stdout.write(`Notification ${n} queued again.\n`);
    });
}

/** Registers `matterflow mail`: the .eml files written when no SMTP server is configured. */
export function registerMail(program: Command): void {
  program
    .command('mail [file]')
    .description(
      'List the emails written to the data directory’s mail folder (no SMTP configured), or ' +
        'print one (by file name or list number).',
    )
    .action(async (file: string | undefined, _options: unknown, command: Command) => {
      const global = globalOptions(command);
      const settings = settingsFor(global);
      const mail = await listMail(settings.mailDir);
      if (file !== undefined) {
        const chosen = /^\d+$/.test(file) ? mail[Number(file) - 1]?.file : file;
        if (chosen === undefined || !mail.some((m) => m.file === chosen))
          throw new UsageError(`No message "${file}" in ${settings.mailDir}.`);
        process.stdout.write(await readFile(join(settings.mailDir, chosen), 'utf8'));
        return;
      }
      if (global.json) return printJson(mail);
      mail.forEach((m, i) => process.stdout.write(`${i + 1}\t${m.date}\t${m.to}\t${m.subject}\n`));
      process.stdout.write(`${mail.length} message(s) in ${settings.mailDir}\n`);
    });
}
