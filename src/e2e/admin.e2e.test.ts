import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../modules/demo/demo.service.js';
import {
  HAS_CHROMIUM,
  NO_CHROMIUM_MESSAGE,
  startWebHarness,
  type WebHarness,
} from '../test/browser.js';

if (!HAS_CHROMIUM) process.stdout.write(`${NO_CHROMIUM_MESSAGE}\n`);

const WALLED_MATTER = 'HP-4004';

describe.skipIf(!HAS_CHROMIUM)('admin screens in a browser (demo firm)', () => {
  let harness: WebHarness;
  beforeAll(async () => {
    harness = await startWebHarness();
  }, 180_000);
  afterAll(() => harness?.close());

  /** The audit actions recorded for one entity, oldest first. */
  const auditOf = async (entityType: string, entityId: string | number) =>
    (
      await sql<{ action: string; actor: string }>`
        select a.action, u.email as actor from audit_event a
        join app_user u on u.id = a.actor_user_id
        where a.entity_type = ${entityType} and a.entity_id = ${String(entityId)}
        order by a.id`.execute(harness.database.db)
    ).rows;

  // One admin's whole session, step by step: longer than a single check.
  it('creates a user, walls them in, adds a reason code, a token and a webhook', async () => {
    const db = harness.database.db;
    const admin = 'admin@hartwell.example';
    const newEmail = 'riley.chen@hartwell.example';
    const web = await harness.open();
    const { page } = web;
    await web.signIn(admin);
    await page.waitForURL('**/admin/users');
    const admin_ = page.getByRole('navigation', { name: 'Admin' });

    // 1. A new user with a role, given the demo password so the test can sign in as them.
    await page.getByRole('button', { name: 'New user' }).click();
    let dialog = page.getByRole('dialog', { name: 'New user' });
    await dialog.getByLabel('Name').fill('Riley Chen');
    await dialog.getByLabel('Email').fill('not an email');
    await dialog.getByRole('checkbox', { name: /^Billing coordinator/ }).check();
    await dialog.getByLabel('Password (optional)').fill(DEMO_PASSWORD);
    await dialog.getByRole('button', { name: 'Add the user' }).click();
    // The API's problem is shown at its field.
    await dialog.getByRole('alert').filter({ hasText: 'must be an email address' }).waitFor();
    expect(await dialog.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');
    await dialog.getByLabel('Email').fill(newEmail);
    await dialog.getByRole('button', { name: 'Add the user' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: 'Riley Chen added.' }).waitFor();
    await page.getByRole('cell', { name: newEmail }).waitFor();
    const { rows: users } = await sql<{ id: number; roles: string[]; active: boolean }>`
      select id, roles, active from app_user where email = ${newEmail}`.execute(db);
    expect(users).toEqual([{ id: users[0]!.id, roles: ['billing_coordinator'], active: true }]);
    const riley = users[0]!.id;
    expect(await auditOf('user', riley)).toEqual([{ action: 'user.create', actor: admin }]);

    // Before the wall admits them, the walled matter does not exist for the new user.
    const asRiley = await harness.open();
    await asRiley.signIn(newEmail);
    const walledFor = async () => {
      const answer = await asRiley.page.request.get(
        `/api/v1/matters?restricted=true&q=${WALLED_MATTER}`,
      );
      expect(answer.status()).toBe(200);
      return ((await answer.json()) as { items: { matter_code: string }[] }).items.map(
        (m) => m.matter_code,
      );
    };
    expect(await walledFor()).toEqual([]);

    // 2. Put the new user inside the restricted matter's wall.
    await admin_.getByRole('link', { name: 'Ethical walls' }).click();
    const wall = page.getByRole('region', { name: new RegExp(`Wall of ${WALLED_MATTER}`) });
    await wall.getByRole('cell', { name: 'Marcus Pierce', exact: true }).waitFor();
    expect(await page.getByText('do not see it at all').count()).toBe(1);
    await wall.getByLabel('Add a member').selectOption({ label: `Riley Chen (${newEmail})` });
    await wall.getByRole('button', { name: 'Add to the wall' }).click();
    await wall.getByRole('cell', { name: 'Riley Chen', exact: true }).waitFor();
    const { rows: members } = await sql<{ user_id: number }>`
      select mm.user_id from matter_member mm join matter m on m.id = mm.matter_id
      where m.matter_code = ${WALLED_MATTER} and mm.user_id = ${riley}`.execute(db);
    expect(members).toHaveLength(1);
    const { rows: matter } = await sql<{ id: number }>`
      select id from matter where matter_code = ${WALLED_MATTER}`.execute(db);
    expect((await auditOf('matter', matter[0]!.id)).at(-1)).toEqual({
      action: 'matter.member_add',
      actor: admin,
    });
    expect(await walledFor()).toEqual([WALLED_MATTER]);

    // 3. A reason code.
    await admin_.getByRole('link', { name: 'Reason codes' }).click();
    await page.getByRole('button', { name: 'New reason code' }).click();
    dialog = page.getByRole('dialog', { name: 'New reason code' });
    await dialog.getByLabel('Code').fill('scope_creep');
    await dialog.getByLabel('Label').fill('Outside the agreed scope');
    await dialog.getByRole('checkbox', { name: /needs a note/ }).check();
    await dialog.getByRole('button', { name: 'Add the reason' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('cell', { name: 'Outside the agreed scope' }).waitFor();
    const { rows: reasons } = await sql<Record<string, unknown>>`
      select code, label, requires_note, active from adjustment_reason
      where code = 'scope_creep'`.execute(db);
    expect(reasons).toEqual([
      { code: 'scope_creep', label: 'Outside the agreed scope', requires_note: true, active: true },
    ]);
    expect(await auditOf('adjustment_reason', 'scope_creep')).toEqual([
      { action: 'adjustment_reason.create', actor: admin },
    ]);

    // 4. An API token: its secret is shown once, works, and stops working once revoked.
    await admin_.getByRole('link', { name: 'API tokens' }).click();
    await page.getByText('No API tokens.').waitFor();
    await page.getByRole('button', { name: 'New API token' }).click();
    dialog = page.getByRole('dialog', { name: 'New API token' });
    await dialog.getByLabel('Name').fill('Portal sync');
    await dialog.getByRole('button', { name: 'Create the token' }).click();
    await dialog.waitFor({ state: 'detached' });
    const secret = (await page.getByTestId('token-secret').innerText()).trim();
    expect(secret).toMatch(/^mf_/);
    expect(await page.getByText('will not be shown again').count()).toBe(1);
    const callWithToken = () =>
      fetch(`${harness.baseUrl}/api/v1/users?limit=1`, {
        headers: { authorization: `Bearer ${secret}` },
      });
    expect((await callWithToken()).status).toBe(200);
    await page.getByRole('button', { name: 'I have stored it' }).click();
    expect(await page.getByTestId('token-secret').count()).toBe(0);
    await page.reload();
    await page.getByRole('cell', { name: 'Portal sync', exact: true }).waitFor();
    // The list never carries the secret, only its first characters.
    expect(await page.locator('main').innerText()).not.toContain(secret);
    const { rows: tokens } = await sql<{ id: number; revoked_at: Date | null }>`
      select t.id, t.revoked_at from api_token t join app_user u on u.id = t.user_id
      where u.email = ${admin} and t.name = 'Portal sync'`.execute(db);
    expect(tokens).toEqual([{ id: tokens[0]!.id, revoked_at: null }]);

    // 5. A webhook subscription for two kinds of notification.
    await admin_.getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('button', { name: 'New webhook' }).click();
    dialog = page.getByRole('dialog', { name: 'New webhook' });
    await dialog.getByLabel('URL').fill('https://hooks.hartwell.example/matterflow');
    await dialog.getByRole('checkbox', { name: 'Draft ready' }).check();
    await dialog.getByRole('checkbox', { name: 'Exception alert' }).check();
    await dialog.getByRole('button', { name: 'Create the webhook' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await page.getByTestId('webhook-secret').innerText()).toMatch(/^[0-9a-f]{64}$/);
    await page.getByRole('cell', { name: 'https://hooks.hartwell.example/matterflow' }).waitFor();
    await page.getByRole('cell', { name: '0 delivered' }).waitFor();
    const { rows: hooks } = await sql<{ id: number; kinds: string[]; active: boolean }>`
      select w.id, w.kinds, w.active from webhook_subscription w
      join app_user u on u.id = w.user_id where u.email = ${admin}`.execute(db);
    expect(hooks).toEqual([
      { id: hooks[0]!.id, kinds: ['draft_ready', 'exception_alert'], active: true },
    ]);
    expect(await auditOf('webhook_subscription', hooks[0]!.id)).toEqual([
      { action: 'webhook_subscription.create', actor: admin },
    ]);

    // 6. A stage SLA: a bad value is refused at its row, a good one saved and audited.
    await admin_.getByRole('link', { name: 'SLAs and holidays' }).click();
    const days = page.getByLabel('Ready for approval: how many business days');
    await days.fill('0');
    await page.getByRole('button', { name: 'Save the stage SLAs' }).click();
    await page.getByRole('alert').filter({ hasText: 'from 1 to 365' }).waitFor();
    expect(await days.getAttribute('aria-invalid')).toBe('true');
    await days.fill('4');
    await page.getByRole('button', { name: 'Save the stage SLAs' }).click();
    await page.getByRole('status').filter({ hasText: 'Stage SLAs saved: version 2' }).waitFor();
    const { rows: sla } = await sql<{ business_days: number | null; hours: number | null }>`
      select business_days, hours from stage_sla where stage = 'ready_for_approval'`.execute(db);
    expect(sla).toEqual([{ business_days: 4, hours: null }]);
    expect(await auditOf('stage_sla', 'firm')).toEqual([
      { action: 'stage_sla.update', actor: admin },
    ]);

    // 7. Revoke the token, confirming first; it is refused from then on.
    await admin_.getByRole('link', { name: 'API tokens' }).click();
    await page.getByRole('button', { name: 'Revoke Portal sync' }).click();
    dialog = page.getByRole('dialog', { name: 'Revoke the token “Portal sync”?' });
    await dialog.getByRole('button', { name: 'Revoke the token' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: 'revoked' }).waitFor();
    await page.getByRole('cell', { name: /^Revoked/ }).waitFor();
    expect((await callWithToken()).status).toBe(401);
    const { rows: revoked } = await sql<{ revoked: boolean }>`
      select revoked_at is not null as revoked from api_token where id = ${tokens[0]!.id}`.execute(
      db,
    );
    expect(revoked).toEqual([{ revoked: true }]);
    expect(await auditOf('api_token', tokens[0]!.id)).toEqual([
      { action: 'api_token.create', actor: admin },
      { action: 'api_token.revoke', actor: admin },
    ]);

    expect(web.problems).toEqual([]);
    expect(asRiley.problems).toEqual([]);
    await asRiley.context.close();
    await web.context.close();
  }, 120_000);
});
