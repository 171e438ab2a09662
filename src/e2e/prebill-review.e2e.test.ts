import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../domain/policy.js';
import { checkReadiness } from '../modules/ebilling/readiness.js';
import { billCase } from '../modules/ebilling/ebilling-fixtures.js';
import { transition } from '../modules/invoices/invoices.service.js';
import {
  HAS_CHROMIUM,
  NO_CHROMIUM_MESSAGE,
  startWebHarness,
  type WebHarness,
} from '../test/browser.js';

if (!HAS_CHROMIUM) process.stdout.write(`${NO_CHROMIUM_MESSAGE}\n`);

/** "$1,234.50" as the screen writes money. */
function dollars(cents: number): string {
  const whole = Math.floor(Math.abs(cents) / 100).toLocaleString('en-US');
  return `${cents < 0 ? '−' : ''}$${whole}.${String(Math.abs(cents) % 100).padStart(2, '0')}`;
}

describe.skipIf(!HAS_CHROMIUM)('pre-bill review in a browser', () => {
  let harness: WebHarness;
  /** The invoice the approver approves, then the coordinator exports. */
  let approved: { id: number; invoice_number: string } | undefined;

  beforeAll(async () => {
    harness = await startWebHarness();
  }, 180_000);
  afterAll(() => harness?.close());

  it('an approver writes down a line with a reason and approves', async () => {
    const db = harness.database.db;
    const ctx = { db, now: () => new Date() };
    // A clean LEDES 1998B matter in the demo firm, approved by Eleanor Hartwell (T101, the
    // responsible attorney, whom the built-in route makes the approver), billed for October 2026.
    const { rows: t101 } = await sql<{ id: number }>`
      select id from timekeeper where timekeeper_code = 'T101'`.execute(db);
    const billed = await billCase(db, ctx, {
      code: 'PRB',
      matter: { responsible_attorney_id: t101[0]!.id },
    });
    const invoice = { id: billed.invoiceId, invoice_number: billed.invoiceNumber };
    expect((await checkReadiness(db, invoice.id)).report.problems).toEqual([]);
    // The coordinator's review is not what this test is about: done through the service.
    const asCoordinator: Actor = {
      userId: String(billed.coordinatorId),
      email: 'coord-prb@firm.test',
      roles: ['billing_coordinator'],
      timekeeperId: null,
      via: 'session',
    };
    for (const to of ['in_review', 'ready_for_approval'] as const) {
      const { version } = await sql<{ version: number }>`
        select version from invoice where id = ${invoice.id}`
        .execute(db)
        .then((r) => r.rows[0]!);
      await transition(ctx, asCoordinator, invoice.id, { to, version });
    }
    const { rows: owners } = await sql<{ id: number; email: string }>`
      select u.id, u.email from invoice i join app_user u on u.id = i.owner_user_id
      where i.id = ${invoice.id}`.execute(db);
    const approver = owners[0]!;
    const { rows: lines } = await sql<{ id: number; line_number: number; amount_cents: number }>`
      select id, line_number, amount_cents from invoice_line
      where invoice_id = ${invoice.id} and line_type = 'F' and disposition = 'bill'
        and amount_cents >= 2000
      order by line_number limit 1`.execute(db);
    const line = lines[0]!;
    const before = await sql<{ total_cents: number }>`
      select total_cents from invoice where id = ${invoice.id}`.execute(db);
    const totalBefore = Number(before.rows[0]!.total_cents);

    const web = await harness.open();
    await web.signIn(approver.email);
    await web.page.getByRole('heading', { level: 1, name: 'Review queue' }).waitFor();
    await web.page.getByRole('link', { name: invoice.invoice_number }).click();
    const total = web.page.getByTestId('billed-total');
    await total.waitFor();
    expect(await total.innerText()).toBe(dollars(totalBefore));
    // The shortcuts are on the screen.
    const keys = web.page.getByLabel('Keyboard shortcuts');
    expect(await keys.innerText()).toContain('write down the focused line');

    // From the keyboard: focus the line, "w" opens its write-down.
    const row = web.page.locator(`tr[data-line-id="${line.id}"]`);
    await row.focus();
    await web.page.keyboard.press('w');
    const dialog = web.page.getByRole('dialog', { name: `Write down line ${line.line_number}` });
    await dialog.waitFor();
    await dialog.getByRole('textbox', { name: 'Amount', exact: true }).fill('10.00');
    await dialog.getByLabel('Reason').selectOption({ label: 'Time excessive for the task' });
    await dialog.getByLabel('Note (optional)').fill('Research ran long');
    await dialog.getByRole('button', { name: 'Record the write-down' }).click();
    await dialog.waitFor({ state: 'detached' });
    await web.page
      .getByRole('status')
      .filter({ hasText: `Write-down of 10.00 recorded on line ${line.line_number}.` })
      .waitFor();
    await web.page
      .getByTestId('billed-total')
      .filter({ hasText: dollars(totalBefore - 1000) })
      .waitFor();
    // The line shows its adjustment, with the reason, in its history.
    await row.getByText('History (1)').click();
    const history = await row.locator('.line-history').innerText();
    expect(history).toContain('Write down');
    expect(history).toContain(dollars(-1000));
    expect(history).toContain('Time excessive for the task: Research ran long');
    expect(history).toContain('Applied');
    expect(await row.innerText()).toContain(dollars(Number(line.amount_cents) - 1000));

    // "a" approves.
    await web.page.getByRole('button', { name: 'Approve → Approved' }).waitFor();
    await web.page.locator('h1').click();
    await web.page.keyboard.press('a');
    await web.page.getByRole('status').filter({ hasText: 'Moved to Approved' }).waitFor();

    const adjustments = await sql<Record<string, unknown>>`
      select kind, field, amount_cents, reason_code, note, state, requested_by, invoice_line_id
      from invoice_adjustment where invoice_id = ${invoice.id} order by id`.execute(db);
    expect(adjustments.rows).toEqual([
      {
        kind: 'write_down',
        field: 'amount',
        amount_cents: -1000,
        reason_code: 'excessive_time',
        note: 'Research ran long',
        state: 'applied',
        requested_by: approver.id,
        invoice_line_id: line.id,
      },
    ]);
    const after = await sql<{ state: string; total_cents: number }>`
      select state, total_cents from invoice where id = ${invoice.id}`.execute(db);
    expect(after.rows[0]).toEqual({ state: 'approved', total_cents: totalBefore - 1000 });
    const audit = await sql<{ action: string; actor_user_id: number; reason: string | null }>`
      select action, actor_user_id, reason from audit_event
      where entity_type = 'invoice' and entity_id = ${String(invoice.id)}
        and actor_user_id = ${approver.id}
        and action in ('invoice.write_down', 'invoice.transition')
      order by id`.execute(db);
    expect(audit.rows.map((r) => [r.action, r.reason])).toEqual([
      ['invoice.write_down', 'excessive_time'],
      ['invoice.transition', null],
    ]);
    expect(web.problems).toEqual([]);
    await web.context.close();
    approved = invoice;
  });

  it('the coordinator exports LEDES', async () => {
    expect(approved, 'the invoice approved by the test before').toBeDefined();
    const invoice = approved!;
    const web = await harness.open();
    await web.signIn('billing@hartwell.example');
    await web.page.goto(`/invoices/${invoice.id}`);
    const link = web.page.getByRole('link', { name: 'Download the LEDES file' });
    await link.waitFor();
    const [download] = await Promise.all([web.page.waitForEvent('download'), link.click()]);
    const path = await download.path();
    const bytes = readFileSync(path);
    expect(bytes.subarray(0, 12).toString('latin1')).toBe('LEDES1998B[]');
    expect(bytes.toString('utf8')).toContain(`|${invoice.invoice_number}|`);
    const exports = await sql<{ format: string; actor: string }>`
      select format, actor from ledes_export where invoice_id = ${invoice.id}`.execute(
      harness.database.db,
    );
    expect(exports.rows).toEqual([{ format: 'LEDES1998B', actor: 'billing@hartwell.example' }]);
    expect(web.problems).toEqual([]);
    await web.context.close();
  });
});
