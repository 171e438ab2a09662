/**
 * The pre-bill packet as one self-contained HTML page. Every value from the database goes
 * through `escapeHtml`: narratives, notes and names are typed by people and may hold markup.
 */
import { formatMoney, formatScaled } from '../../domain/money.js';
import type { Prebill, PrebillLine } from './prebill-packet.js';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const e = (value: string | number | null | undefined) =>
  value === null || value === undefined ? '' : escapeHtml(String(value));
const money = (cents: number | null) => (cents === null ? '—' : formatMoney(cents));
const percent = (basisPoints: number | null) =>
  basisPoints === null ? '—' : `${formatScaled(basisPoints, 2)} %`;

function lineRow(l: PrebillLine): string {
  const note = l.internal_note
    ? `<div class="internal-note">Internal note: ${e(l.internal_note)}</div>`
    : '';
  const status =
    l.disposition === 'bill' ? '' : ` <span class="disposition">[${e(l.disposition)}]</span>`;
  return `<tr><td>${e(l.line_number)}</td><td>${e(l.work_date)}</td><td>${e(l.activity_code)}</td><td class="num">${e(l.worked_units)}</td><td class="num">${e(l.units)}</td><td class="num">${money(l.unit_cost_cents)}</td><td class="num">${money(l.worked_amount_cents)}</td><td class="num">${money(l.amount_cents)}</td><td>${e(l.description)}${status}${note}</td></tr>`;
}

const LINE_HEAD =
  '<tr><th>#</th><th>Date</th><th>Activity</th><th>Worked h</th><th>Billed h</th><th>Rate</th><th>Worked</th><th>Billed</th><th>Narrative</th></tr>';

/** The packet as an HTML document. */
export function renderPrebillHtml(p: Prebill): string {
  const t = p.totals;
  const groups = p.groups
    .map(
      (g) =>
        `<section class="timekeeper"><h3>${e(g.timekeeper)} — worked ${money(g.worked_cents)}, billed ${money(g.billed_cents)}</h3>${g.tasks
          .map(
            (task) =>
              `<h4>Task ${e(task.task_code)} — worked ${money(task.worked_cents)}, billed ${money(task.billed_cents)}</h4><table>${LINE_HEAD}${task.lines.map(lineRow).join('')}</table>`,
          )
          .join('')}</section>`,
    )
    .join('');
  const other =
    p.other_lines.length === 0
      ? ''
      : `<section><h3>Other lines</h3><table>${LINE_HEAD}${p.other_lines.map(lineRow).join('')}</table></section>`;
  const exceptions =
    p.exceptions.length === 0
      ? '<p>No open exceptions.</p>'
      : `<table><tr><th>Severity</th><th>Rule</th><th>On</th><th>Owner</th><th>Message</th></tr>${p.exceptions
          .map(
            (x) =>
              `<tr><td>${e(x.severity)}</td><td>${e(x.rule_id)}</td><td>${e(x.entity)}</td><td>${e(x.owner)}</td><td>${e(x.message)}</td></tr>`,
          )
          .join('')}</table>`;
  const questions =
    p.questions.length === 0
      ? '<p>No open questions.</p>'
      : `<table><tr><th>Timekeeper</th><th>Line</th><th>Asked</th><th>Question</th></tr>${p.questions
          .map(
            (q) =>
              `<tr><td>${e(q.timekeeper)}</td><td>${e(q.line_number)}</td><td>${e(q.asked_at.toISOString().slice(0, 10))}</td><td>${e(q.question)}</td></tr>`,
          )
          .join('')}</table>`;
  const adjustments =
    p.adjustments.length === 0
      ? '<p>No adjustments.</p>'
      : `<table><tr><th>Kind</th><th>Line</th><th>Field</th><th>Amount</th><th>Reason</th><th>State</th><th>By</th><th>Note</th></tr>${p.adjustments
          .map(
            (a) =>
              `<tr><td>${e(a.kind)}</td><td>${e(a.line_number)}</td><td>${e(a.field)}</td><td class="num">${money(a.amount_cents)}</td><td>${e(a.reason ?? 'hidden')}</td><td>${e(a.state)}</td><td>${e(a.requested_by)}</td><td>${e(a.note)}</td></tr>`,
          )
          .join('')}</table>`;
  const b = p.budget;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Pre-bill ${e(p.invoice_number)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;width:100%;margin:.5em 0 1em}th,td{border:1px solid #ccc;padding:.25em .5em;vertical-align:top;text-align:left}.num{text-align:right;white-space:nowrap}.internal{color:#a00;font-weight:bold}.internal-note{color:#a00;font-size:.9em}.disposition{color:#666}dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dt{font-weight:bold}</style>
</head><body>
<p class="internal">INTERNAL — pre-bill for review; not for the client.</p>
<h1>Pre-bill ${e(p.invoice_number)}</h1>
<dl>
<dt>Client</dt><dd>${e(p.client.name)} (${e(p.client.code)})</dd>
<dt>Matter</dt><dd>${e(p.matter.name)} (${e(p.matter.code)})${p.matter.client_matter_id ? `, client reference ${e(p.matter.client_matter_id)}` : ''}</dd>
<dt>Period</dt><dd>${e(p.period_start)} to ${e(p.period_end)}</dd>
<dt>Fee arrangement</dt><dd>${e(p.fee_arrangement)}${p.fee_amount_cents === null ? '' : ` (${money(p.fee_amount_cents)} ${e(p.currency)})`}</dd>
<dt>Responsible attorney</dt><dd>${e(p.responsible_attorney)}</dd>
<dt>Billing partner</dt><dd>${e(p.billing_partner)}</dd>
<dt>Stage</dt><dd>${e(p.state)}${p.owner ? `, owned by ${e(p.owner)}` : ''}</dd>
</dl>
<h2>Totals (${e(p.currency)})</h2>
<table class="totals">
<tr><th>Worked fees</th><td class="num">${money(t.worked_fees_cents)}</td></tr>
<tr><th>Billed fees</th><td class="num">${money(t.fees_cents)}</td></tr>
<tr><th>Expenses</th><td class="num">${money(t.expenses_cents)}</td></tr>
<tr><th>Invoice-level adjustments</th><td class="num">${money(t.adjustments_cents)}</td></tr>
<tr><th>Total</th><td class="num">${money(t.total_cents)}</td></tr>
<tr><th>Write-downs applied</th><td class="num">${money(t.write_downs_cents)}</td></tr>
<tr><th>Write-downs awaiting approval</th><td class="num">${money(t.pending_write_downs_cents)} (${t.pending_write_downs})</td></tr>
</table>
<h2>Budget</h2>
<table class="budget">
<tr><th>Budget</th><td class="num">${money(b.budget_cents)}</td></tr>
<tr><th>Billed before</th><td class="num">${money(b.billed_before_cents)}</td></tr>
<tr><th>With this invoice</th><td class="num">${money(b.with_this_invoice_cents)}</td></tr>
<tr><th>Remaining</th><td class="num">${money(b.remaining_cents)}</td></tr>
<tr><th>Used</th><td class="num">${percent(b.used_basis_points)}</td></tr>
</table>
<h2>Top exceptions</h2>
${exceptions}
<h2>Open questions</h2>
${questions}
<h2>Adjustments</h2>
${adjustments}
<h2>Lines by timekeeper and task</h2>
${groups}${other}
</body></html>
`;
}
