/**
 * The pre-bill packet as a PDF, drawn with pdfkit (its `table` lays out and paginates the line
 * tables). Content streams are left uncompressed: the packet is small, and its text stays
 * searchable by tools (and tests) that read the file's bytes.
 */
import PDFDocument from 'pdfkit';
import { formatMoney, formatScaled } from '../../domain/money.js';
import type { Prebill, PrebillLine } from './prebill-packet.js';

const money = (cents: number | null) => (cents === null ? '-' : formatMoney(cents));

// The standard PDF fonts cover Latin-1 (WinAnsi); other characters would print as garbage.
const latin1 = (text: string | null | undefined) =>
  [...(text ?? '')].map((c) => (c === '\n' || PRINTABLE.test(c) ? c : '?')).join('');
const PRINTABLE = /[ -~\u00a0-\u00ff\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u20ac]/;

function lineCells(l: PrebillLine): string[] {
  const status = l.disposition === 'bill' ? '' : ` [${l.disposition}]`;
  const note = l.internal_note ? `\nInternal note: ${l.internal_note}` : '';
  return [
    String(l.line_number),
    l.work_date ?? '',
    l.worked_units ?? '',
    l.units,
    money(l.unit_cost_cents),
    money(l.worked_amount_cents),
    money(l.amount_cents),
    latin1(`${l.description}${status}${note}`),
  ];
}

const LINE_HEAD = ['#', 'Date', 'Worked h', 'Billed h', 'Rate', 'Worked', 'Billed', 'Narrative'];
const LINE_COLUMNS = [22, 58, 44, 44, 52, 58, 58, '*'];

/** Renders the packet; resolves to the PDF file's bytes. */
export function renderPrebillPdf(p: Prebill): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 40,
    compress: false,
    info: { Title: `Pre-bill ${p.invoice_number}`, Subject: 'Internal pre-bill for review' },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const heading = (text: string, size = 13) => {
    doc
      .moveDown(0.6)
      .font('Helvetica-Bold')
      .fontSize(size)
      .text(latin1(text), doc.page.margins.left);
    doc.font('Helvetica').fontSize(9).moveDown(0.2);
  };
  const pairs = (rows: [string, string][]) => {
    doc.table({
      columnStyles: [150, '*'],
      defaultStyle: { border: 0.5, padding: 3 },
      data: rows.map(([k, v]) => [
        { text: latin1(k), font: { family: 'Helvetica-Bold' } },
        latin1(v),
      ]),
    });
  };

  doc.fillColor('#aa0000').font('Helvetica-Bold').fontSize(10);
  doc.text('INTERNAL - pre-bill for review; not for the client.');
  doc
    .fillColor('black')
    .fontSize(18)
    .text(latin1(`Pre-bill ${p.invoice_number}`));
  doc.font('Helvetica').fontSize(9).moveDown(0.3);
  pairs([
    ['Client', `${p.client.name} (${p.client.code})`],
    [
      'Matter',
      `${p.matter.name} (${p.matter.code})${p.matter.client_matter_id ? `, client reference ${p.matter.client_matter_id}` : ''}`,
    ],
    ['Period', `${p.period_start} to ${p.period_end}`],
    [
      'Fee arrangement',
      `${p.fee_arrangement}${p.fee_amount_cents === null ? '' : ` (${money(p.fee_amount_cents)} ${p.currency})`}`,
    ],
    ['Responsible attorney', p.responsible_attorney],
    ['Billing partner', p.billing_partner],
    ['Stage', `${p.state}${p.owner ? `, owned by ${p.owner}` : ''}`],
  ]);

  const t = p.totals;
  heading(`Totals (${p.currency})`);
  pairs([
    ['Worked fees', money(t.worked_fees_cents)],
    ['Billed fees', money(t.fees_cents)],
    ['Expenses', money(t.expenses_cents)],
    ['Invoice-level adjustments', money(t.adjustments_cents)],
    ['Total', money(t.total_cents)],
    ['Write-downs applied', money(t.write_downs_cents)],
    [
      'Write-downs awaiting approval',
      `${money(t.pending_write_downs_cents)} (${t.pending_write_downs})`,
    ],
  ]);

  const b = p.budget;
  heading('Budget');
  pairs([
    ['Budget', money(b.budget_cents)],
    ['Billed before', money(b.billed_before_cents)],
    ['With this invoice', money(b.with_this_invoice_cents)],
    ['Remaining', money(b.remaining_cents)],
    ['Used', b.used_basis_points === null ? '-' : `${formatScaled(b.used_basis_points, 2)} %`],
  ]);

  heading('Top exceptions');
  if (p.exceptions.length === 0) doc.text('No open exceptions.');
  else
    doc.table({
      columnStyles: [45, 125, 70, 100, '*'],
      defaultStyle: { border: 0.5, padding: 3 },
      data: [
        ['Severity', 'Rule', 'On', 'Owner', 'Message'],
        ...p.exceptions.map((x) =>
          [x.severity, x.rule_id, x.entity, x.owner, x.message].map(latin1),
        ),
      ],
    });

  heading('Open questions');
  if (p.questions.length === 0) doc.text('No open questions.');
  else
    doc.table({
      columnStyles: [130, 35, 65, '*'],
      defaultStyle: { border: 0.5, padding: 3 },
      data: [
        ['Timekeeper', 'Line', 'Asked', 'Question'],
        ...p.questions.map((q) =>
          [
            q.timekeeper,
            q.line_number === null ? '' : String(q.line_number),
            q.asked_at.toISOString().slice(0, 10),
            q.question,
          ].map(latin1),
        ),
      ],
    });

  heading('Adjustments');
  if (p.adjustments.length === 0) doc.text('No adjustments.');
  else
    doc.table({
      columnStyles: [60, 30, 60, 60, 110, 50, '*'],
      defaultStyle: { border: 0.5, padding: 3 },
      data: [
        ['Kind', 'Line', 'Field', 'Amount', 'Reason', 'State', 'Note'],
        ...p.adjustments.map((a) =>
          [
            a.kind,
            a.line_number === null ? '' : String(a.line_number),
            a.field ?? '',
            money(a.amount_cents),
            a.reason ?? 'hidden',
            a.state,
            a.note ?? '',
          ].map(latin1),
        ),
      ],
    });

  heading('Lines by timekeeper and task');
  for (const g of p.groups) {
    heading(
      `${g.timekeeper}: worked ${money(g.worked_cents)}, billed ${money(g.billed_cents)}`,
      11,
    );
    for (const task of g.tasks) {
      doc
        .font('Helvetica-Bold')
        .text(
          latin1(
            `Task ${task.task_code}: worked ${money(task.worked_cents)}, billed ${money(task.billed_cents)}`,
          ),
        );
      doc.font('Helvetica');
      doc.table({
        columnStyles: LINE_COLUMNS,
        defaultStyle: { border: 0.5, padding: 2 },
        data: [LINE_HEAD, ...task.lines.map(lineCells)],
      });
    }
  }
  if (p.other_lines.length > 0) {
    heading('Other lines', 11);
    doc.table({
      columnStyles: LINE_COLUMNS,
      defaultStyle: { border: 0.5, padding: 2 },
      data: [LINE_HEAD, ...p.other_lines.map(lineCells)],
    });
  }
  doc.end();
  return done;
}
