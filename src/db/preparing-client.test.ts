import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgresServer, openTestDatabase, type TestDatabase } from '../test/database.js';
import { openDatabase, type Database } from './database.js';

describe.skipIf(!onPostgresServer)('statements on a PostgreSQL server', () => {
  let t: TestDatabase;
  let single: Database;
  beforeAll(async () => {
    t = await openTestDatabase();
    // One connection, so every statement below runs in the same session.
    single = await openDatabase({ kind: 'postgres', url: t.url!, poolSize: 1 });
  });
  afterAll(async () => {
    await single.close();
    await t.close();
  });

  const prepared = async () =>
    (
      await sql<{ name: string; statement: string }>`
        select name, statement from pg_prepared_statements order by name`.execute(single.db)
    ).rows;

  it('prepares a parameterized statement once per connection and reuses it', async () => {
    const find = (code: string) =>
      single.db
        .selectFrom('client')
        .select('id')
        .where('client_code', '=', code)
        .executeTakeFirst();
    expect(await find('NOBODY')).toBeUndefined();
    const [statement] = (await prepared()).filter((row) => row.statement.includes('"client"'));
    expect(statement?.name).toMatch(/^mf_[0-9a-f]{40}$/);
    expect(await find('STILL-NOBODY')).toBeUndefined();
    // The same text runs under the same name: no second statement was prepared for it.
    expect((await prepared()).filter((row) => row.statement.includes('"client"'))).toEqual([
      statement,
    ]);
  });

  it('leaves statements without parameters and schema changes unprepared', async () => {
    await sql`create temporary table scratch_note (id int)`.execute(single.db);
    await sql`select count(*) from scratch_note`.execute(single.db);
    expect((await prepared()).filter((row) => row.statement.includes('scratch_note'))).toEqual([]);
  });
});
