/**
 * Notifications, two figures:
 * (a) messages per user per day on the demo firm over a simulated month, with a test-style
 *     clock: the bill run on the 1st, invoices moved a stage forward by their owners on some
 *     business days, the scheduler every hour (reminders, escalations, digests) and the
 *     dispatcher after it; every message is counted by kind and recipient.
 * (b) dispatch throughput on PostgreSQL (MATTERFLOW_BENCH_DATABASE_URL): 5,000 queued emails
 *     written as .eml files by 1 and by 2 dispatchers in parallel.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppContext } from '../config/context.js';
import { loadNotificationSettings } from '../config/notifications.js';
import { SAMPLE_PAYLOADS } from '../domain/notifications/samples.js';
import { SYSTEM_ACTOR, type Actor } from '../domain/policy.js';
import type { Role } from '../domain/roles.js';
import { loadDemoFirm } from '../modules/demo/demo.service.js';
import { runBillRun } from '../modules/invoices/bill-run.js';
import { transitionInvoice } from '../modules/invoices/transition-invoice.js';
import { createDeliveryChannels } from '../modules/notifications/channels/index.js';
import { dispatchDue } from '../modules/notifications/dispatcher.js';
import { runScheduler } from '../modules/notifications/scheduler.js';
import { withFreshPglite, withFreshPostgres } from './bench-databases.js';

const HOUR = 3_600_000;
const NEXT: Record<string, string> = {
  draft: 'in_review',
  in_review: 'ready_for_approval',
  ready_for_approval: 'approved',
};

function seeded(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

async function simulatedMonth(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'matterflow-notify-bench-'));
  try {
    await withFreshPglite(async (database) => {
      let now = new Date('2026-11-01T05:00:00Z');
      const settings = { ...loadNotificationSettings({}, dir), timeZone: 'America/New_York' };
      const ctx: AppContext = { db: database.db, now: () => now, notifications: settings };
      await loadDemoFirm(ctx, { today: '2026-11-01' });
      const channels = createDeliveryChannels(settings);
      const random = seeded(7);
      const users = await ctx.db
        .selectFrom('app_user')
        .select(['id', 'email', 'roles', 'timekeeper_id'])
        .execute();
      const actorOf = (id: number): Actor | null => {
        const user = users.find((u) => u.id === id);
        return user
          ? {
              userId: String(user.id),
              email: user.email,
              roles: user.roles as Role[],
              timekeeperId: user.timekeeper_id === null ? null : String(user.timekeeper_id),
              via: 'session',
            }
          : null;
      };
      const coordinator = users.find((u) => u.roles.includes('billing_coordinator'));
      const started = Date.now();
      for (let hour = 0; hour < 30 * 24; hour++) {
        now = new Date(now.getTime() + HOUR);
        const weekday = now.getUTCDay();
        if (hour === 4) await runBillRun(ctx, SYSTEM_ACTOR, { period: '2026-10' });
        // Mid-morning on business days, owners move some invoices on.
        if (weekday >= 1 && weekday <= 5 && now.getUTCHours() === 15) {
          const open = await ctx.db
            .selectFrom('invoice')
            .select(['id', 'state', 'version', 'owner_user_id'])
            .where('state', 'in', Object.keys(NEXT))
            .execute();
          for (const invoice of open) {
            if (random() > 0.3) continue;
            const ownerId = invoice.state === 'draft' ? coordinator?.id : invoice.owner_user_id;
            const actor = ownerId ? actorOf(ownerId) : null;
            if (!actor) continue;
            await transitionInvoice(ctx, actor, invoice.id, {
              to: NEXT[invoice.state] as 'in_review',
              version: invoice.version,
            }).catch(() => undefined); // a guard may hold it (open exceptions): it waits
          }
        }
        await runScheduler(ctx);
        for (;;) if ((await dispatchDue(ctx, channels, { batchSize: 200 })).claimed < 200) break;
      }
      await channels.close?.();
      const rows = await ctx.db
        .selectFrom('notification_outbox')
        .select(['kind', 'channel', 'recipient_user_id', 'state'])
        .execute();
      const recipients = new Set(rows.map((r) => r.recipient_user_id));
      const messages = rows.filter((r) => r.channel === 'email');
      const byKind: Record<string, number> = {};
      const byUser = new Map<number, number>();
      for (const m of messages) {
        byKind[m.kind] = (byKind[m.kind] ?? 0) + 1;
        byUser.set(m.recipient_user_id, (byUser.get(m.recipient_user_id) ?? 0) + 1);
      }
      const perUserDay = [...byUser.values()].map((n) => n / 30).sort((a, b) => a - b);
      const median = perUserDay[Math.floor(perUserDay.length / 2)] ?? 0;
      process.stdout.write(
        `simulated month: ${users.length} users, ${recipients.size} received something; ` +
          `${messages.length} emails (plus the same in-app), ${(messages.length / users.length / 30).toFixed(2)} per user per day; ` +
          `median recipient ${median.toFixed(2)}/day, busiest ${(perUserDay.at(-1) ?? 0).toFixed(2)}/day; ` +
          `states ${JSON.stringify(count(rows.map((r) => r.state)))}; simulated in ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
      );
      process.stdout.write(`by kind: ${JSON.stringify(byKind)}\n`);
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function count(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

async function dispatchThroughput(serverUrl: string): Promise<void> {
  const total = 5_000;
  for (const dispatchers of [1, 2]) {
    const dir = await mkdtemp(join(tmpdir(), 'matterflow-notify-bench-'));
    await withFreshPostgres(serverUrl, 4 * dispatchers, async (database) => {
      const settings = loadNotificationSettings({}, dir);
      const ctx: AppContext = { db: database.db, now: () => new Date(), notifications: settings };
      const user = await ctx.db
        .insertInto('app_user')
        .values({ email: 'ops@firm.test', name: 'Ops', roles: ['legal_ops'], password_hash: null })
        .returning('id')
        .executeTakeFirstOrThrow();
      const payload = JSON.stringify(SAMPLE_PAYLOADS.draft_ready);
      for (let start = 0; start < total; start += 1000)
        await ctx.db
          .insertInto('notification_outbox')
          .values(
            Array.from({ length: 1000 }, (_, i) => ({
              idempotency_key: `bench:${start + i}:${user.id}:email`,
              kind: 'draft_ready',
              recipient_user_id: user.id,
              channel: 'email',
              payload,
              due_at: new Date(Date.now() - 1000),
            })),
          )
          .execute();
      const channels = createDeliveryChannels(settings);
      const started = Date.now();
      await Promise.all(
        Array.from({ length: dispatchers }, async () => {
          for (;;) if ((await dispatchDue(ctx, channels, { batchSize: 50 })).claimed === 0) return;
        }),
      );
      const seconds = (Date.now() - started) / 1000;
      await channels.close?.();
      process.stdout.write(
        `dispatch on PostgreSQL, ${dispatchers} dispatcher(s): ${total} emails (.eml files) in ${seconds.toFixed(1)} s = ${(total / seconds).toFixed(0)} messages/s\n`,
      );
    });
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs (a) always and (b) when MATTERFLOW_BENCH_DATABASE_URL names a PostgreSQL server. */
export async function runNotificationsBench(): Promise<void> {
  await simulatedMonth();
  const serverUrl = process.env.MATTERFLOW_BENCH_DATABASE_URL;
  if (serverUrl) await dispatchThroughput(serverUrl);
  else process.stdout.write('dispatch throughput: set MATTERFLOW_BENCH_DATABASE_URL to measure\n');
}
