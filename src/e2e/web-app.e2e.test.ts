import { sql } from 'kysely';
import { SYSTEM_ACTOR } from '../domain/policy.js';
import { waiveException } from '../modules/compliance/exceptions.service.js';
import { runBillRun } from '../modules/invoices/bill-run.js';
import { findOldestOpenBlock } from '../modules/invoices/invoices.repository.js';
import { transitionInvoice } from '../modules/invoices/transition-invoice.js';
import { askTimekeeper } from '../modules/prebill/questions.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HAS_CHROMIUM,
  NO_CHROMIUM_MESSAGE,
  startWebHarness,
  type WebHarness,
  type WebPage,
} from '../test/browser.js';

if (!HAS_CHROMIUM) process.stdout.write(`${NO_CHROMIUM_MESSAGE}\n`);

const EMAIL = (local: string) => `${local}@hartwell.example`;

describe.skipIf(!HAS_CHROMIUM)('web app in a browser (demo firm)', () => {
  let harness: WebHarness;
  beforeAll(async () => {
    harness = await startWebHarness();
  }, 180_000);
  afterAll(() => harness?.close());

  const session = async (): Promise<WebPage> => harness.open();
  const navLinks = async (web: WebPage) =>
    web.page.getByRole('navigation', { name: 'Main' }).getByRole('link').allInnerTexts();

  it('serves the app with its CSP at / and at client routes, and leaves /api alone', async () => {
    const home = await fetch(`${harness.baseUrl}/`);
    expect(home.status).toBe(200);
    expect(home.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await home.text();
    expect(html).toContain('<div id="root"></div>');
    expect(html).not.toMatch(/<script>(?!<\/script>)|<style/);
    const deep = await fetch(`${harness.baseUrl}/billing?state=draft`);
    expect(deep.status).toBe(200);
    expect(await deep.text()).toBe(html);
    const api = await fetch(`${harness.baseUrl}/api/v1/nope`);
    expect(api.status).toBe(404);
    expect(((await api.json()) as { code: string }).code).toBe('ROUTE_NOT_FOUND');
    const missingAsset = await fetch(`${harness.baseUrl}/assets/missing.js`);
    expect(missingAsset.status).toBe(404);
  });

  it('signs each role in to its own home, with only the screens it may use', async () => {
    const homes: [string, string, string, string[]][] = [
      ['aaron.feld', '/time', 'My time', ['My time']],
      ['billing', '/billing', 'Billing queue', ['Billing queue', 'Exceptions', 'Guidelines']],
      ['eleanor.hartwell', '/review', 'Review queue', ['My time', 'Review queue', 'Exceptions']],
      [
        'legal.ops',
        '/dashboard',
        'Dashboard',
        ['Billing queue', 'Exceptions', 'Dashboard', 'Guidelines'],
      ],
      [
        'admin',
        '/admin/users',
        'Admin',
        ['Billing queue', 'Exceptions', 'Dashboard', 'Guidelines', 'Admin'],
      ],
    ];
    for (const [user, path, heading, links] of homes) {
      const web = await session();
      await web.signIn(EMAIL(user));
      await web.page.waitForURL(`**${path}`);
      await web.page.getByRole('heading', { level: 1, name: heading }).waitFor();
      expect(await navLinks(web)).toEqual(links);
      // The first load (sign-in page, then the role's home screen) stays under 300 kB gzipped.
      const gzipped = await web.javascriptGzipBytes();
      process.stdout.write(
        `First load for ${user}: ${(gzipped / 1024).toFixed(1)} kB of JavaScript gzipped\n`,
      );
      expect(gzipped).toBeLessThan(300 * 1024);
      // A screen the role does not use is not there, even by its address.
      if (!links.includes('Admin')) {
        await web.page.goto('/admin');
        await web.page.getByRole('heading', { name: 'Not here' }).waitFor();
      }
      expect(web.problems).toEqual([]);
      await web.context.close();
    }
  });

  it('refuses a wrong password in words on the sign-in page', async () => {
    const web = await session();
    await web.page.goto('/');
    await web.page.getByLabel('Email').fill(EMAIL('billing'));
    await web.page.getByLabel('Password').fill('not-the-password');
    await web.page.getByRole('button', { name: 'Sign in' }).click();
    const alert = web.page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).not.toContain('{');
    expect(web.problems).toEqual([]);
    await web.context.close();
  });

  it('lets a timekeeper fix an entry the guidelines block and release it', async () => {
    // An unreleased draft of Aaron Feld's, imported without its task code.
    const narrative = 'Summarize deposition testimony of the warehouse manager for the trial team';
    const { rows } = await sql<{ id: number }>`
      select te.id from time_entry te join timekeeper t on t.id = te.timekeeper_id
      join matter_timekeeper mt on mt.matter_id = te.matter_id and mt.timekeeper_id = t.id
      where t.timekeeper_code = 'T110' and te.status = 'draft' and te.active
        and not exists (select 1 from guideline_exception ge where ge.time_entry_id = te.id)
      order by te.work_date desc, te.id desc limit 1`.execute(harness.database.db);
    const id = rows[0]!.id;
    await sql`update time_entry set task_code = null, narrative = ${narrative} where id = ${id}`.execute(
      harness.database.db,
    );

    const web = await session();
    await web.signIn(EMAIL('aaron.feld'));
    await web.page.getByRole('button', { name: 'All unreleased drafts' }).click();
    const row = web.page.locator('tbody.entry', { hasText: narrative });
    await row.waitFor();
    await row.getByRole('button', { name: /^Release/ }).click();
    await row.getByText('Not released. Fix these first:').waitFor();
    expect(await row.innerText()).toMatch(/Must be fixed before release:.*task/i);

    await row.getByRole('button', { name: /^Edit/ }).click();
    const task = row.getByLabel('Task code');
    await task.fill('L120');
    await row.getByRole('button', { name: 'Save' }).click();
    await row.getByText(/^Saved\./).waitFor();
    await row.getByRole('button', { name: /^Release/ }).click();
    // Released work leaves the list of drafts, and the page says so.
    await web.page.getByRole('status').filter({ hasText: 'Released the entry of' }).waitFor();
    await row.waitFor({ state: 'detached' });

    const saved = await sql<{ status: string; task_code: string | null }>`
      select status, task_code from time_entry where id = ${id}`.execute(harness.database.db);
    expect(saved.rows[0]).toEqual({ status: 'released', task_code: 'L120' });
    expect(web.problems).toEqual([]);
    await web.context.close();
  });

  it('shows a user their unread messages in the top bar and lets them read and follow them', async () => {
    const db = harness.database.db;
    const user = await db
      .selectFrom('app_user')
      .select('id')
      .where('email', '=', EMAIL('billing'))
      .executeTakeFirstOrThrow();
    await db
      .updateTable('inbox_message')
      .set({ read_at: new Date() })
      .where('user_id', '=', user.id)
      .where('read_at', 'is', null)
      .execute();
    const deliver = async (key: string, subject: string, path: string) => {
      const outbox = await db
        .insertInto('notification_outbox')
        .values({
          idempotency_key: `inbox-e2e:${key}`,
          kind: 'digest',
          recipient_user_id: user.id,
          channel: 'in_app',
          payload: JSON.stringify({}),
          due_at: new Date(),
          state: 'delivered',
          delivered_at: new Date(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return db
        .insertInto('inbox_message')
        .values({
          outbox_id: outbox.id,
          user_id: user.id,
          kind: 'digest',
          subject,
          body: `${subject}.\nOpen the screen to act on it.`,
          link: `https://matterflow.firm.test${path}`,
          matter_id: null,
          created_at: new Date(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    };
    const queue = await deliver('queue', 'Four drafts wait in the billing queue', '/billing');
    const blocked = await deliver('blocked', 'Two exceptions are yours to clear', '/exceptions');
    const readAt = async (id: number) =>
      (
        await db
          .selectFrom('inbox_message')
          .select('read_at')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).read_at;

    const web = await session();
    await web.signIn(EMAIL('billing'));
    await web.page.getByRole('link', { name: 'Inbox, 2 unread' }).click();
    await web.page.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor();
    const list = web.page.getByRole('list', { name: 'Messages' });
    expect(await list.innerText()).toContain('Open the screen to act on it.');
    await list
      .getByRole('listitem')
      .filter({ hasText: 'Four drafts wait' })
      .getByRole('button', { name: 'Mark read' })
      .click();
    await web.page.getByRole('link', { name: 'Inbox, 1 unread' }).waitFor();
    expect(await readAt(queue.id)).not.toBeNull();
    expect(await readAt(blocked.id)).toBeNull();

    // Following a message opens its screen in the app and marks it read.
    await list.getByRole('link', { name: 'Two exceptions are yours to clear' }).click();
    await web.page.waitForURL(/\/exceptions$/);
    await web.page.getByRole('link', { name: 'Inbox', exact: true }).waitFor();
    expect(await readAt(blocked.id)).not.toBeNull();
    expect(web.problems).toEqual([]);
    await web.context.close();
  });

  it('brings a timekeeper from the question link to the question, and the answer returns the invoice to review', async () => {
    const db = harness.database.db;
    const ctx = { db, now: () => new Date() };
    // A pre-bill of the demo firm with a fee line of Aaron Feld's (T110) on an open matter: the
    // month of his latest released, unbilled work billed for that matter.
    const work = await sql<{ matter_code: string; month: string }>`
      select m.matter_code, to_char(te.work_date, 'YYYY-MM') as month from time_entry te
      join timekeeper t on t.id = te.timekeeper_id
      join matter m on m.id = te.matter_id
      where t.timekeeper_code = 'T110' and te.status = 'released' and te.billable and te.active
        and not m.restricted and m.fee_arrangement = 'hourly'
        and not exists (select 1 from invoice_line l where l.time_entry_id = te.id)
      order by te.work_date desc, te.id desc limit 1`.execute(db);
    expect(work.rows).toHaveLength(1);
    await runBillRun(ctx, SYSTEM_ACTOR, {
      period: work.rows[0]!.month,
      matterCode: work.rows[0]!.matter_code,
    });
    const { rows } = await sql<{ id: number; line_id: number }>`
      select i.id, l.id as line_id from invoice i
      join invoice_line l on l.invoice_id = i.id and l.disposition = 'bill' and l.line_type = 'F'
      join timekeeper t on t.id = l.timekeeper_id
      join matter m on m.id = i.matter_id
      where t.timekeeper_code = 'T110' and i.state in ('draft', 'exception')
        and m.matter_code = ${work.rows[0]!.matter_code}
      order by i.id desc limit 1`.execute(db);
    expect(rows).toHaveLength(1);
    const target = rows[0]!;
    const billing = await db
      .selectFrom('app_user')
      .select(['id', 'email'])
      .where('email', '=', EMAIL('billing'))
      .executeTakeFirstOrThrow();
    const coordinator = {
      userId: String(billing.id),
      email: billing.email,
      roles: ['billing_coordinator'] as const,
      timekeeperId: null,
      via: 'session' as const,
    };
    const version = async () =>
      (
        await db
          .selectFrom('invoice')
          .select('version')
          .where('id', '=', target.id)
          .executeTakeFirstOrThrow()
      ).version;
    // The coordinator accepts what the guidelines flagged, so the draft can go to review.
    for (;;) {
      const block = await findOldestOpenBlock(db, Number(target.id));
      if (block === undefined) break;
      const exception = await db
        .selectFrom('guideline_exception')
        .select('version')
        .where('id', '=', block.id)
        .executeTakeFirstOrThrow();
      await waiveException(ctx, coordinator, block.id, {
        reason: 'Agreed with the client for this matter',
        version: exception.version,
      });
    }
    await transitionInvoice(ctx, coordinator, Number(target.id), {
      to: 'in_review',
      version: await version(),
    });
    const questionId = await askTimekeeper(ctx, coordinator, Number(target.id), {
      version: await version(),
      question: 'Was the call with opposing counsel really 3 hours? Please split it by topic.',
      line_id: Number(target.line_id),
    });

    const web = await session();
    await web.signIn(EMAIL('aaron.feld'));
    await web.page.goto(`${harness.baseUrl}/time?question=${questionId}`);
    const panel = web.page.getByRole('region', { name: /question/ });
    await panel.getByText('Was the call with opposing counsel really 3 hours?').waitFor();
    const box = panel.getByLabel('Your answer');
    // The link puts the answer box in focus.
    await web.page.waitForFunction("document.activeElement?.id === 'answer-" + questionId + "'");
    await box.fill('It was 2.5 hours; I have corrected the entry.');
    await panel.getByRole('button', { name: 'Send answer' }).click();
    // The question leaves the open ones; the link's question says it was answered.
    await panel.getByRole('heading', { name: 'No questions waiting for you' }).waitFor();
    await panel.getByRole('status').filter({ hasText: 'was answered' }).waitFor();

    const saved = await db
      .selectFrom('invoice_question')
      .select(['state', 'answer'])
      .where('id', '=', questionId)
      .executeTakeFirstOrThrow();
    expect(saved).toEqual({
      state: 'answered',
      answer: 'It was 2.5 hours; I have corrected the entry.',
    });
    const invoice = await db
      .selectFrom('invoice')
      .select('state')
      .where('id', '=', target.id)
      .executeTakeFirstOrThrow();
    expect(invoice.state).toBe('in_review');

    // Without the link, nothing answered is shown.
    await web.page.goto(`${harness.baseUrl}/time`);
    await web.page.getByRole('heading', { name: 'My time', level: 1 }).waitFor();
    expect(await web.page.getByRole('region', { name: /question/ }).count()).toBe(0);
    expect(web.problems).toEqual([]);
    await web.context.close();
  });
});
