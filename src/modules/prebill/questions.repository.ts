/** The SQL of questions sent back to timekeepers. */
import type { Insertable, Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DB, InvoiceQuestionTable } from '../../db/schema.js';
import type { Actor } from '../../domain/policy.js';
import { visibleMatterIds } from '../matters/matter-access.js';

/** The active user who records time as this timekeeper (the lowest id if several). */
export async function findTimekeeperUser(db: Kysely<DB>, timekeeperId: number) {
  const row = await db
    .selectFrom('app_user')
    .select('id')
    .where('timekeeper_id', '=', timekeeperId)
    .where('active', '=', true)
    .orderBy('id')
    .executeTakeFirst();
  return row ? Number(row.id) : null;
}

export async function findTimekeeperCode(db: Kysely<DB>, timekeeperId: number): Promise<string> {
  const row = await db
    .selectFrom('timekeeper')
    .select('timekeeper_code')
    .where('id', '=', timekeeperId)
    .executeTakeFirstOrThrow();
  return row.timekeeper_code;
}

/** The timekeeper with this code if they have a line on the invoice. */
export async function findTimekeeperOnInvoice(db: Kysely<DB>, invoiceId: number, code: string) {
  const row = await db
    .selectFrom('timekeeper as tk')
    .select('tk.id')
    .where('tk.timekeeper_code', '=', code)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('invoice_line as l')
          .select('l.id')
          .whereRef('l.timekeeper_id', '=', 'tk.id')
          .where('l.invoice_id', '=', invoiceId),
      ),
    )
    .executeTakeFirst();
  return row ? Number(row.id) : null;
}

export async function insertQuestion(
  db: Kysely<DB>,
  row: Insertable<InvoiceQuestionTable>,
): Promise<number> {
  const inserted = await db
    .insertInto('invoice_question')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(inserted.id);
}

function selectQuestions(db: Kysely<DB>, actor: Actor) {
  let q = db
    .selectFrom('invoice_question as q')
    .innerJoin('invoice as i', 'i.id', 'q.invoice_id')
    .innerJoin('matter as m', 'm.id', 'i.matter_id')
    .innerJoin('timekeeper as tk', 'tk.id', 'q.timekeeper_id')
    .leftJoin('time_entry as te', 'te.id', 'q.time_entry_id')
    .select([
      'q.id',
      'q.invoice_id',
      'i.invoice_number',
      'i.state as invoice_state',
      'm.matter_code',
      'q.invoice_line_id',
      'q.time_entry_id',
      'te.entry_id',
      'tk.timekeeper_code',
      'q.assignee_user_id',
      'q.question',
      'q.answer',
      'q.state',
      'q.asked_by',
      'q.asked_at',
      'q.answered_by',
      'q.answered_at',
      'q.version',
    ])
    .where('i.matter_id', 'in', visibleMatterIds(db, actor, 'work'));
  // Someone who only records time sees the questions asked of them, nobody else's.
  if (actor.via !== 'system' && actor.roles.every((role) => role === 'timekeeper'))
    q = q.where('q.assignee_user_id', '=', Number(actor.userId));
  return q;
}

export type QuestionRow = Awaited<ReturnType<typeof listQuestions>>[number];

/** One question the actor may see, locked for an answer when `lock`. */
export async function findVisibleQuestion(db: Kysely<DB>, actor: Actor, id: number, lock: boolean) {
  if (lock) await sql`select 1 from invoice_question where id = ${id} for update`.execute(db);
  return selectQuestions(db, actor).where('q.id', '=', id).executeTakeFirst();
}

/** The invoice's questions, or (without an invoice) those asked of the actor; newest first. */
export function listQuestions(
  db: Kysely<DB>,
  actor: Actor,
  filter: { invoiceId?: number; state?: string },
) {
  let q = selectQuestions(db, actor);
  if (filter.invoiceId !== undefined) q = q.where('q.invoice_id', '=', filter.invoiceId);
  else q = q.where('q.assignee_user_id', '=', Number(actor.userId));
  if (filter.state !== undefined) q = q.where('q.state', '=', filter.state);
  return q.orderBy('q.asked_at', 'desc').orderBy('q.id', 'desc').limit(500).execute();
}

export async function markAnswered(
  db: Kysely<DB>,
  id: number,
  version: number,
  answer: string,
  userId: number | null,
  now: Date,
): Promise<void> {
  await db
    .updateTable('invoice_question')
    .set({
      state: 'answered',
      answer,
      answered_by: userId,
      answered_at: now,
      version: version + 1,
      updated_at: now,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .execute();
}

export async function countOpenQuestions(db: Kysely<DB>, invoiceId: number): Promise<number> {
  const row = await db
    .selectFrom('invoice_question')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .where('invoice_id', '=', invoiceId)
    .where('state', '=', 'open')
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/**
 * The open questions that let this timekeeper's user correct this entry: asked on its line, or
 * on the invoice as a whole of the entry's timekeeper, while the invoice waits on timekeepers.
 */
export async function findOpenQuestionsForEntry(
  db: Kysely<DB>,
  invoiceId: number,
  timeEntryId: number,
  timekeeperId: number,
) {
  return db
    .selectFrom('invoice_question')
    .select(['id', 'assignee_user_id'])
    .where('invoice_id', '=', invoiceId)
    .where('state', '=', 'open')
    .where('timekeeper_id', '=', timekeeperId)
    .where((eb) =>
      eb.or([eb('time_entry_id', '=', timeEntryId), eb('invoice_line_id', 'is', null)]),
    )
    .execute();
}

const num = (value: number | string) => Number(value);
const numOrNull = (value: number | string | null) => (value === null ? null : Number(value));

export function toQuestionDto(row: QuestionRow) {
  return {
    id: num(row.id),
    invoice_id: num(row.invoice_id),
    invoice_number: row.invoice_number,
    invoice_state: row.invoice_state,
    matter_code: row.matter_code,
    line_id: numOrNull(row.invoice_line_id),
    time_entry_id: numOrNull(row.time_entry_id),
    entry_id: row.entry_id,
    timekeeper_code: row.timekeeper_code,
    assignee_user_id: num(row.assignee_user_id),
    question: row.question,
    answer: row.answer,
    state: row.state,
    asked_by: numOrNull(row.asked_by),
    asked_at: row.asked_at,
    answered_by: numOrNull(row.answered_by),
    answered_at: row.answered_at,
    version: row.version,
  };
}
