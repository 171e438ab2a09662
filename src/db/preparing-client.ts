/**
 * A node-postgres client that runs Matterflow's parameterized statements as named prepared
 * statements. Every query Kysely compiles has the same text each time it runs (values travel
 * as parameters), yet sent unnamed, PostgreSQL parses and plans it again on every execution:
 * on the save path that is most of the server's time per request. Named by a hash of their
 * text, statements are parsed once per connection and their plans cached by the server, which
 * falls back to a per-execution plan on its own when a cached one would cost more.
 *
 * Only data statements with parameters are prepared (DDL and one-off statements go unnamed), at
 * most MAX_PREPARED per connection, so a stream of distinct texts cannot grow a session's
 * memory without bound.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';

/** Statements one connection keeps prepared; later new texts run unnamed. */
const MAX_PREPARED = 500;

const DATA_STATEMENT = /^\s*(select|insert|update|delete|with)\b/i;

export class PreparingClient extends pg.Client {
  readonly #names = new Map<string, string>();

  override query(config: unknown, values?: unknown, callback?: unknown): never {
    const run = (pg.Client.prototype.query as (...args: unknown[]) => never).bind(this);
    if (typeof config === 'string' && Array.isArray(values) && values.length > 0) {
      const name = this.#nameOf(config);
      if (name !== undefined) return run({ name, text: config, values }, callback);
    }
    return run(config, values, callback);
  }

  #nameOf(text: string): string | undefined {
    const known = this.#names.get(text);
    if (known !== undefined) return known;
    if (this.#names.size >= MAX_PREPARED || !DATA_STATEMENT.test(text)) return undefined;
    const name = `mf_${createHash('sha256').update(text).digest('hex').slice(0, 40)}`;
    this.#names.set(text, name);
    return name;
  }
}
