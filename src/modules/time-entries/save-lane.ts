/**
 * Group commit for new time entries. At month-end thousands of entries arrive a second; each
 * saved in its own transaction would take the client-day and audit-chain locks and pay begin
 * and commit for itself. Instead, saves that arrive while a batch is being written wait for it
 * and are then written together: one transaction, each entry inserted and checked in arrival
 * order exactly as it would be alone (so each sees those before it), and the batch's audit
 * events appended with one lock and one insert. A few batches are written at once, each on its
 * own connection, so one batch's round trips to the database do not hold up the next.
 *
 * A batch that fails as a whole (a duplicate entry id, a lost connection) is retried one save
 * at a time, so each save gets its own answer and nobody pays for another's error.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { appendAuditEvents, type AuditAppend } from '../audit/audit.repository.js';
import { primeClientRules } from '../compliance/rules-for-client.js';
import { lockClientDaysReadingVersions } from '../compliance/work-days.repository.js';

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

/**
 * Batches in flight at once. Each waits on the database between its statements, so a few
 * overlap well; same-day saves still serialize on their client-day locks, and the audit chain
 * on its own lock, held only from the append to the commit.
 */
const MAX_WRITERS = 4;

export class SaveLane<T> {
  #queue: Waiting<T>[] = [];
  /** Writers running, each writing its batches in its own transactions. */
  #writers = 0;
  /** Writers waiting for a connection: each will take everything queued when it gets one. */
  #waiting = 0;
  /** Batches written, and the most saves one of them held (for benchmarks and tests). */
  readonly stats = { batches: 0, largest: 0 };

  /**
   * @param maxWriters batches written at once. A save that arrives while every writer is busy
   *   writing starts another (up to this many); while one is still waiting for a connection,
   *   the save waits with it and goes into its batch.
   */
  constructor(
    private readonly db: Kysely<DB>,
    readonly maxWriters = MAX_WRITERS,
  ) {}

  /** Queues a save; it is written with whatever else is waiting when its turn comes. */
  submit(job: LaneJob<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ job, resolve, reject });
      if (this.#waiting === 0 && this.#writers < this.maxWriters) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#writers += 1;
    try {
      while (this.#queue.length > 0) await this.#writeNext();
    } finally {
      this.#writers -= 1;
    }
  }

  /**
   * Writes what is queued once the transaction has begun: saves that arrive while it waits
   * for a connection join it.
   */
  async #writeNext(): Promise<void> {
    let batch: Waiting<T>[] = [];
    let waiting = true;
    this.#waiting += 1;
    const stopWaiting = () => {
      if (waiting) this.#waiting -= 1;
      waiting = false;
    };
    try {
      const results = await this.#transaction(() => {
        stopWaiting();
        batch = this.#queue.splice(0, MAX_BATCH);
        if (batch.length > 0) {
          this.stats.batches += 1;
          this.stats.largest = Math.max(this.stats.largest, batch.length);
        }
        return batch.map((w) => w.job);
      });
      batch.forEach((w, i) => w.resolve(results[i]!));
    } catch (error) {
      stopWaiting();
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
      // Other writers may have taken everything that was waiting.
      if (jobs.length === 0) return [];
      // Every client-day of the batch is locked up front, in the one order all checks use,
      // so two batches (or a batch and a single save elsewhere) never wait on each other in a
      // circle; the same statement reads the active guidelines that will judge the batch.
      const clientIds = jobs.map((job) => job.clientId);
      const versions = await lockClientDaysReadingVersions(
        trx,
        jobs.map((job) => ({ clientId: job.clientId, date: job.date })),
        clientIds,
      );
      await primeClientRules(trx, clientIds, versions);
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
