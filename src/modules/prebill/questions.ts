/**
 * Sending an invoice back to its timekeepers: a question (on the invoice or one of its lines)
 * moves the invoice from review to `waiting_on_timekeeper` through the workflow's own
 * transition, owned by the asked timekeeper's user. The timekeeper sees their open questions,
 * may correct the entries concerned while a question is open (the invoice line follows, see
 * `refreshInvoicedEntry`), and answers; the last answer returns the invoice to review.
 */
import type { Kysely } from 'kysely';
import type { AppContext } from '../../config/context.js';
import type { DB } from '../../db/schema.js';
import { AppError, notFound, staleVersion, validationError } from '../../domain/errors.js';
import type { Actor } from '../../domain/policy.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import * as repo from '../invoices/invoices.repository.js';
import { transitionInTransaction } from '../invoices/transition-invoice.js';
import { notifyQuestionAnswered, notifyQuestionAsked } from '../notifications/notify-questions.js';
import { notificationSettingsOf } from '../notifications/settings.js';
import { actorIdOf } from './prebill-edit.js';
import * as questionRepo from './questions.repository.js';

export interface AskInput {
  version: number;
  question: string;
  line_id?: number | undefined;
  timekeeper_code?: string | undefined;
}

/** Asks a timekeeper about an invoice (or one line); the invoice waits on them. Returns the question id. */
export async function askTimekeeper(
  app: AppContext,
  actor: Actor,
  invoiceId: number,
  input: AskInput,
): Promise<number> {
  const now = app.now();
  return app.db.transaction().execute(async (trx) => {
    const invoice = await repo.findVisibleInvoice(trx, actor, { id: invoiceId });
    if (!invoice) throw notFound('INVOICE_NOT_FOUND', `No invoice ${invoiceId}.`);
    if (invoice.version !== input.version)
      throw staleVersion('invoice', input.version, invoice.version);
    const text = input.question.trim();
    if (text === '')
      throw validationError('QUESTION_EMPTY', 'Say what the timekeeper should look at.', [
        { field: 'question', message: 'must not be empty' },
      ]);
    const target = await targetOf(trx, invoice, input);
    const assignee = await questionRepo.findTimekeeperUser(trx, target.timekeeperId);
    if (assignee === null)
      throw new AppError(
        'conflict',
        'TIMEKEEPER_HAS_NO_USER',
        `Timekeeper ${target.timekeeperCode} has no active user to answer; fix the entry in review instead.`,
      );
    const questionId = await questionRepo.insertQuestion(trx, {
      invoice_id: invoiceId,
      invoice_line_id: target.lineId,
      time_entry_id: target.timeEntryId,
      timekeeper_id: target.timekeeperId,
      assignee_user_id: assignee,
      question: text,
      asked_by: actorIdOf(actor),
      asked_at: now,
    });
    // The first question moves the invoice; later ones join the wait.
    if (invoice.state !== 'waiting_on_timekeeper')
      await transitionInTransaction(
        app,
        trx,
        actor,
        invoiceId,
        { to: 'waiting_on_timekeeper', version: invoice.version, reason: text },
        now,
        'question',
      );
    await appendAuditEvent(
      trx,
      actor,
      {
        action: 'invoice.question_ask',
        entityType: 'invoice',
        entityId: invoiceId,
        after: {
          question_id: questionId,
          line_id: target.lineId,
          timekeeper_code: target.timekeeperCode,
          assignee_user_id: assignee,
          question: text,
        },
      },
      now,
    );
    await notifyQuestionAsked(trx, notificationSettingsOf(app), now, questionId);
    return questionId;
  });
}

async function targetOf(trx: Kysely<DB>, invoice: repo.InvoiceRow, input: AskInput) {
  if (input.line_id !== undefined) {
    const line = (await repo.findLines(trx, [invoice.id])).find(
      (l) => Number(l.id) === input.line_id,
    );
    if (!line)
      throw notFound(
        'INVOICE_LINE_NOT_FOUND',
        `Invoice ${invoice.invoice_number} has no line ${input.line_id}.`,
      );
    if (line.timekeeper_id === null)
      throw validationError('LINE_HAS_NO_TIMEKEEPER', 'The line has no timekeeper to ask.', [
        { field: 'line_id', message: 'must be a line with a timekeeper' },
      ]);
    const code = await questionRepo.findTimekeeperCode(trx, Number(line.timekeeper_id));
    if (input.timekeeper_code !== undefined && input.timekeeper_code !== code)
      throw validationError('TIMEKEEPER_MISMATCH', 'The line belongs to another timekeeper.', [
        { field: 'timekeeper_code', message: `the line's timekeeper is ${code}` },
      ]);
    return {
      lineId: Number(line.id),
      timeEntryId: line.time_entry_id === null ? null : Number(line.time_entry_id),
      timekeeperId: Number(line.timekeeper_id),
      timekeeperCode: code,
    };
  }
  if (input.timekeeper_code === undefined)
    throw validationError('QUESTION_TARGET_MISSING', 'Name a line or a timekeeper to ask.', [
      { field: 'line_id', message: 'give line_id or timekeeper_code' },
    ]);
  const timekeeperId = await questionRepo.findTimekeeperOnInvoice(
    trx,
    invoice.id,
    input.timekeeper_code,
  );
  if (timekeeperId === null)
    throw validationError(
      'TIMEKEEPER_NOT_ON_INVOICE',
      'That timekeeper has no work on the invoice.',
      [{ field: 'timekeeper_code', message: 'must be a timekeeper with a line on the invoice' }],
    );
  return { lineId: null, timeEntryId: null, timekeeperId, timekeeperCode: input.timekeeper_code };
}

/**
 * Records the answer to one of the actor's open questions. When it was the invoice's last open
 * question and the invoice still waits on its timekeepers, it returns to review in the same
 * transaction (`return_from_timekeeper`, a recorded stage event; not rework).
 */
export async function answerQuestion(
  app: AppContext,
  actor: Actor,
  questionId: number,
  input: { answer: string; version: number },
) {
  const now = app.now();
  await app.db.transaction().execute(async (trx) => {
    const question = await questionRepo.findVisibleQuestion(trx, actor, questionId, true);
    if (!question) throw notFound('QUESTION_NOT_FOUND', `No question ${questionId}.`);
    if (actor.via !== 'system' && Number(question.assignee_user_id) !== Number(actor.userId))
      throw new AppError(
        'forbidden',
        'NOT_QUESTION_ASSIGNEE',
        'Only the timekeeper asked may answer this question.',
      );
    if (question.version !== input.version)
      throw staleVersion('question', input.version, question.version);
    if (question.state !== 'open')
      throw new AppError(
        'conflict',
        'QUESTION_NOT_OPEN',
        `Question ${questionId} is ${question.state}.`,
      );
    const answer = input.answer.trim();
    if (answer === '')
      throw validationError('ANSWER_EMPTY', 'The answer is empty.', [
        { field: 'answer', message: 'must not be empty' },
      ]);
    await questionRepo.markAnswered(trx, questionId, input.version, answer, actorIdOf(actor), now);
    await appendAuditEvent(
      trx,
      actor,
      {
        action: 'invoice.question_answer',
        entityType: 'invoice',
        entityId: Number(question.invoice_id),
        before: { question_id: questionId, state: 'open' },
        after: { question_id: questionId, state: 'answered', answer },
      },
      now,
    );
    const invoice = (await repo.findInvoiceById(trx, Number(question.invoice_id)))!;
    const open = await questionRepo.countOpenQuestions(trx, invoice.id);
    if (open === 0 && invoice.state === 'waiting_on_timekeeper')
      await transitionInTransaction(
        app,
        trx,
        actor,
        invoice.id,
        { to: 'in_review', version: invoice.version },
        now,
        'questions_answered',
      );
    await notifyQuestionAnswered(trx, notificationSettingsOf(app), now, questionId, open);
  });
  const answered = await questionRepo.findVisibleQuestion(app.db, actor, questionId, false);
  return questionRepo.toQuestionDto(answered!);
}

/** Questions asked of the actor (`mine`) or on one invoice, newest first. */
export async function listQuestions(
  app: AppContext,
  actor: Actor,
  filter: { invoiceId?: number; state?: 'open' | 'answered' | 'withdrawn' },
) {
  if (filter.invoiceId !== undefined) {
    const invoice = await repo.findVisibleInvoice(app.db, actor, { id: filter.invoiceId });
    if (!invoice) throw notFound('INVOICE_NOT_FOUND', `No invoice ${filter.invoiceId}.`);
  }
  const rows = await questionRepo.listQuestions(app.db, actor, filter);
  return rows.map(questionRepo.toQuestionDto);
}
