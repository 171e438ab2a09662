/**
 * Questions sent back to timekeepers, written in the transaction that asks or answers:
 * `timekeeper_question` to the timekeeper's user asked (every question, not only the one that
 * moved the invoice), `question_answered` to the reviewer who asked. Walls, mutes, deactivated
 * users and preferences apply as for every kind (see enqueue.ts).
 */
import type { Kysely } from 'kysely';
import type { NotificationSettings } from '../../config/notifications.js';
import type { DB } from '../../db/schema.js';
import type { QuestionEntry } from '../../domain/notifications/kinds.js';
import { enqueueNotification } from './enqueue.js';
import { findInvoiceNotice } from './facts.repository.js';

async function findQuestionFacts(db: Kysely<DB>, questionId: number) {
  const row = await db
    .selectFrom('invoice_question as q')
    .leftJoin('time_entry as te', 'te.id', 'q.time_entry_id')
    .leftJoin('app_user as asker', 'asker.id', 'q.asked_by')
    .leftJoin('app_user as answerer', 'answerer.id', 'q.answered_by')
    .select([
      'q.id',
      'q.invoice_id',
      'q.assignee_user_id',
      'q.asked_by',
      'q.question',
      'q.answer',
      'te.entry_id',
      'te.work_date',
      'te.hours',
      'asker.name as asker_name',
      'answerer.name as answerer_name',
    ])
    .where('q.id', '=', questionId)
    .executeTakeFirst();
  if (!row) return undefined;
  const notice = await findInvoiceNotice(db, Number(row.invoice_id));
  if (!notice) return undefined;
  const entry: QuestionEntry | null =
    row.entry_id === null || row.work_date === null || row.hours === null
      ? null
      : { externalId: row.entry_id, workDate: row.work_date, hours: row.hours };
  return { row, notice, entry };
}

/** Tells the timekeeper asked what to answer; call after the question (and any move) is written. */
export async function notifyQuestionAsked(
  db: Kysely<DB>,
  settings: NotificationSettings,
  now: Date,
  questionId: number,
): Promise<void> {
  const facts = await findQuestionFacts(db, questionId);
  if (!facts) return;
  const { row, notice, entry } = facts;
  await enqueueNotification(db, settings, now, {
    key: `timekeeper_question:${questionId}`,
    recipients: [Number(row.assignee_user_id)],
    matterId: notice.matter.id,
    dueAt: now,
    payload: {
      kind: 'timekeeper_question',
      questionId,
      invoice: notice.invoice,
      matter: notice.matter,
      entry,
      question: row.question,
      askedBy: row.asker_name,
    },
  });
}

/** Tells the reviewer who asked that the answer is in; call after the answer (and any move). */
export async function notifyQuestionAnswered(
  db: Kysely<DB>,
  settings: NotificationSettings,
  now: Date,
  questionId: number,
  openQuestions: number,
): Promise<void> {
  const facts = await findQuestionFacts(db, questionId);
  if (!facts || facts.row.asked_by === null) return;
  const { row, notice, entry } = facts;
  await enqueueNotification(db, settings, now, {
    key: `question_answered:${questionId}`,
    recipients: [Number(row.asked_by)],
    matterId: notice.matter.id,
    dueAt: now,
    payload: {
      kind: 'question_answered',
      questionId,
      invoice: notice.invoice,
      matter: notice.matter,
      entry,
      question: row.question,
      answer: row.answer ?? '',
      answeredBy: row.answerer_name,
      openQuestions,
    },
  });
}
