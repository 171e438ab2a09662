import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMoney } from '../../domain/money.js';
import { SYSTEM_ACTOR } from '../../domain/policy.js';
import { buildApp } from '../../http/app.js';
import type { TestDatabase } from '../../test/database.js';
import { openTestDatabase } from '../../test/database.js';
import {
  addMatterMember,
  buildClient,
  buildMatter,
  buildTimekeeper,
  buildUser,
  signIn,
} from '../../test/factories.js';
import { importRoutingTable } from './import-routing-table.js';
import { resolveStageOwners } from './resolve-stage-owners.js';

let t: TestDatabase;
let app: FastifyInstance;
let coordinatorCookie: string;
const people = {} as Record<
  'coordinator' | 'attorney' | 'partner' | 'ipBilling' | 'legalOps',
  number
>;
let attorneyTk: number;
let partnerTk: number;

/** A matter on the example table's terms: litigation, hourly, New York, with its billing people. */
function matter(overrides: Parameters<typeof buildMatter>[1] = {}) {
  return buildMatter(t.db, {
    practice_area: 'litigation',
    office: 'NYC',
    responsible_attorney_id: attorneyTk,
    billing_partner_id: partnerTk,
    billing_coordinator_id: people.coordinator,
    ...overrides,
  });
}

const usd = (amount: string) => parseMoney(amount)!;
async function owners(matterId: number, amount: string) {
  const r = await resolveStageOwners(t.db, matterId, usd(amount));
  return {
    rule: r.ruleId,
    reviewer: r.reviewer.userId,
    approvers: r.approvers.map((a) => a.userId),
  };
}

beforeAll(async () => {
  t = await openTestDatabase();
  app = await buildApp({ ctx: t.ctx });
  attorneyTk = (await buildTimekeeper(t.db, { classification: 'PT' })).id;
  partnerTk = (await buildTimekeeper(t.db, { classification: 'PT' })).id;
  const coordinator = await buildUser(t.db, { roles: ['billing_coordinator'] });
  people.coordinator = coordinator.id;
  people.attorney = (await buildUser(t.db, { roles: ['approver'], timekeeper_id: attorneyTk })).id;
  people.partner = (await buildUser(t.db, { roles: ['approver'], timekeeper_id: partnerTk })).id;
  people.ipBilling = (
    await buildUser(t.db, { email: 'ip-billing@firm.example', roles: ['billing_coordinator'] })
  ).id;
  people.legalOps = (await buildUser(t.db, { roles: ['legal_ops'] })).id;
  coordinatorCookie = await signIn(app, coordinator.email);
});
afterAll(async () => {
  await app.close();
  await t.close();
});

describe('resolving stage owners', () => {
  it('uses the built-in route when no table is active: coordinator reviews, attorney approves', async () => {
    const m = await matter({ fee_arrangement: 'flat', fee_amount_cents: 500000 });
    const r = await resolveStageOwners(t.db, m.id, usd('90000'));
    expect(r).toMatchObject({
      table: null,
      ruleId: null,
      reviewer: { role: 'billing_coordinator', userId: people.coordinator },
      approvers: [{ level: 1, role: 'responsible_attorney', userId: people.attorney }],
    });
  });

  it('routes by the example table: fee arrangement, amount band, practice area and office', async () => {
    const text = await readFile(
      new URL('../../../examples/routing/default-routing.yaml', import.meta.url),
      'utf8',
    );
    await importRoutingTable(t.ctx, SYSTEM_ACTOR, text, { activate: true });
    const { coordinator, attorney, partner, ipBilling } = people;

    const litigation = await matter();
    expect(await owners(litigation.id, '1200.00')).toEqual({
      rule: 'litigation',
      reviewer: coordinator,
      approvers: [attorney],
    });
    // Amount bands include their ends: 50,000.00 is not "over 50,000".
    expect((await owners(litigation.id, '50000.00')).rule).toBe('litigation');
    expect(await owners(litigation.id, '50000.01')).toEqual({
      rule: 'large-invoices',
      reviewer: coordinator,
      approvers: [attorney, partner],
    });
    for (const fee of ['flat', 'capped']) {
      const fixed = await matter({ fee_arrangement: fee, fee_amount_cents: 500000 });
      expect(await owners(fixed.id, '100.00')).toEqual({
        rule: 'fixed-fees',
        reviewer: coordinator,
        approvers: [attorney, partner],
      });
    }
    const ip = await matter({ practice_area: 'intellectual_property', office: 'BOS' });
    expect(await owners(ip.id, '100.00')).toEqual({
      rule: 'ip-prosecution',
      reviewer: ipBilling,
      approvers: [attorney],
    });
    const ipLondon = await matter({ practice_area: 'intellectual_property', office: 'LON' });
    expect((await owners(ipLondon.id, '100.00')).rule).toBeNull();
    const r = await resolveStageOwners(t.db, ip.id, usd('1'));
    expect(r.table).toEqual({ key: 'firm-default', version: 1 });
    expect(r.reviewer).toEqual({
      role: 'user:ip-billing@firm.example',
      userId: ipBilling,
      email: 'ip-billing@firm.example',
    });
  });

  it('matches by client and jurisdiction, and resolves legal ops to the first active one', async () => {
    const client = await buildClient(t.db, { client_code: 'R-ACME' });
    const text = [
      'id: by-client',
      'name: Client and jurisdiction routing',
      'rules:',
      '  - { id: acme, match: { client: R-ACME }, reviewer: legal_ops, approvers: [billing_partner] }',
      '  - { id: texas, match: { jurisdiction: TX }, reviewer: billing_partner, approvers: [legal_ops] }',
      'default: { reviewer: billing_coordinator, approvers: [responsible_attorney] }',
      '',
    ].join('\n');
    await importRoutingTable(t.ctx, SYSTEM_ACTOR, text, { activate: true });
    const acme = await matter({ client_id: client.id });
    expect(await owners(acme.id, '10.00')).toEqual({
      rule: 'acme',
      reviewer: people.legalOps,
      approvers: [people.partner],
    });
    const texas = await matter({ jurisdiction: 'TX', billing_coordinator_id: null });
    expect(await owners(texas.id, '10.00')).toEqual({
      rule: 'texas',
      reviewer: people.partner,
      approvers: [people.legalOps],
    });
    // A role nobody active holds stays unresolved rather than falling to whoever is around.
    const r = await resolveStageOwners(
      t.db,
      (await matter({ billing_coordinator_id: null })).id,
      1,
    );
    expect(r.reviewer).toEqual({ role: 'billing_coordinator', userId: null, email: null });
  });
});

describe('GET /routing/resolve', () => {
  it('previews the owners of a visible matter, and answers 404 behind an ethical wall', async () => {
    const open = await matter({ jurisdiction: 'TX' });
    const response = await app.inject({
      method: 'GET',
      url: `/api/v1/routing/resolve?matter_code=${open.matter_code}&amount=12.5`,
      headers: { cookie: coordinatorCookie },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      matter_code: open.matter_code,
      amount: '12.50',
      table: { key: 'by-client', version: 1 },
      rule_id: 'texas',
      reviewer: { role: 'billing_partner', user_id: people.partner },
      approvers: [{ level: 1, role: 'legal_ops', user_id: people.legalOps }],
    });

    const walled = await matter({ restricted: true });
    const url = `/api/v1/routing/resolve?matter_code=${walled.matter_code}&amount=1`;
    const hidden = await app.inject({ method: 'GET', url, headers: { cookie: coordinatorCookie } });
    expect(hidden.statusCode).toBe(404);
    await addMatterMember(t.db, walled.id, people.coordinator);
    const member = await app.inject({ method: 'GET', url, headers: { cookie: coordinatorCookie } });
    expect(member.statusCode).toBe(200);

    const bad = await app.inject({
      method: 'GET',
      url: `/api/v1/routing/resolve?matter_code=${open.matter_code}&amount=1.234`,
      headers: { cookie: coordinatorCookie },
    });
    expect(bad.statusCode).toBe(400);
  });
});
