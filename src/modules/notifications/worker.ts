/**
 * The notification worker loop, run inside `matterflow serve` and by `matterflow worker`:
 * deliver what is due, and every so often derive from the database what the schedule makes due
 * (reminders, escalations, digests). Any number of workers may run against one PostgreSQL.
 */
import type { AppContext } from '../../config/context.js';
import type { DeliveryChannels } from './channels/channel.js';
import { dispatchDue, type DispatchOptions } from './dispatcher.js';

export interface WorkerOptions extends DispatchOptions {
  /** Pause between rounds when nothing was due. */
  idleMs?: number;
  /** How often the scheduler runs, by the context's clock; 0 turns it off. */
  scheduleEveryMs?: number;
  /** Runs the scheduler once; supplied by the caller so the loop stays free of its imports. */
  schedule?: (ctx: AppContext) => Promise<unknown>;
  /** Where errors of a round are reported; the loop goes on. */
  onError?: (error: unknown) => void;
  /** Told after each round, with whether the scheduler ran in it and what was delivered. */
  onRound?: (round: WorkerRound) => void;
}

export interface WorkerRound {
  scheduled: boolean;
  claimed: number;
  delivered: number;
}

export interface RunningWorker {
  /** Finishes the current round and stops. */
  stop(): Promise<void>;
}

/** Starts the loop; it runs until `stop()`. */
export function startNotificationWorker(
  ctx: AppContext,
  channels: DeliveryChannels,
  options: WorkerOptions = {},
): RunningWorker {
  const idleMs = options.idleMs ?? 1_000;
  const scheduleEveryMs = options.scheduleEveryMs ?? 60_000;
  let running = true;
  let wake: (() => void) | null = null;
  let lastSchedule = -Infinity;

  const loop = async () => {
    while (running) {
      let busy = false;
      try {
        // The context's clock, not the machine's: a clock set back (or moved by a test) runs the
        // schedule again rather than waiting for the old time to come round.
        const now = ctx.now().getTime();
        const scheduled =
          options.schedule !== undefined &&
          scheduleEveryMs > 0 &&
          (now - lastSchedule >= scheduleEveryMs || now < lastSchedule);
        if (scheduled) {
          lastSchedule = now;
          await options.schedule!(ctx);
        }
        const result = await dispatchDue(ctx, channels, options);
        busy = result.claimed === (options.batchSize ?? 50);
        options.onRound?.({ scheduled, claimed: result.claimed, delivered: result.delivered });
      } catch (error) {
        options.onError?.(error);
      }
      if (!busy && running)
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, idleMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
    }
  };
  const done = loop();
  return {
    stop: async () => {
      running = false;
      wake?.();
      await done;
    },
  };
}
