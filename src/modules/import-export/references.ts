import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DB } from '../../db/schema.js';

/** What an import needs to know about a referenced row. */
export interface ClientRef {
  id: number;
  code: string;
}
export interface MatterRef {
  id: number;
  clientId: number;
}
export interface TimekeeperRef {
  id: number;
}
export interface UserRef {
  id: number;
}

/**
 * Resolves codes to ids, one query per chunk for the codes not seen before. A 100,000-row file
 * usually names a few dozen matters and timekeepers, so after the first chunk nearly every
 * lookup is answered from memory. Unknown codes are remembered too (as null).
 */
export class References {
  private readonly clients = new Map<string, ClientRef | null>();
  private readonly matters = new Map<string, MatterRef | null>();
  private readonly timekeepers = new Map<string, TimekeeperRef | null>();
  private readonly users = new Map<string, UserRef | null>();

  constructor(private readonly db: Kysely<DB>) {}

  /** Loads the given codes of each kind that are not cached yet. */
  async load(wanted: {
    clients?: Iterable<string | null>;
    matters?: Iterable<string | null>;
    timekeepers?: Iterable<string | null>;
    users?: Iterable<string | null>;
  }): Promise<void> {
    const clients = missing(this.clients, wanted.clients);
    if (clients.length) {
      const rows = await this.db
        .selectFrom('client')
        .select(['id', 'client_code'])
        .where(sql<boolean>`client_code = any(${clients})`)
        .execute();
      remember(this.clients, clients, rows, (r) => [
        r.client_code,
        { id: r.id, code: r.client_code },
      ]);
    }
    const matters = missing(this.matters, wanted.matters);
    if (matters.length) {
      const rows = await this.db
        .selectFrom('matter')
        .select(['id', 'matter_code', 'client_id'])
        .where(sql<boolean>`matter_code = any(${matters})`)
        .execute();
      remember(this.matters, matters, rows, (r) => [
        r.matter_code,
        { id: r.id, clientId: r.client_id },
      ]);
    }
    const timekeepers = missing(this.timekeepers, wanted.timekeepers);
    if (timekeepers.length) {
      const rows = await this.db
        .selectFrom('timekeeper')
        .select(['id', 'timekeeper_code'])
        .where(sql<boolean>`timekeeper_code = any(${timekeepers})`)
        .execute();
      remember(this.timekeepers, timekeepers, rows, (r) => [r.timekeeper_code, { id: r.id }]);
    }
    const users = missing(this.users, wanted.users, (email) => email.toLowerCase());
    if (users.length) {
      const rows = await this.db
        .selectFrom('app_user')
        .select(['id', 'email'])
        .where(sql<boolean>`lower(email) = any(${users})`)
        .execute();
      remember(this.users, users, rows, (r) => [r.email.toLowerCase(), { id: r.id }]);
    }
  }

  /** A loaded client, or undefined when no client has this code. */
  client(code: string): ClientRef | undefined {
    return this.clients.get(code) ?? undefined;
  }
  /** A loaded matter, or undefined when no matter has this code. */
  matter(code: string): MatterRef | undefined {
    return this.matters.get(code) ?? undefined;
  }
  /** A loaded timekeeper, or undefined when no timekeeper has this code. */
  timekeeper(code: string): TimekeeperRef | undefined {
    return this.timekeepers.get(code) ?? undefined;
  }
  /** A loaded user (e-mail compared without case), or undefined when none. */
  user(email: string): UserRef | undefined {
    return this.users.get(email.toLowerCase()) ?? undefined;
  }
}

function missing<T>(
  cache: Map<string, T | null>,
  codes: Iterable<string | null> | undefined,
  normalize: (code: string) => string = (code) => code,
): string[] {
  if (!codes) return [];
  const out = new Set<string>();
  for (const code of codes) {
    if (code === null) continue;
    const key = normalize(code);
    if (!cache.has(key)) out.add(key);
  }
  return [...out];
}

function remember<R, T>(
  cache: Map<string, T | null>,
  asked: string[],
  rows: R[],
  entry: (row: R) => [string, T],
): void {
  for (const code of asked) cache.set(code, null);
  for (const row of rows) {
    const [code, value] = entry(row);
    cache.set(code, value);
  }
}
