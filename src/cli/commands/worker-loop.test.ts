/**
 * The loop `matterflow serve` (and `matterflow worker`) starts: it runs the scheduler and the
 * dispatcher by the context's clock, and a restart delivers nothing twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listMail } from '../../modules/notifications/mail-folder.js';
import type { WorkerRound } from '../../modules/notifications/worker.js';
import { openTestDatabase, type TestDatabase } from '../../test/database.js';
import { buildMatter, buildTimeEntry, buildTimekeeper, buildUser } from '../../test/factories.js';
import { testNotificationSettings } from '../../test/notifications.js';
import { startWorkerInProcess } from './notifications.js';

let t: TestDatabase;

beforeAll(async () => {
  t = await openTestDatabase();
  // Reminders on Fridays at 14:00 in New York: 19:00 UTC in November. Mail goes to a folder.
  t.ctx.notifications = await testNotificationSettings({
    timeZone: 'America/New_York',
    reminderDay: 5,
    reminderHour: 14,
  });
});
afterAll(async () => {
  await t.close();
});

/** Starts the loop as `serve` does, with a short idle pause, recording its rounds. */
function startLoop() {
  const rounds: WorkerRound[] = [];
  const worker = startWorkerInProcess(t.ctx, {
    idleMs: 10,
    onRound: (round) => rounds.push(round),
    onError: (error) => {
      throw error;
    },
  });
  /** Resolves once the loop has finished `n` more rounds, the first of them a scheduled one. */
  async function scheduledRoundsThen(n: number) {
    const from = rounds.length;
    for (;;) {
      const since = rounds.slice(from);
      const first = since.findIndex((r) => r.scheduled);
      if (first >= 0 && since.length - first >= n) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
  return { worker, rounds, scheduledRoundsThen };
}

async function inboxOf(userId: number) {
  return t.db.selectFrom('inbox_message').select('kind').where('user_id', '=', userId).execute();
}

describe('the background loop of serve and worker', () => {
  it('delivers the weekly reminder once when the clock passes its time, and not again after a restart', async () => {
    const timekeeper = await buildTimekeeper(t.db);
    const user = await buildUser(t.db, { roles: ['timekeeper'], timekeeper_id: timekeeper.id });
    await buildTimeEntry(t.db, {
      matter_id: (await buildMatter(t.db)).id,
      timekeeper_id: timekeeper.id,
    });
    const mailDir = t.ctx.notifications!.mailDir;

    t.clock.set('2026-11-06T18:59:00Z');
    const first = startLoop();
    await first.scheduledRoundsThen(2);
    expect(await listMail(mailDir)).toEqual([]);
    expect(await inboxOf(user.id)).toEqual([]);

    // A minute later by the context's clock the loop schedules again and delivers in that round.
    t.clock.set('2026-11-06T19:00:00Z');
    await first.scheduledRoundsThen(2);
    await first.worker.stop();
    const mail = await listMail(mailDir);
    expect(mail.map((m) => m.subject)).toEqual([
      'Weekly time reminder (2026-W45): 1 unreleased entry, 0 open findings',
    ]);
    expect(mail[0]!.to).toContain(user.email);
    expect(await inboxOf(user.id)).toEqual([{ kind: 'time_entry_reminder' }]);

    // A restart schedules at once; the week's reminder is already queued and delivered.
    t.clock.set('2026-11-06T19:30:00Z');
    const second = startLoop();
    await second.scheduledRoundsThen(2);
    await second.worker.stop();
    expect(second.rounds.reduce((sum, r) => sum + r.delivered, 0)).toBe(0);
    expect(await listMail(mailDir)).toHaveLength(1);
    expect(await inboxOf(user.id)).toHaveLength(1);
  });
});
