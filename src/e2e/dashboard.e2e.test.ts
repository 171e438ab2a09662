import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../modules/demo/demo.service.js';
import {
  HAS_CHROMIUM,
  NO_CHROMIUM_MESSAGE,
  startWebHarness,
  type WebHarness,
} from '../test/browser.js';

if (!HAS_CHROMIUM) process.stdout.write(`${NO_CHROMIUM_MESSAGE}\n`);

const EMAIL = (local: string) => `${local}@hartwell.example`;

/** The month before the current one (UTC), as a bill run period. */
function lastMonth(): string {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - 1);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

describe.skipIf(!HAS_CHROMIUM)('the legal-ops dashboard in a browser (demo firm)', () => {
  let harness: WebHarness;
  beforeAll(async () => {
    harness = await startWebHarness();
  }, 180_000);
  afterAll(() => harness?.close());

  /** Another role's API session: the session cookie and CSRF token from signing in. */
  async function apiAs(email: string) {
    const signIn = await fetch(`${harness.baseUrl}/api/v1/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: DEMO_PASSWORD }),
    });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const { csrf_token } = (await signIn.json()) as { csrf_token: string };
    return async (method: 'GET' | 'POST', path: string, body?: unknown) => {
      const response = await fetch(`${harness.baseUrl}/api/v1${path}`, {
        method,
        headers: {
          cookie,
          ...(method === 'POST'
            ? { 'content-type': 'application/json', 'x-csrf-token': csrf_token }
            : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const json: unknown = await response.json();
      if (response.status !== 200)
        throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
      return json as Record<string, unknown>;
    };
  }

  /** The dashboard, freshly loaded, once every panel has its figures. */
  async function reload(page: Page) {
    await page.goto('/dashboard');
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    await settled(page);
  }
  /** Every panel and chart has loaded (none says "Loading…"). */
  async function settled(page: Page) {
    const loading = page.locator('.state-loading');
    while ((await loading.count()) > 0)
      await loading.first().waitFor({ state: 'detached', timeout: 30_000 });
  }
  const panel = (page: Page, title: string) => page.getByRole('region', { name: title });
  /** The first number the panel's intro line gives before `words`. */
  async function figure(page: Page, title: string, words: RegExp): Promise<number> {
    const text = await panel(page, title).locator('p.muted').innerText();
    const match = words.exec(text);
    if (!match) throw new Error(`"${title}" says "${text}", not ${words}`);
    return Number(match[1]);
  }
  /** The sum of one numeric column of a panel's table view. */
  async function columnTotal(page: Page, title: string, header: string): Promise<number> {
    const region = panel(page, title);
    await region.getByRole('button', { name: 'Table', exact: true }).click();
    const headers = await region.getByRole('columnheader').allInnerTexts();
    const index = headers.indexOf(header);
    expect(index).toBeGreaterThanOrEqual(0);
    const cells = await region.locator(`tbody tr td:nth-child(${index + 1})`).allInnerTexts();
    return cells.reduce((sum, cell) => sum + Number(cell), 0);
  }

  it('legal ops sees the dashboard figures move', async () => {
    const coordinator = await apiAs(EMAIL('billing'));
    const web = await harness.open();
    await web.signIn(EMAIL('legal.ops'));
    await web.page.waitForURL('**/dashboard');
    const page = web.page;
    await reload(page);

    // 1. Waiving an open exception: one fewer still open, the opened count unchanged.
    const title = 'Exceptions by rule and type';
    const opened = await figure(page, title, /(\d+) exceptions opened/);
    const stillOpen = await figure(page, title, /\((\d+) still open\)/);
    expect(stillOpen).toBeGreaterThan(0);
    // One legal ops sees: on a matter without a wall.
    const { rows: openRows } = await sql<{ id: number; version: number }>`
      select ge.id, ge.version from guideline_exception ge join matter m on m.id = ge.matter_id
      where ge.state = 'open' and not m.restricted order by ge.id limit 1`.execute(
      harness.database.db,
    );
    const exception = openRows[0]!;
    await coordinator('POST', `/exceptions/${exception.id}/waive`, {
      reason: 'Client agreed to this in the engagement letter',
      version: exception.version,
    });
    await reload(page);
    expect(await figure(page, title, /(\d+) exceptions opened/)).toBe(opened);
    expect(await figure(page, title, /\((\d+) still open\)/)).toBe(stillOpen - 1);
    expect(await columnTotal(page, title, 'Waived')).toBeGreaterThanOrEqual(1);

    // 2. A bill run: every new invoice is open and 0–2 days into its stage.
    await panel(page, 'Aging by owner').getByText('No open invoices').waitFor();
    await coordinator('POST', '/bill-runs', { period: lastMonth() });
    // Every invoice legal ops may see: walled matters only if a member.
    const created = await sql<{ n: number }>`
      select count(*)::int as n from invoice i join matter m on m.id = i.matter_id
      where not m.restricted or exists (select 1 from matter_member mm
        join app_user u on u.id = mm.user_id
        where mm.matter_id = m.id and u.email = ${EMAIL('legal.ops')})`.execute(
      harness.database.db,
    );
    expect(created.rows[0]!.n).toBeGreaterThan(0);
    await reload(page);
    expect(await columnTotal(page, 'Aging by owner', '0–2 days')).toBe(created.rows[0]!.n);
    expect(await columnTotal(page, 'Aging by owner', 'Over 10 days')).toBe(0);

    // 3. An approver sends a pre-bill back: one more rework move, with its trigger.
    const { rows } = await sql<{ id: number; matter_id: number }>`
      select i.id, i.matter_id from invoice i join matter m on m.id = i.matter_id
      where i.state = 'draft' and not m.restricted
        and not exists (select 1 from guideline_exception ge
          where ge.matter_id = m.id and ge.state = 'open' and ge.severity = 'block')
      order by i.id limit 1`.execute(harness.database.db);
    const invoice = rows[0]!;
    await sql`update matter set client_matter_id = coalesce(client_matter_id, 'CM-E2E-1'),
      responsible_attorney_id = (select id from timekeeper where timekeeper_code = 'T101')
      where id = ${invoice.matter_id}`.execute(harness.database.db);
    const move = async (as: typeof coordinator, to: string, reason?: string) => {
      const { version } = (await as('GET', `/invoices/${invoice.id}`)) as { version: number };
      await as('POST', `/invoices/${invoice.id}/transitions`, {
        to,
        version,
        ...(reason === undefined ? {} : { reason }),
      });
    };
    await move(coordinator, 'in_review');
    await move(coordinator, 'ready_for_approval');
    await reload(page);
    const rework = 'Rework and what triggers it';
    const reworkMoves = await figure(page, rework, /rework moves: (\d+) of/);
    const owner = await sql<{ email: string }>`
      select u.email from invoice i join app_user u on u.id = i.owner_user_id
      where i.id = ${invoice.id}`.execute(harness.database.db);
    await move(await apiAs(owner.rows[0]!.email), 'in_review', 'Narratives too vague');
    await reload(page);
    expect(await figure(page, rework, /rework moves: (\d+) of/)).toBe(reworkMoves + 1);

    // The rework panel's CSV, byte for byte.
    const download = page.waitForEvent('download');
    await panel(page, rework)
      .getByRole('button', { name: /Download .* as CSV/ })
      .click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('rework-triggers.csv');
    const bytes = await readFile(await file.path());
    expect(
      bytes.equals(
        Buffer.from(
          'Trigger,Move or reason,Rework moves\r\n' +
            'Move,Ready for approval → In review,1\r\n' +
            'Reason,Narratives too vague,1\r\n',
          'utf8',
        ),
      ),
    ).toBe(true);

    // The filters reach the server: the rework counts in its matter's practice area only.
    const areas = await sql<{ practice_area: string; mine: boolean }>`
      select distinct m.practice_area, m.id = ${invoice.matter_id} as mine from matter m
      where not m.restricted order by mine desc, m.practice_area`.execute(harness.database.db);
    const mine = areas.rows[0]!.practice_area;
    const other = areas.rows.find((r) => r.practice_area !== mine)!.practice_area;
    for (const [area, expected] of [
      [mine, reworkMoves + 1],
      [other, 0],
    ] as const) {
      await page.getByLabel('Practice area').selectOption(area);
      await page.getByRole('button', { name: 'Show' }).click();
      await page.waitForURL((url) => url.searchParams.get('practice_area') === area);
      await settled(page);
      expect(await figure(page, rework, /rework moves: (\d+) of/)).toBe(expected);
    }
    expect(web.problems).toEqual([]);
    await web.context.close();
  }, 180_000);
});
