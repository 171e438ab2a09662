import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/database.js';
import { migrateToLatest } from '../../db/migrate.js';
import { SYSTEM_ACTOR } from '../../domain/policy.js';
import { buildApp } from '../../http/app.js';
import { runCliCapturing } from '../../test/cli.js';
import type { TestDatabase } from '../../test/database.js';
import { openTestDatabase } from '../../test/database.js';
import { buildUser, signIn } from '../../test/factories.js';
import { billedDraft, caller } from '../../test/invoice-drafts.js';
import { runBillRun } from '../invoices/bill-run.js';
import { pdfText } from '../../test/pdf-text.js';

let t: TestDatabase;
let app: FastifyInstance;
let coordinator: string;
let call: ReturnType<typeof caller>;
let draft: Awaited<ReturnType<typeof billedDraft>>;

const NARRATIVE = 'Draft <b>motion</b> to compel & "reply"';
const NOTE = 'Partner says <script>alert(1)</script> write off if the client objects';

beforeAll(async () => {
  t = await openTestDatabase();
  app = await buildApp({ ctx: t.ctx });
  call = caller(app);
  coordinator = await signIn(
    app,
    (await buildUser(t.db, { roles: ['billing_coordinator'] })).email,
  );
  draft = await billedDraft(t, app, coordinator, {
    entries: [{ hours: '1.50' }, { hours: '2.00' }],
  });
  await t.db
    .updateTable('matter')
    .set({ budget_cents: 200000, name: 'Acme v. Widget & Sons' })
    .where('id', '=', draft.matter.id)
    .execute();
  await t.db
    .updateTable('prebill_setting')
    .set({ write_down_approval_amount_cents: 10000, write_down_approval_percent: null })
    .execute();
  const { version, lines } = (await call('GET', `/invoices/${draft.id}`, coordinator)).json();
  const edited = await call('PATCH', `/invoices/${draft.id}/lines/${lines[0].id}`, coordinator, {
    version,
    reason_code: 'excessive_time',
    hours: '1.00',
    narrative: NARRATIVE,
    internal_note: NOTE,
  });
  expect(edited.statusCode).toBe(200);
  const now = new Date('2026-11-02T09:00:00Z');
  await t.db
    .insertInto('guideline_exception')
    .values({
      fingerprint: `invoice-${draft.id}-po`,
      rule_id: 'purchase_order_required',
      rule_kind: 'required_field',
      guideline_version_id: null,
      severity: 'block',
      owner_role: 'billing_coordinator',
      owner_user_id: null,
      entity_type: 'invoice',
      time_entry_id: null,
      expense_id: null,
      invoice_id: draft.id,
      entity_external_id: String(draft.id),
      matter_id: draft.matter.id,
      message: 'The client requires a purchase order number.',
      correction: null,
      opened_at: now,
      last_seen_at: now,
    })
    .execute();
  const current = (await call('GET', `/invoices/${draft.id}`, coordinator)).json();
  expect(
    (
      await call('POST', `/invoices/${draft.id}/transitions`, coordinator, {
        to: 'in_review',
        version: current.version,
      })
    ).statusCode,
  ).toBe(200);
  const review = (await call('GET', `/invoices/${draft.id}`, coordinator)).json();
  const asked = await call('POST', `/invoices/${draft.id}/questions`, coordinator, {
    version: review.version,
    line_id: review.lines[1].id,
    question: 'Which hearing was this for?',
  });
  expect(asked.statusCode).toBe(200);
});
afterAll(async () => {
  await app.close();
  await t.close();
});

describe('the pre-bill packet', () => {
  it('is an HTML page with the invoice, totals, budget, exceptions, questions and lines, all escaped', async () => {
    const response = await call('GET', `/invoices/${draft.id}/prebill`, coordinator);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.headers['content-security-policy']).toMatch(/^default-src 'none'/);
    const html = response.body;
    const invoice = (await call('GET', `/invoices/${draft.id}`, coordinator)).json();
    for (const text of [
      `Pre-bill ${invoice.invoice_number}`,
      'INTERNAL',
      `${draft.client.name} (${draft.client.client_code})`,
      `Acme v. Widget &amp; Sons (${draft.matter.matter_code})`,
      '2026-10-01 to 2026-10-31',
      'hourly',
      `${draft.attorney.first_name} ${draft.attorney.last_name} (${draft.attorney.timekeeper_code})`,
      // Worked 3.50 h, billed 3.00 h at 400.00.
      '<tr><th>Worked fees</th><td class="num">1400.00</td></tr>',
      '<tr><th>Billed fees</th><td class="num">1200.00</td></tr>',
      '<tr><th>Write-downs awaiting approval</th><td class="num">200.00 (1)</td></tr>',
      '<tr><th>Budget</th><td class="num">2000.00</td></tr>',
      '<tr><th>Remaining</th><td class="num">800.00</td></tr>',
      '<tr><th>Used</th><td class="num">60.00 %</td></tr>',
      'purchase_order_required',
      'The client requires a purchase order number.',
      'billing_coordinator',
      'Which hearing was this for?',
      'Task L350',
      'Draft &lt;b&gt;motion&lt;/b&gt; to compel &amp; &quot;reply&quot;',
      'Internal note: Partner says &lt;script&gt;alert(1)&lt;/script&gt; write off',
    ])
      expect(html).toContain(text);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>motion');
  });

  it('is a PDF with the same figures, over the API and from the CLI', async () => {
    const response = await call('GET', `/invoices/${draft.id}/prebill.pdf`, coordinator);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    const bytes = response.rawPayload;
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(bytes.subarray(-6).toString('latin1')).toContain('%%EOF');
    const pages = bytes.toString('latin1').match(/\/Type \/Page\b/g) ?? [];
    expect(pages.length).toBeGreaterThanOrEqual(1);
    const text = pdfText(bytes);
    const invoice = (await call('GET', `/invoices/${draft.id}`, coordinator)).json();
    for (const figure of [
      `Pre-bill ${invoice.invoice_number}`,
      draft.matter.matter_code,
      '1400.00',
      '1200.00',
      '2000.00',
      '60.00 %',
      'purchase_order_required',
      'Which hearing was this for?',
      'Draft <b>motion</b> to compel & "reply"',
      'Internal note:',
    ])
      expect(text).toContain(figure);
  });

  it('answers 404 to non-members for a walled matter', async () => {
    const member = await buildUser(t.db, { roles: ['billing_coordinator'] });
    const memberCookie = await signIn(app, member.email);
    const walled = await billedDraft(t, app, memberCookie, { restricted: true, member: member.id });
    expect((await call('GET', `/invoices/${walled.id}/prebill`, coordinator)).statusCode).toBe(404);
    expect((await call('GET', `/invoices/${walled.id}/prebill.pdf`, coordinator)).statusCode).toBe(
      404,
    );
    expect((await call('GET', `/invoices/${walled.id}/prebill`, memberCookie)).statusCode).toBe(
      200,
    );
    expect(
      (await call('GET', `/invoices/${walled.id}/prebill`, draft.timekeeperCookie)).statusCode,
    ).toBe(403);
  });
});

describe('matterflow prebill', () => {
  it('writes the PDF of an invoice by number, and exits 2 for an unknown one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'matterflow-prebill-cli-'));
    try {
      const data = join(dir, 'data');
      const database = await openDatabase({ kind: 'pglite', dataDir: data });
      let number: string;
      try {
        await migrateToLatest(database.db);
        const ctx = { db: database.db, now: () => new Date('2026-11-02T09:00:00Z') };
        const { buildClient, buildMatter, buildRate, buildReleasedEntry, buildTimekeeper } =
          await import('../../test/factories.js');
        const client = await buildClient(database.db, { client_code: 'PBC' });
        const matter = await buildMatter(database.db, { client_id: client.id });
        const tk = await buildTimekeeper(database.db, { standard_rate_cents: null });
        await buildRate(database.db, { timekeeper_id: tk.id, rate_cents: 25000 });
        await buildReleasedEntry(database.db, { matter_id: matter.id, timekeeper_id: tk.id });
        const run = await runBillRun(ctx, SYSTEM_ACTOR, { period: '2026-10' });
        number = run.invoices[0]!.invoice_number;
      } finally {
        await database.close();
      }
      const out = join(dir, 'packet.pdf');
      const cli = await runCliCapturing(['--data', data, 'prebill', number, '--out', out]);
      expect(cli.code).toBe(0);
      const bytes = await readFile(out);
      expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdfText(bytes)).toContain('375.00');
      const missing = await runCliCapturing(['--data', data, 'prebill', 'NOPE-1', '--out', out]);
      expect(missing.code).toBe(2);
      const usage = await runCliCapturing(['--data', data, 'prebill', number, '--out', 'x.txt']);
      expect(usage.code).toBe(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
