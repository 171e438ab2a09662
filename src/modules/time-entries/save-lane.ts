/**
 * Group commit for new time entries. At month-end thousands of entries arrive a second; each
 * saved in its own transaction would take the client-day and audit-chain locks and pay begin
 * and commit for itself. Instead, saves that arrive while a batch is being written wait for it
 * and are then written together: one transaction, each entry inserted and checked in arrival
 * order exactly as it would be alone (so each sees those before it), and the batch's audit
 * events appended with one lock and one insert.
 *
 * A batch that fails as a whole (a duplicate entry id, a lost connection) is retried one save
 * at a time, so each save gets its own answer and nobody pays for another's error.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { appendAuditEvents, type AuditAppend } from '../audit/audit.repository.js';
import { lockClientDayPairs } from '../compliance/work-days.repository.js';

/** One save: the client-day it locks, and the work done inside the batch's transaction. */
export interface LaneJob<T> {
  clientId: number;
  date: string;
  /** Writes and checks the save; returns its answer and the audit event to append. */
  write(trx: Kysely<DB>): Promise<{ result: T; audit: AuditAppend }>;
}

interface Waiting<T> {
  job: LaneJob<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

/** Saves written together at most; a bound keeps one batch's latency in check. */
const MAX_BATCH = 64;

export class SaveLane<T> {
  #queue: Waiting<T>[] = [];
  #running = false;
  /** Batches written, and the most saves one of them held (for benchmarks and tests). */
  readonly stats = { batches: 0, largest: 0 };

  constructor(private readonly db: Kysely<DB>) {}

  /** Queues a save; it is written with whatever else is waiting when its turn comes. */
  submit(job: LaneJob<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ job, resolve, reject });
      if (!this.#running) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#running = true;
    try {
      while (this.#queue.length > 0) await this.#writeNext();
    } finally {
      this.#running = false;
    }
  }

  /**
   * Writes what is queued once the transaction has begun: saves that arrive while it waits
   * for a connection join it.
   */
  async #writeNext(): Promise<void> {
    let batch: Waiting<T>[] = [];
    try {
      const results = await this.#transaction(() => {
        batch = this.#queue.splice(0, MAX_BATCH);
        this.stats.batches += 1;
        this.stats.largest = Math.max(this.stats.largest, batch.length);
        return batch.map((w) => w.job);
      });
      batch.forEach((w, i) => w.resolve(results[i]!));
    } catch (error) {
      // The transaction never began (no connection): the saves waiting for it fail with it,
      // rather than the lane retrying against a database it cannot reach.
      if (batch.length === 0) {
        for (const waiting of this.#queue.splice(0)) waiting.reject(error);
        return;
      }
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      for (const waiting of batch) {
        try {
          const [result] = await this.#transaction(() => [waiting.job]);
          waiting.resolve(result!);
        } catch (alone) {
          waiting.reject(alone);
        }
      }
    }
  }

  #transaction(take: () => LaneJob<T>[]): Promise<T[]> {
    return this.db.transaction().execute(async (trx) => {
      // The connection is held and begin has run: take what has queued meanwhile.
      const jobs = take();
      // Every client-day of the batch is locked up front, in the one order all checks use,
      // so two batches (or a batch and a single save elsewhere) never wait on each other in a
      // circle.
      await lockClientDayPairs(
        trx,
        jobs.map((job) => ({ clientId: job.clientId, date: job.date })),
      );
      const results: T[] = [];
      const audits: AuditAppend[] = [];
      for (const job of jobs) {
        const { result, audit } = await job.write(trx);
        results.push(result);
        audits.push(audit);
      }
      // Last, so the audit chain's lock (held until commit) is held as briefly as possible.
      await appendAuditEvents(trx, audits);
      return results;
    });
  }
}

const lanes = new WeakMap<Kysely<DB>, SaveLane<unknown>>();

/** The lane of one database (one per process and database, shared by every request). */
export function laneOf<T>(db: Kysely<DB>): SaveLane<T> {
  let lane = lanes.get(db);
  if (lane === undefined) {
    lane = new SaveLane<unknown>(db);
    lanes.set(db, lane);
  }
  return lane as SaveLane<T>;
}
