/**
 * Notification kinds and the payload each carries. A payload holds the facts a message needs
 * at the moment the change happened, never internal notes; templates render it when it is
 * delivered.
 */

export const NOTIFICATION_KINDS = [
  'draft_ready',
  'exception_alert',
  'submission_update',
  'time_entry_reminder',
  'deadline_escalation',
  'manager_digest',
  'activity_summary',
  'timekeeper_question',
  'question_answered',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const CHANNELS = ['email', 'webhook', 'in_app'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Kinds that report one change as it happens; users who chose digests get them in a summary. */
export const IMMEDIATE_KINDS: ReadonlySet<NotificationKind> = new Set([
  'draft_ready',
  'exception_alert',
  'submission_update',
  'timekeeper_question',
  'question_answered',
]);

export interface InvoiceRef {
  id: number;
  number: string;
  state: string;
  approvalLevel: number;
  totalCents: number;
  currency: string;
}

export interface MatterRef {
  id: number;
  code: string;
  name: string;
}

export interface DraftReadyPayload {
  kind: 'draft_ready';
  invoice: InvoiceRef;
  matter: MatterRef;
  /** The stage owner's role that this recipient holds. */
  role: string | null;
  reason: string | null;
}

export interface ExceptionItem {
  id: number;
  ruleId: string;
  severity: string;
  matterCode: string;
  entity: string;
  entityId: string;
  message: string;
}

export interface ExceptionAlertPayload {
  kind: 'exception_alert';
  items: ExceptionItem[];
}

export interface SubmissionUpdatePayload {
  kind: 'submission_update';
  invoice: InvoiceRef;
  matter: MatterRef;
  /** What the client's portal (or the firm) answered: submitted, accepted, reduced, rejected, paid. */
  outcome: string;
  reason: string | null;
}

export interface ReminderEntry {
  id: number;
  externalId: string;
  matterCode: string;
  workDate: string;
  hours: string;
  narrative: string;
}

export interface ReminderFinding {
  id: number;
  ruleId: string;
  matterCode: string;
  entityId: string;
  message: string;
}

export interface TimeEntryReminderPayload {
  kind: 'time_entry_reminder';
  /** ISO week, e.g. 2026-W48. */
  week: string;
  unreleased: ReminderEntry[];
  findings: ReminderFinding[];
}

export interface DeadlineEscalationPayload {
  kind: 'deadline_escalation';
  invoice: InvoiceRef;
  matter: MatterRef;
  stage: string;
  enteredAt: string;
  deadline: string;
  ownerName: string | null;
}

export interface DigestInvoice {
  id: number;
  number: string;
  matterCode: string;
  state: string;
  deadline: string;
}

export interface ManagerDigestPayload {
  kind: 'manager_digest';
  /** The local date (daily) or ISO week (weekly) the digest covers. */
  period: string;
  byStage: Record<string, number>;
  /** Open invoices by days in their current stage: 0-2, 3-7, 8-30, 31+. */
  aging: Record<string, number>;
  pastSla: DigestInvoice[];
  pastSlaCount: number;
  topExceptions: { ruleId: string; count: number }[];
}

export interface SummaryItem {
  kind: NotificationKind;
  subject: string;
  link: string;
}

export interface ActivitySummaryPayload {
  kind: 'activity_summary';
  date: string;
  items: SummaryItem[];
}

/** The time entry a question is about, when it was asked on one invoice line. */
export interface QuestionEntry {
  externalId: string;
  workDate: string;
  hours: string;
}

export interface TimekeeperQuestionPayload {
  kind: 'timekeeper_question';
  questionId: number;
  invoice: InvoiceRef;
  matter: MatterRef;
  entry: QuestionEntry | null;
  /** The reviewer's question, shown only where narratives are (it may quote them). */
  question: string;
  askedBy: string | null;
}

export interface QuestionAnsweredPayload {
  kind: 'question_answered';
  questionId: number;
  invoice: InvoiceRef;
  matter: MatterRef;
  entry: QuestionEntry | null;
  question: string;
  answer: string;
  answeredBy: string | null;
  /** Questions on the invoice still waiting for an answer after this one. */
  openQuestions: number;
}

export type NotificationPayload =
  | DraftReadyPayload
  | ExceptionAlertPayload
  | SubmissionUpdatePayload
  | TimeEntryReminderPayload
  | DeadlineEscalationPayload
  | ManagerDigestPayload
  | ActivitySummaryPayload
  | TimekeeperQuestionPayload
  | QuestionAnsweredPayload;
