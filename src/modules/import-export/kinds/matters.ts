import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import type { MatterTable } from '../../../db/schema.js';
import { formatMoney } from '../../../domain/money.js';
import { FEE_ARRANGEMENTS, MATTER_STATUSES } from '../../../domain/roles.js';
import type { BulkColumn } from '../bulk.js';
import { insertRows, updateById } from '../bulk.js';
import { cell, yesNo } from '../cells.js';
import { defineKind, sameValues } from '../kind.js';

interface MatterRow {
  matterCode: string;
  clientCode: string;
  clientMatterId: string | null;
  name: string;
  practiceArea: string;
  jurisdiction: string | null;
  office: string | null;
  feeArrangement: string;
  feeAmount: number | null;
  responsibleAttorney: string;
  billingPartner: string;
  billingCoordinator: string | null;
  budget: number | null;
  status: string;
  openedOn: string;
  closedOn: string | null;
  restricted: boolean;
}

interface ResolvedMatter extends MatterRow {
  clientId: number;
  responsibleAttorneyId: number;
  billingPartnerId: number;
  billingCoordinatorId: number | null;
}

const STORED = [
  'id',
  'matter_code',
  'client_id',
  'client_matter_id',
  'name',
  'practice_area',
  'jurisdiction',
  'office',
  'fee_arrangement',
  'fee_amount_cents',
  'responsible_attorney_id',
  'billing_partner_id',
  'billing_coordinator_id',
  'budget_cents',
  'status',
  'opened_on',
  'closed_on',
  'restricted',
] as const;

type StoredMatter = Pick<Selectable<MatterTable>, (typeof STORED)[number]>;

const VALUES: BulkColumn<ResolvedMatter>[] = [
  { name: 'client_id', type: 'bigint', value: (r) => r.clientId },
  { name: 'client_matter_id', type: 'text', value: (r) => r.clientMatterId },
  { name: 'name', type: 'text', value: (r) => r.name },
  { name: 'practice_area', type: 'text', value: (r) => r.practiceArea },
  { name: 'jurisdiction', type: 'text', value: (r) => r.jurisdiction },
  { name: 'office', type: 'text', value: (r) => r.office },
  { name: 'fee_arrangement', type: 'text', value: (r) => r.feeArrangement },
  { name: 'fee_amount_cents', type: 'bigint', value: (r) => r.feeAmount },
  { name: 'responsible_attorney_id', type: 'bigint', value: (r) => r.responsibleAttorneyId },
  { name: 'billing_partner_id', type: 'bigint', value: (r) => r.billingPartnerId },
  { name: 'billing_coordinator_id', type: 'bigint', value: (r) => r.billingCoordinatorId },
  { name: 'budget_cents', type: 'bigint', value: (r) => r.budget },
  { name: 'status', type: 'text', value: (r) => r.status },
  { name: 'opened_on', type: 'date', value: (r) => r.openedOn },
  { name: 'closed_on', type: 'date', value: (r) => r.closedOn },
  { name: 'restricted', type: 'boolean', value: (r) => r.restricted },
];

/** Matters, keyed by matter code (the LEDES LAW_FIRM_MATTER_ID). */
export const matters = defineKind<MatterRow, ResolvedMatter, StoredMatter>({
  kind: 'matters',
  resource: 'matter',
  columns: [
    'matter_code',
    'client_code',
    'client_matter_id',
    'name',
    'practice_area',
    'jurisdiction',
    'office',
    'fee_arrangement',
    'fee_amount',
    'responsible_attorney',
    'billing_partner',
    'billing_coordinator',
    'budget',
    'status',
    'opened_on',
    'closed_on',
    'restricted',
  ],
  keyColumns: ['matter_code'],
  parse(cells) {
    const r: MatterRow = {
      matterCode: cells.code('matter_code'),
      clientCode: cells.code('client_code'),
      clientMatterId: cells.optionalText('client_matter_id', 20),
      name: cells.requiredText('name'),
      practiceArea: cells.requiredText('practice_area'),
      jurisdiction: cells.optionalText('jurisdiction'),
      office: cells.optionalText('office'),
      feeArrangement: cells.choice('fee_arrangement', FEE_ARRANGEMENTS),
      feeAmount: cells.optionalHundredths('fee_amount', { min: 0 }),
      responsibleAttorney: cells.code('responsible_attorney'),
      billingPartner: cells.code('billing_partner'),
      billingCoordinator: cells.optionalEmail('billing_coordinator'),
      budget: cells.optionalHundredths('budget', { min: 0 }),
      status: cells.choice('status', MATTER_STATUSES, 'open'),
      openedOn: cells.date('opened_on'),
      closedOn: cells.optionalDate('closed_on'),
      restricted: cells.bool('restricted', false),
    };
    const feeBlank = cells.raw('fee_amount').trim() === '';
    if ((r.feeArrangement === 'flat' || r.feeArrangement === 'capped') && feeBlank)
      cells.fail('fee_amount', `is required for a ${r.feeArrangement} fee arrangement`);
    if (r.feeArrangement === 'hourly' && !feeBlank)
      cells.fail('fee_amount', 'must be blank for an hourly fee arrangement');
    if (r.status === 'closed' && cells.raw('closed_on').trim() === '')
      cells.fail('closed_on', 'is required when the status is closed');
    if (r.closedOn !== null && r.openedOn !== '' && r.closedOn < r.openedOn)
      cells.fail('closed_on', `must not be before opened_on (${r.openedOn})`);
    return r;
  },
  key: (r) => r.matterCode,
  async prepare(_db, rows, refs, report) {
    await refs.load({
      clients: rows.map((r) => r.value.clientCode),
      timekeepers: rows.flatMap((r) => [r.value.responsibleAttorney, r.value.billingPartner]),
      users: rows.map((r) => r.value.billingCoordinator),
    });
    return rows.map(({ row, value }) => {
      const client = refs.client(value.clientCode);
      const attorney = refs.timekeeper(value.responsibleAttorney);
      const partner = refs.timekeeper(value.billingPartner);
      const coordinator = value.billingCoordinator && refs.user(value.billingCoordinator);
      if (!client) report(row, 'client_code', `unknown client "${value.clientCode}"`);
      if (!attorney)
        report(row, 'responsible_attorney', `unknown timekeeper "${value.responsibleAttorney}"`);
      if (!partner) report(row, 'billing_partner', `unknown timekeeper "${value.billingPartner}"`);
      if (coordinator === undefined)
        report(row, 'billing_coordinator', `no user with e-mail "${value.billingCoordinator}"`);
      if (!client || !attorney || !partner || coordinator === undefined) return undefined;
      return {
        ...value,
        clientId: client.id,
        responsibleAttorneyId: attorney.id,
        billingPartnerId: partner.id,
        billingCoordinatorId: coordinator ? coordinator.id : null,
      };
    });
  },
  async loadExisting(db, values) {
    const rows = await db
      .selectFrom('matter')
      .select(STORED)
      .where(sql<boolean>`matter_code = any(${values.map((v) => v.matterCode)})`)
      .execute();
    return new Map(rows.map((r) => [r.matter_code, r]));
  },
  storedKey: (r) => r.matterCode,
  compare: (e, r) =>
    sameValues([
      [e.client_id, r.clientId],
      [e.client_matter_id, r.clientMatterId],
      [e.name, r.name],
      [e.practice_area, r.practiceArea],
      [e.jurisdiction, r.jurisdiction],
      [e.office, r.office],
      [e.fee_arrangement, r.feeArrangement],
      [e.fee_amount_cents, r.feeAmount],
      [e.responsible_attorney_id, r.responsibleAttorneyId],
      [e.billing_partner_id, r.billingPartnerId],
      [e.billing_coordinator_id, r.billingCoordinatorId],
      [e.budget_cents, r.budget],
      [e.status, r.status],
      [e.opened_on, r.openedOn],
      [e.closed_on, r.closedOn],
      [e.restricted, r.restricted],
    ])
      ? 'unchanged'
      : 'changed',
  async insert(db, values) {
    await insertRows(
      db,
      'matter',
      [{ name: 'matter_code', type: 'text', value: (r) => r.matterCode }, ...VALUES],
      values,
    );
  },
  async update(db, changes, now) {
    await updateById(db, 'matter', VALUES, changes, now);
  },
  async exportPage(db, after, limit) {
    const rows = await db
      .selectFrom('matter as m')
      .innerJoin('client as c', 'c.id', 'm.client_id')
      .innerJoin('timekeeper as ra', 'ra.id', 'm.responsible_attorney_id')
      .innerJoin('timekeeper as bp', 'bp.id', 'm.billing_partner_id')
      .leftJoin('app_user as u', 'u.id', 'm.billing_coordinator_id')
      .select([
        'm.id',
        'm.matter_code',
        'c.client_code',
        'm.client_matter_id',
        'm.name',
        'm.practice_area',
        'm.jurisdiction',
        'm.office',
        'm.fee_arrangement',
        'm.fee_amount_cents',
        'ra.timekeeper_code as responsible_attorney',
        'bp.timekeeper_code as billing_partner',
        'u.email as billing_coordinator',
        'm.budget_cents',
        'm.status',
        'm.opened_on',
        'm.closed_on',
        'm.restricted',
      ])
      .where('m.active', '=', true)
      .where('m.id', '>', after ?? 0)
      .orderBy('m.id')
      .limit(limit)
      .execute();
    return {
      rows: rows.map((r) => [
        r.matter_code,
        r.client_code,
        cell(r.client_matter_id),
        r.name,
        r.practice_area,
        cell(r.jurisdiction),
        cell(r.office),
        r.fee_arrangement,
        r.fee_amount_cents === null ? '' : formatMoney(r.fee_amount_cents),
        r.responsible_attorney,
        r.billing_partner,
        cell(r.billing_coordinator),
        r.budget_cents === null ? '' : formatMoney(r.budget_cents),
        r.status,
        r.opened_on,
        cell(r.closed_on),
        yesNo(r.restricted),
      ]),
      next: rows.length === limit ? rows[rows.length - 1]!.id : null,
    };
  },
});
