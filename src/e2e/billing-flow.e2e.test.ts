import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HAS_CHROMIUM,
  NO_CHROMIUM_MESSAGE,
  startWebHarness,
  type WebHarness,
} from '../test/browser.js';

if (!HAS_CHROMIUM) process.stdout.write(`${NO_CHROMIUM_MESSAGE}\n`);

const EMAIL = (local: string) => `${local}@hartwell.example`;

/** The month before the current one, as the bill run form proposes it. */
function lastMonth(): string {
  const d = new Date();
  d.setDate(1);
  d.setMonth(d.getMonth() - 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

describe.skipIf(!HAS_CHROMIUM)('billing in a browser: bill run, exceptions, approval', () => {
  let harness: WebHarness;
  beforeAll(async () => {
    harness = await startWebHarness();
  }, 180_000);
  afterAll(() => harness?.close());

  it('lets a billing coordinator run the bill run and clear an exception', async () => {
    const web = await harness.open();
    await web.signIn(EMAIL('billing'));
    await web.page.getByRole('heading', { level: 1, name: 'Billing queue' }).waitFor();
    await web.page.getByRole('button', { name: 'Run bills' }).click();
    const report = web.page.getByRole('status').filter({ hasText: `Bill run for ${lastMonth()}` });
    await report.waitFor({ timeout: 60_000 });
    const created = Number(/(\d+) created/.exec(await report.innerText())![1]);
    expect(created).toBeGreaterThan(0);
    const invoices = await sql<{ n: number }>`select count(*)::int as n from invoice`.execute(
      harness.database.db,
    );
    expect(invoices.rows[0]!.n).toBe(created);
    // The queue lists them, a server page at a time.
    await web.page.getByRole('table').getByRole('link').first().waitFor();
    expect(await web.page.getByRole('table').getByRole('link').count()).toBe(Math.min(created, 50));

    await web.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Exceptions' })
      .click();
    await web.page.getByRole('heading', { level: 1, name: 'Exceptions' }).waitFor();
    const waive = web.page.getByRole('button', { name: /^Waive exception \d+$/ }).first();
    const id = Number(/(\d+)$/.exec((await waive.getAttribute('aria-label'))!)![1]);
    await waive.click();
    const form = web.page.getByRole('form', { name: `Waive exception ${id}` });
    // A waiver needs a reason: the button stays disabled until there is one.
    expect(await form.getByRole('button', { name: 'Waive' }).isDisabled()).toBe(true);
    await form.getByLabel('Reason for waiving').fill('Client agreed to this rate for the matter');
    await form.getByRole('button', { name: 'Waive' }).click();
    await form.waitFor({ state: 'detached' });
    const waived = await sql<{ state: string; waive_reason: string }>`
      select state, waive_reason from guideline_exception where id = ${id}`.execute(
      harness.database.db,
    );
    expect(waived.rows[0]).toEqual({
      state: 'waived',
      waive_reason: 'Client agreed to this rate for the matter',
    });
    expect(web.problems).toEqual([]);
    await web.context.close();
  });

  it('moves a draft through review and lets its approver approve it', async () => {
    // A draft with nothing blocking it, on a matter Eleanor Hartwell (T101) is responsible for
    // (the built-in route gives approval to the responsible attorney) and whose client matter
    // id, required before approval, is filled in.
    const { rows } = await sql<{ id: number; invoice_number: string; matter_id: number }>`
      select i.id, i.invoice_number, i.matter_id from invoice i
      join matter m on m.id = i.matter_id
      where i.state = 'draft' and not m.restricted
        and not exists (select 1 from guideline_exception ge
          where ge.matter_id = m.id and ge.state = 'open' and ge.severity = 'block')
      order by i.id limit 1`.execute(harness.database.db);
    expect(rows).toHaveLength(1);
    const invoice = rows[0]!;
    await sql`update matter set client_matter_id = coalesce(client_matter_id, 'CM-E2E-1'),
      responsible_attorney_id = (select id from timekeeper where timekeeper_code = 'T101')
      where id = ${invoice.matter_id}`.execute(harness.database.db);

    const coordinator = await harness.open();
    await coordinator.signIn(EMAIL('billing'));
    await coordinator.page.goto(`/invoices/${invoice.id}`);
    await coordinator.page.getByRole('button', { name: 'Start review → In review' }).click();
    await coordinator.page.getByRole('status').filter({ hasText: 'Moved to In review' }).waitFor();
    await coordinator.page
      .getByRole('button', { name: 'Complete review → Ready for approval' })
      .click();
    await coordinator.page
      .getByRole('status')
      .filter({ hasText: 'Moved to Ready for approval' })
      .waitFor();
    expect(coordinator.problems).toEqual([]);
    await coordinator.context.close();

    const owner = await sql<{ email: string }>`
      select u.email from invoice i join app_user u on u.id = i.owner_user_id
      where i.id = ${invoice.id}`.execute(harness.database.db);
    const approver = await harness.open();
    await approver.signIn(owner.rows[0]!.email);
    await approver.page.getByRole('heading', { level: 1, name: 'Review queue' }).waitFor();
    await approver.page.getByRole('link', { name: invoice.invoice_number }).click();
    // The approver signs off from the keyboard: "a" approves.
    await approver.page.getByRole('button', { name: 'Approve → Approved' }).waitFor();
    await approver.page.keyboard.press('a');
    await approver.page.getByRole('status').filter({ hasText: 'Moved to Approved' }).waitFor();
    const after = await sql<{
      state: string;
    }>`select state from invoice where id = ${invoice.id}`.execute(harness.database.db);
    expect(after.rows[0]!.state).toBe('approved');
    expect(approver.problems).toEqual([]);
    await approver.context.close();
  });
});
