/**
 * Text and HTML for each notification kind. Every message says what the recipient must do
 * next and links to the place in the web app where they do it. `detail: false` (email and
 * webhooks, unless the firm enables narratives) keeps bodies minimal: no narratives and no
 * finding messages, which can quote them; the link shows the rest to those allowed to see it.
 */
import { formatMoney } from '../money.js';
import type {
  DigestInvoice,
  InvoiceRef,
  MatterRef,
  NotificationKind,
  NotificationPayload,
  QuestionEntry,
} from './kinds.js';

export interface RenderOptions {
  /** The web app's address, e.g. https://matterflow.firm.example (no trailing slash needed). */
  baseUrl: string;
  /** Include narratives and finding messages. */
  detail: boolean;
}

export interface RenderedNotification {
  kind: NotificationKind;
  subject: string;
  nextAction: string;
  /** Absolute deep link into the web app. */
  link: string;
  text: string;
  html: string;
}

interface Draft {
  subject: string;
  nextAction: string;
  path: string;
  lines: string[];
}

const STAGE_ACTIONS: Record<string, string> = {
  draft: 'Start the review of the draft',
  in_review: 'Review the invoice: codes, narratives and write-downs, then complete the review',
  waiting_on_timekeeper: 'Fix the entries sent back to you, then return the invoice to review',
  exception: 'Resolve or waive the blocking exceptions',
  ready_for_approval: 'Approve the invoice or request changes',
  approved: 'Submit the invoice to the client',
  submitted: 'Record the client’s answer when it arrives',
  accepted: 'Record the payment when it arrives',
  rejected: 'Rework the rejected invoice',
  on_hold: 'Release the hold or void the invoice',
};

function invoiceLabel(invoice: InvoiceRef, matter: MatterRef): string {
  return `invoice ${invoice.number} (${matter.code} ${matter.name})`;
}

function amount(invoice: InvoiceRef): string {
  return `${formatMoney(invoice.totalCents)} ${invoice.currency}`;
}

function invoicePath(invoice: { id: number }): string {
  return `/invoices/${invoice.id}`;
}

function aboutWhat(entry: QuestionEntry | null): string {
  return entry === null
    ? 'your work on it'
    : `entry ${entry.externalId} (${entry.workDate}, ${entry.hours} h)`;
}

function listInvoices(invoices: readonly DigestInvoice[]): string[] {
  return invoices.map(
    (i) => `- ${i.number} (${i.matterCode}), ${i.state}, due ${i.deadline.slice(0, 16)}Z`,
  );
}

function draftOf(payload: NotificationPayload, detail: boolean): Draft {
  switch (payload.kind) {
    case 'draft_ready': {
      const { invoice, matter } = payload;
      const level =
        invoice.state === 'ready_for_approval' ? ` (level ${invoice.approvalLevel})` : '';
      const nextAction = STAGE_ACTIONS[invoice.state] ?? 'Open the invoice';
      return {
        subject: `Action needed: ${invoiceLabel(invoice, matter)} is ${invoice.state.replaceAll('_', ' ')}${level}`,
        nextAction,
        path: invoicePath(invoice),
        lines: [
          `Invoice ${invoice.number} for ${matter.code} ${matter.name} (${amount(invoice)}) is now in ${invoice.state}${level} and you own this stage.`,
          ...(payload.reason ? [`Reason given: ${payload.reason}`] : []),
        ],
      };
    }
    case 'submission_update': {
      const { invoice, matter } = payload;
      const actions: Record<string, string> = {
        submitted: 'Nothing yet: watch for the client’s answer',
        accepted: 'Nothing to do until payment; record it when it arrives',
        reduced: 'Review the client’s reductions and record them as adjustments',
        rejected: 'Read the rejection reasons and rework the invoice',
        paid: 'Nothing: the invoice is paid',
      };
      return {
        subject: `Invoice ${invoice.number} ${payload.outcome} (${matter.code})`,
        nextAction: actions[payload.outcome] ?? 'Open the invoice',
        path: invoicePath(invoice),
        lines: [
          `Invoice ${invoice.number} for ${matter.code} ${matter.name} (${amount(invoice)}) was ${payload.outcome}.`,
          ...(payload.reason ? [`Reasons: ${payload.reason}`] : []),
        ],
      };
    }
    case 'exception_alert': {
      const n = payload.items.length;
      return {
        subject: `${n} new guideline exception${n === 1 ? '' : 's'} to resolve`,
        nextAction: 'Fix the work or waive each exception with a reason',
        path: '/exceptions?owner=me&state=open',
        lines: payload.items.map(
          (item) =>
            `- [${item.severity}] ${item.ruleId} on ${item.entity.replace('_', ' ')} ${item.entityId} (${item.matterCode})` +
            (detail ? `: ${item.message}` : ''),
        ),
      };
    }
    case 'time_entry_reminder': {
      const entries = payload.unreleased.map(
        (e) =>
          `- ${e.workDate} ${e.matterCode} ${e.hours} h (${e.externalId})` +
          (detail && e.narrative ? `: ${e.narrative}` : ''),
      );
      const findings = payload.findings.map(
        (f) =>
          `- ${f.ruleId} on ${f.entityId} (${f.matterCode})` + (detail ? `: ${f.message}` : ''),
      );
      return {
        subject: `Weekly time reminder (${payload.week}): ${payload.unreleased.length} unreleased entr${payload.unreleased.length === 1 ? 'y' : 'ies'}, ${payload.findings.length} open finding${payload.findings.length === 1 ? '' : 's'}`,
        nextAction: 'Release your finished entries and fix the open findings',
        path: '/time-entries?mine=true',
        lines: [
          ...(entries.length > 0 ? ['Unreleased entries:', ...entries] : []),
          ...(findings.length > 0 ? ['Open findings you own:', ...findings] : []),
        ],
      };
    }
    case 'deadline_escalation': {
      const { invoice, matter } = payload;
      return {
        subject: `Overdue: ${invoiceLabel(invoice, matter)} has been in ${payload.stage.replaceAll('_', ' ')} past its deadline`,
        nextAction: 'Follow up with the stage owner or take the invoice over',
        path: invoicePath(invoice),
        lines: [
          `Invoice ${invoice.number} (${amount(invoice)}) entered ${payload.stage} at ${payload.enteredAt.slice(0, 16)}Z and was due by ${payload.deadline.slice(0, 16)}Z.`,
          `Stage owner: ${payload.ownerName ?? 'nobody assigned'}. It is now marked urgent.`,
        ],
      };
    }
    case 'manager_digest': {
      const stages = Object.entries(payload.byStage).map(([state, n]) => `${state} ${n}`);
      const aging = Object.entries(payload.aging).map(([bucket, n]) => `${bucket} days ${n}`);
      return {
        subject: `Billing digest ${payload.period}: ${payload.pastSlaCount} invoice${payload.pastSlaCount === 1 ? '' : 's'} past SLA`,
        nextAction:
          payload.pastSlaCount > 0
            ? 'Chase the invoices past their SLA'
            : 'Nothing overdue; review the pipeline',
        path: '/dashboard',
        lines: [
          `By stage: ${stages.join(', ') || 'no open invoices'}`,
          `Days in stage: ${aging.join(', ') || '-'}`,
          ...(payload.pastSla.length > 0
            ? ['Past SLA:', ...listInvoices(payload.pastSla)]
            : ['Past SLA: none']),
          ...(payload.topExceptions.length > 0
            ? [
                'Top open exceptions:',
                ...payload.topExceptions.map((e) => `- ${e.ruleId}: ${e.count}`),
              ]
            : []),
        ],
      };
    }
    case 'timekeeper_question': {
      const { invoice, matter } = payload;
      return {
        subject: `Question for you on invoice ${invoice.number} (${matter.code}): your answer is needed`,
        nextAction:
          'Answer the question in My time (correct the entry first if it needs it); the invoice waits for your answer',
        path: `/time?question=${payload.questionId}`,
        lines: [
          `${payload.askedBy ?? 'The reviewer'} sent invoice ${invoice.number} for ${matter.code} ${matter.name} back to you with a question about ${aboutWhat(payload.entry)}.`,
          detail
            ? `Question: ${payload.question}`
            : 'Open the link to read the question and answer it.',
          'While the question is open you may correct the entry; your answer returns the invoice to review once every question on it is answered.',
        ],
      };
    }
    case 'question_answered': {
      const { invoice, matter } = payload;
      const left = payload.openQuestions;
      return {
        subject: `Answered: your question on invoice ${invoice.number} (${matter.code})`,
        nextAction:
          left > 0
            ? `Read the answer; ${left} question${left === 1 ? '' : 's'} on the invoice still wait${left === 1 ? 's' : ''} for an answer`
            : 'Read the answer and continue the review',
        path: invoicePath(invoice),
        lines: [
          `${payload.answeredBy ?? 'The timekeeper'} answered your question about ${aboutWhat(payload.entry)} on invoice ${invoice.number} for ${matter.code} ${matter.name}.`,
          ...(detail
            ? [`Question: ${payload.question}`, `Answer: ${payload.answer}`]
            : ['Open the link to read the answer.']),
          left > 0
            ? `The invoice waits on ${left} more answer${left === 1 ? '' : 's'}.`
            : `The invoice is now ${invoice.state.replaceAll('_', ' ')}.`,
        ],
      };
    }
    case 'activity_summary':
      return {
        subject: `Your Matterflow summary for ${payload.date}: ${payload.items.length} update${payload.items.length === 1 ? '' : 's'}`,
        nextAction: 'Open each item that needs you',
        path: '/inbox',
        lines: payload.items.map((item) => `- ${item.subject} ${item.link}`),
      };
  }
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** Renders a payload as subject, next action, link, plain text and HTML. */
export function renderNotification(
  payload: NotificationPayload,
  options: RenderOptions,
): RenderedNotification {
  const draft = draftOf(payload, options.detail);
  const link = `${options.baseUrl.replace(/\/+$/, '')}${draft.path}`;
  const text = [...draft.lines, '', `Next: ${draft.nextAction}`, link, '', '-- Matterflow'].join(
    '\n',
  );
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif">',
    ...draft.lines.map((line) => `<p>${escapeHtml(line)}</p>`),
    `<p><strong>Next:</strong> ${escapeHtml(draft.nextAction)}</p>`,
    `<p><a href="${escapeHtml(link)}">Open in Matterflow</a></p>`,
    '</body></html>',
  ].join('\n');
  return {
    kind: payload.kind,
    subject: draft.subject,
    nextAction: draft.nextAction,
    link,
    text,
    html,
  };
}
