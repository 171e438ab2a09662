import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HAS_CHROMIUM,
  NO_CHROMIUM_MESSAGE,
  startWebHarness,
  type WebHarness,
} from '../test/browser.js';

if (!HAS_CHROMIUM) process.stdout.write(`${NO_CHROMIUM_MESSAGE}\n`);

/** Northwind Logistics' guideline in the demo firm: entries over 4 hours are blocked. */
const KEY = 'northwind-logistics-2026';
const NAME = 'Northwind Logistics litigation billing guidelines';

/** The 1-based line of the first line of `text` that contains `needle`. */
function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(needle));
  if (index < 0) throw new Error(`"${needle}" is not in the document`);
  return index + 1;
}

describe.skipIf(!HAS_CHROMIUM)('guidelines in a browser', () => {
  let harness: WebHarness;
  beforeAll(async () => {
    harness = await startWebHarness();
  }, 180_000);
  afterAll(() => harness?.close());

  it('legal ops fixes a guideline at its line, tries it in the sandbox, saves and activates it', async () => {
    const db = harness.database.db;
    const { rows: users } = await sql<{ id: number }>`
      select id from app_user where email = 'legal.ops@hartwell.example'`.execute(db);
    const legalOps = users[0]!.id;
    const { rows: period } = await sql<{ from: string; to: string }>`
      select min(work_date)::text as "from", max(work_date)::text as "to" from time_entry`.execute(
      db,
    );
    const { from, to } = period[0]!;
    // What lowering the cap from 4 to 2 hours must add: Northwind's unbilled billable entries over
    // 2 and up to 4 hours (the cap does not apply to no-charge time); those over 4 hours are
    // flagged either way.
    const { rows: counts } = await sql<{ over_two: number; over_four: number }>`
      select count(*) filter (where te.hours > 2)::int as over_two,
             count(*) filter (where te.hours > 4)::int as over_four
      from time_entry te
      join matter m on m.id = te.matter_id
      join client c on c.id = m.client_id
      where c.client_code = 'NWL' and te.active and te.billable
        and te.status in ('draft', 'released')
        and te.work_date between ${from} and ${to}`.execute(db);
    const { over_two: overTwo, over_four: overFour } = counts[0]!;
    expect(overTwo).toBeGreaterThan(overFour);

    const web = await harness.open();
    await web.signIn('legal.ops@hartwell.example');
    await web.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Guidelines' })
      .click();
    await web.page.getByRole('heading', { level: 1, name: 'Guidelines' }).waitFor();
    expect(await web.page.getByTestId(`active-${KEY}`).innerText()).toBe('Version 1');

    // Read the client's guideline: its rules in words, its history.
    await web.page.getByRole('button', { name: NAME }).click();
    const cap = web.page.locator('table.rules tr[data-rule="entry-cap"]');
    await cap.waitFor();
    expect(await cap.locator('td').allInnerTexts()).toEqual([
      'Max entry hours',
      'hours: 4.00 h',
      'Block',
      'Timekeeper',
      'Yes',
      'Northwind OCG §5.2 - no entry over 4 hours without prior approval.',
    ]);
    const history = web.page.getByRole('table', { name: 'Version history, newest first' });
    expect(await history.locator('tbody tr').count()).toBe(1);

    // Edit: an unknown kind is shown beside its line, and the caret goes there.
    await web.page.getByRole('button', { name: 'Edit as a new version' }).click();
    const editor = web.page.getByLabel('Guideline document (YAML)');
    await editor.waitFor();
    const original = await editor.inputValue();
    // Saving the very same document would only add a version that changes nothing.
    const saveButton = web.page.getByRole('button', { name: 'Save as new version' });
    expect(await saveButton.isDisabled()).toBe(true);
    const kindLine = lineOf(original, 'kind: max_entry_hours');
    await editor.fill(original.replace('kind: max_entry_hours', 'kind: max_entry_hour'));
    await web.page.getByRole('button', { name: 'Validate' }).click();
    const note = web.page.locator(`.code-notes [data-line="${kindLine}"]`);
    await note.filter({ hasText: 'max_entry_hour' }).waitFor();
    expect(await note.innerText()).toContain('max_entry_hours');
    expect(await note.innerText()).toContain('billing_increment');
    const problems = await web.page.locator('.problem-list').innerText();
    expect(problems).toContain(`Line ${kindLine}, column 11: rules[2].kind:`);
    expect(await web.page.locator('textarea:focus').count()).toBe(1);
    const caret = await editor.evaluate(
      (node) => (node as unknown as { selectionStart: number }).selectionStart,
    );
    expect(original.slice(0, caret).split('\n').length).toBe(kindLine);

    // Fix it, lowering the entry cap to 2 hours, and validate again.
    const draft = original.replace('params: { hours: 4.0 }', 'params: { hours: 2.0 }');
    expect(draft).not.toBe(original);
    await editor.fill(draft);
    await web.page.getByRole('button', { name: 'Validate' }).click();
    await web.page
      .getByRole('status')
      .filter({ hasText: `Saving makes version 2 of ${KEY}.` })
      .waitFor();
    expect(await web.page.locator('.problem-list').count()).toBe(0);

    // The sandbox: the lower cap adds findings for entry-cap only.
    await web.page.getByLabel('From', { exact: true }).fill(from);
    await web.page.getByLabel('To', { exact: true }).fill(to);
    await web.page.getByRole('button', { name: 'Run the sandbox' }).click();
    const capRow = web.page.locator('table.sandbox-rules tr[data-rule="entry-cap"]');
    await capRow.waitFor();
    expect(await capRow.locator('td').allInnerTexts()).toEqual([
      String(overFour),
      String(overTwo),
      `+${overTwo - overFour}`,
      'In both',
    ]);
    expect(await web.page.locator('table.sandbox-rules tbody tr').count()).toBe(1);
    const added = web.page.getByRole('table', { name: 'Findings the draft adds' });
    expect(await added.locator('caption').innerText()).toContain(
      `Findings the draft adds: ${overTwo - overFour}`,
    );
    const addedRules = await added.locator('tbody tr td:first-child').allInnerTexts();
    expect(new Set(addedRules)).toEqual(new Set(['entry-cap']));
    expect(await web.page.getByText('Findings the draft no longer makes: none.').count()).toBe(1);

    // Save: a new draft version, not active.
    await web.page.getByRole('button', { name: 'Save as new version' }).click();
    await web.page.getByRole('status').filter({ hasText: 'Saved as version 2' }).waitFor();
    await history.locator('tbody tr[data-version="2"]').waitFor();
    expect(await web.page.getByTestId(`active-${KEY}`).innerText()).toBe('Version 1');
    await cap.filter({ hasText: 'hours: 2.00 h' }).waitFor();

    // Activate, after a confirmation that starts on Cancel.
    await history.getByRole('button', { name: 'Activate version 2' }).click();
    const dialog = web.page.getByRole('dialog', { name: 'Activate version 2?' });
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('Version 1, active now, is retired');
    expect(await web.page.locator(':focus').innerText()).toBe('Cancel');
    await dialog.getByRole('button', { name: 'Activate version 2' }).click();
    await dialog.waitFor({ state: 'detached' });
    await web.page
      .getByRole('status')
      .filter({ hasText: `Version 2 of ${NAME} is now active.` })
      .waitFor();
    await web.page.getByTestId(`active-${KEY}`).filter({ hasText: 'Version 2' }).waitFor();
    expect(await history.locator('tbody tr[data-version="1"]').innerText()).toContain('Retired');

    const { rows: versions } = await sql<{
      id: number;
      version: number;
      status: string;
      imported_by: number | null;
      activated_by: number | null;
      source_text: string;
    }>`
      select id, version, status, imported_by, activated_by, source_text from guideline_version
      where guideline_key = ${KEY} order by version`.execute(db);
    expect(versions.map((v) => [v.version, v.status])).toEqual([
      [1, 'retired'],
      [2, 'active'],
    ]);
    const saved = versions[1]!;
    expect(saved).toMatchObject({ imported_by: legalOps, activated_by: legalOps });
    expect(saved.source_text).toBe(draft);
    const { rows: audit } = await sql<{ action: string }>`
      select action from audit_event
      where entity_type = 'guideline_version' and entity_id = ${String(saved.id)}
        and actor_user_id = ${legalOps}
      order by id`.execute(db);
    expect(audit.map((a) => a.action)).toEqual(['guideline.import', 'guideline.activate']);
    expect(web.problems).toEqual([]);
    await web.context.close();
  });

  it('shows billing coordinators the guidelines read-only', async () => {
    const web = await harness.open();
    await web.signIn('billing@hartwell.example');
    await web.page.goto(`/guidelines?key=${KEY}`);
    await web.page.locator('table.rules tr[data-rule="entry-cap"]').waitFor();
    expect(await web.page.getByRole('button', { name: 'Edit as a new version' }).count()).toBe(0);
    expect(await web.page.getByRole('button', { name: /^Activate/ }).count()).toBe(0);
    // The editor's address does not open it for a role that may not save.
    await web.page.goto(`/guidelines?key=${KEY}&edit=1`);
    await web.page.locator('table.rules tr[data-rule="entry-cap"]').waitFor();
    expect(await web.page.getByLabel('Guideline document (YAML)').count()).toBe(0);
    // Reading includes taking the document away exactly as imported.
    const link = web.page.getByRole('link', { name: /^Download version \d+ as imported$/ });
    const [download] = await Promise.all([web.page.waitForEvent('download'), link.click()]);
    const { rows } = await sql<{ source_text: string }>`
      select source_text from guideline_version
      where guideline_key = ${KEY} and status = 'active'`.execute(harness.database.db);
    expect(readFileSync(await download.path(), 'utf8')).toBe(rows[0]!.source_text);
    expect(web.problems).toEqual([]);
    await web.context.close();
  });
});
