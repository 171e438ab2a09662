/** One example payload per kind, for `matterflow notifications preview <kind>` and the docs. */
import type { NotificationKind, NotificationPayload } from './kinds.js';

const invoice = {
  id: 42,
  number: 'ACME-202610-0007',
  state: 'ready_for_approval',
  approvalLevel: 1,
  totalCents: 1_284_500,
  currency: 'USD',
};
const matter = { id: 7, code: 'ACME-001', name: 'Acme v. Widget Co.' };

export const SAMPLE_PAYLOADS: Record<NotificationKind, NotificationPayload> = {
  draft_ready: { kind: 'draft_ready', invoice, matter, role: 'responsible_attorney', reason: null },
  exception_alert: {
    kind: 'exception_alert',
    items: [
      {
        id: 301,
        ruleId: 'no-block-billing',
        severity: 'block',
        matterCode: 'ACME-001',
        entity: 'time_entry',
        entityId: 'TE-1001',
        message: 'Narrative lists several tasks in one entry; split it.',
      },
      {
        id: 302,
        ruleId: 'max-daily-hours',
        severity: 'warn',
        matterCode: 'ACME-001',
        entity: 'time_entry',
        entityId: 'TE-1002',
        message: '12.5 hours on 2026-10-14 exceed the 10-hour daily limit.',
      },
    ],
  },
  submission_update: {
    kind: 'submission_update',
    invoice: { ...invoice, state: 'rejected' },
    matter,
    outcome: 'rejected',
    reason: 'Line 4: task code L999 is not in the client’s code set',
  },
  time_entry_reminder: {
    kind: 'time_entry_reminder',
    week: '2026-W48',
    unreleased: [
      {
        id: 1,
        externalId: 'TE-2001',
        matterCode: 'ACME-001',
        workDate: '2026-11-24',
        hours: '1.50',
        narrative: 'Draft motion to compel',
      },
    ],
    findings: [
      {
        id: 9,
        ruleId: 'task-code-required',
        matterCode: 'ACME-001',
        entityId: 'TE-1999',
        message: 'Task code missing.',
      },
    ],
  },
  deadline_escalation: {
    kind: 'deadline_escalation',
    invoice,
    matter,
    stage: 'ready_for_approval',
    enteredAt: '2026-11-20T15:00:00.000Z',
    deadline: '2026-11-25T15:00:00.000Z',
    ownerName: 'Ann Attorney',
  },
  manager_digest: {
    kind: 'manager_digest',
    period: '2026-11-27',
    byStage: { draft: 12, in_review: 5, ready_for_approval: 3, exception: 2 },
    aging: { '0-2': 14, '3-7': 6, '8-30': 2, '31+': 0 },
    pastSla: [
      {
        id: 42,
        number: 'ACME-202610-0007',
        matterCode: 'ACME-001',
        state: 'ready_for_approval',
        deadline: '2026-11-25T15:00:00.000Z',
      },
    ],
    pastSlaCount: 1,
    topExceptions: [{ ruleId: 'no-block-billing', count: 17 }],
  },
  timekeeper_question: {
    kind: 'timekeeper_question',
    questionId: 12,
    invoice: { ...invoice, state: 'waiting_on_timekeeper' },
    matter,
    entry: { externalId: 'TE-1001', workDate: '2026-10-15', hours: '1.50' },
    question: 'Was this 1.5 hours? The draft motion took 1.0 last month.',
    askedBy: 'Bea Coordinator',
  },
  question_answered: {
    kind: 'question_answered',
    questionId: 12,
    invoice: { ...invoice, state: 'in_review' },
    matter,
    entry: { externalId: 'TE-1001', workDate: '2026-10-15', hours: '1.50' },
    question: 'Was this 1.5 hours? The draft motion took 1.0 last month.',
    answer: 'It was 1.0; I corrected the entry.',
    answeredBy: 'Tom Timekeeper',
    openQuestions: 0,
  },
  activity_summary: {
    kind: 'activity_summary',
    date: '2026-11-27',
    items: [
      {
        kind: 'draft_ready',
        subject:
          'Action needed: invoice ACME-202610-0007 (ACME-001 Acme v. Widget Co.) is ready for approval (level 1)',
        link: 'http://localhost:3000/invoices/42',
      },
    ],
  },
};
