import type { FastifyInstance } from 'fastify';
import type { Insertable, Kysely } from 'kysely';
import type {
  ClientTable,
  DB,
  ExpenseTable,
  MatterTable,
  RateTable,
  TimeEntryTable,
  TimekeeperTable,
} from '../db/schema.js';
import { parseGuideline } from '../domain/guidelines/index.js';
import type { Role } from '../domain/roles.js';
import { hashPassword } from '../modules/auth/password.js';

/**
 * Factories build a whole valid parent graph unless given one, so each test states only what
 * matters to it. They write real rows; nothing about the database is mocked.
 */

let sequence = 0;
const next = (): number => ++sequence;

export const TEST_PASSWORD = 'correct horse battery staple';
let passwordHash: Promise<string> | null = null;
function testPasswordHash(): Promise<string> {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  return passwordHash;
}

export async function buildClient(
  db: Kysely<DB>,
  overrides: Partial<Insertable<ClientTable>> = {},
) {
  const n = next();
  return db
    .insertInto('client')
    .values({
      client_code: `C${n}`,
      name: `Client ${n}`,
      currency: 'USD',
      ebilling_format: 'none',
      ebilling_client_id: null,
      law_firm_id: null,
      ...overrides,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function buildTimekeeper(
  db: Kysely<DB>,
  overrides: Partial<Insertable<TimekeeperTable>> = {},
) {
  const n = next();
  return db
    .insertInto('timekeeper')
    .values({
      timekeeper_code: `TK${n}`,
      first_name: 'Alex',
      last_name: `Keeper${n}`,
      classification: 'AS',
      email: null,
      standard_rate_cents: 30000,
      currency: 'USD',
      practice_group: 'Litigation',
      ...overrides,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function buildUser(
  db: Kysely<DB>,
  overrides: {
    roles?: Role[];
    email?: string;
    name?: string;
    timekeeper_id?: number | null;
    active?: boolean;
  } = {},
) {
  const n = next();
  return db
    .insertInto('app_user')
    .values({
      email: overrides.email ?? `user${n}@firm.test`,
      name: overrides.name ?? `User ${n}`,
      roles: overrides.roles ?? ['admin'],
      timekeeper_id: overrides.timekeeper_id ?? null,
      password_hash: await testPasswordHash(),
      active: overrides.active ?? true,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function buildMatter(
  db: Kysely<DB>,
  overrides: Partial<Insertable<MatterTable>> = {},
) {
  const n = next();
  const clientId = overrides.client_id ?? (await buildClient(db)).id;
  const attorneyId =
    overrides.responsible_attorney_id ?? (await buildTimekeeper(db, { classification: 'PT' })).id;
  const partnerId = overrides.billing_partner_id ?? attorneyId;
  return db
    .insertInto('matter')
    .values({
      matter_code: `M${n}`,
      client_id: clientId,
      client_matter_id: null,
      name: `Matter ${n}`,
      practice_area: 'Litigation',
      jurisdiction: 'NY',
      office: 'New York',
      fee_arrangement: 'hourly',
      fee_amount_cents: null,
      responsible_attorney_id: attorneyId,
      billing_partner_id: partnerId,
      billing_coordinator_id: null,
      budget_cents: null,
      status: 'open',
      opened_on: '2026-01-01',
      closed_on: null,
      ...overrides,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function buildRate(
  db: Kysely<DB>,
  values: Partial<Insertable<RateTable>> & { timekeeper_id: number },
) {
  return db
    .insertInto('rate')
    .values({
      client_id: null,
      matter_id: null,
      rate_cents: 40000,
      currency: 'USD',
      effective_from: '2026-01-01',
      effective_to: null,
      ...values,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function buildTimeEntry(
  db: Kysely<DB>,
  overrides: Partial<Insertable<TimeEntryTable>> = {},
) {
  const n = next();
  const matterId = overrides.matter_id ?? (await buildMatter(db)).id;
  const timekeeperId = overrides.timekeeper_id ?? (await buildTimekeeper(db)).id;
  return db
    .insertInto('time_entry')
    .values({
      entry_id: `TE${n}`,
      matter_id: matterId,
      timekeeper_id: timekeeperId,
      work_date: '2026-10-15',
      hours: '1.50',
      narrative: 'Draft motion to compel production of documents',
      task_code: 'L350',
      activity_code: 'A103',
      billable: true,
      status: 'draft',
      released_at: null,
      rate_cents: null,
      amount_cents: null,
      ...overrides,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function buildExpense(
  db: Kysely<DB>,
  overrides: Partial<Insertable<ExpenseTable>> = {},
) {
  const n = next();
  const matterId = overrides.matter_id ?? (await buildMatter(db)).id;
  return db
    .insertInto('expense')
    .values({
      expense_id: `EX${n}`,
      matter_id: matterId,
      timekeeper_id: null,
      expense_date: '2026-10-15',
      expense_code: 'E101',
      description: 'Copying',
      quantity: '100',
      unit_cost_cents: 10,
      amount_cents: 1000,
      released_at: null,
      ...overrides,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Signs in through the API and returns the Cookie header to send with later requests. */
/**
 * Signs in through the API and returns the `cookie` header value. Like the web app, requests
 * this app then injects with that cookie send the session's X-CSRF-Token header, unless the test
 * sets the header itself (CSRF tests send a wrong one, or sign in by hand to send none).
 */
export async function signIn(
  app: FastifyInstance,
  email: string,
  password = TEST_PASSWORD,
): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/sign-in',
    payload: { email, password },
  });
  if (response.statusCode !== 200)
    throw new Error(`sign-in failed: ${response.statusCode} ${response.body}`);
  const cookie = response.cookies.find((c) => c.name === 'matterflow_session');
  if (!cookie) throw new Error('no session cookie');
  const header = `matterflow_session=${cookie.value}`;
  sendCsrfTokenWith(app, header, response.json<{ csrf_token: string }>().csrf_token);
  return header;
}

const csrfTokensByApp = new WeakMap<FastifyInstance, Map<string, string>>();

function sendCsrfTokenWith(app: FastifyInstance, cookie: string, csrfToken: string): void {
  let tokens = csrfTokensByApp.get(app);
  if (!tokens) {
    const known = new Map<string, string>();
    tokens = known;
    csrfTokensByApp.set(app, known);
    const inject = app.inject.bind(app) as (options?: unknown) => unknown;
    (app as { inject: unknown }).inject = (options?: unknown) => {
      const headers = (options as { headers?: Record<string, unknown> } | undefined)?.headers;
      const token = typeof headers?.cookie === 'string' ? known.get(headers.cookie) : undefined;
      if (!token || headers === undefined || 'x-csrf-token' in headers) return inject(options);
      return inject({ ...(options as object), headers: { ...headers, 'x-csrf-token': token } });
    };
  }
  tokens.set(cookie, csrfToken);
}

/** Puts a user inside a matter's ethical wall. */
export async function addMatterMember(db: Kysely<DB>, matterId: number, userId: number) {
  await db.insertInto('matter_member').values({ matter_id: matterId, user_id: userId }).execute();
}

/**
 * Stores a guideline document (YAML or JSON) as the active version for a client, or firm-wide
 * when `clientId` is null, retiring the version it replaces.
 */
export async function buildActiveGuideline(db: Kysely<DB>, text: string, clientId: number | null) {
  const parsed = parseGuideline(text);
  if ('errors' in parsed) throw new Error(`invalid guideline: ${JSON.stringify(parsed.errors)}`);
  const guideline = parsed.guideline;
  const now = new Date();
  await db
    .updateTable('guideline_version')
    .set({ status: 'retired', retired_at: now })
    .where('status', '=', 'active')
    .where((eb) =>
      clientId === null ? eb('client_id', 'is', null) : eb('client_id', '=', clientId),
    )
    .execute();
  const latest = await db
    .selectFrom('guideline_version')
    .select((eb) => eb.fn.max('version').as('version'))
    .where('guideline_key', '=', guideline.id)
    .executeTakeFirst();
  return db
    .insertInto('guideline_version')
    .values({
      guideline_key: guideline.id,
      client_id: clientId,
      version: Number(latest?.version ?? 0) + 1,
      name: guideline.name,
      effective_from: guideline.effectiveFrom,
      source_text: text,
      document: JSON.stringify(guideline),
      status: 'active',
      activated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A time entry released for billing (the state a bill run picks up). */
export async function buildReleasedEntry(
  db: Kysely<DB>,
  overrides: Partial<Insertable<TimeEntryTable>> = {},
) {
  return buildTimeEntry(db, {
    status: 'released',
    released_at: new Date('2026-11-01T12:00:00Z'),
    ...overrides,
  });
}

/** An expense released for billing. */
export async function buildReleasedExpense(
  db: Kysely<DB>,
  overrides: Partial<Insertable<ExpenseTable>> = {},
) {
  return buildExpense(db, {
    status: 'released',
    released_at: new Date('2026-11-01T12:00:00Z'),
    ...overrides,
  });
}
