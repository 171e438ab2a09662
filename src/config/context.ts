import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { NotificationSettings } from './notifications.js';

/** What every service needs: the database and a clock (injectable so tests control time). */
export interface AppContext {
  db: Kysely<DB>;
  now(): Date;
  /** Notification settings; read from the environment when absent. */
  notifications?: NotificationSettings;
}

/** Narrows a context to run inside a transaction. */
export function withDb(ctx: AppContext, db: Kysely<DB>): AppContext {
  return { ...ctx, db };
}
