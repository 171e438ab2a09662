import { sql } from 'kysely';
import { EBILLING_FORMATS } from '../../../domain/roles.js';
import type { BulkColumn } from '../bulk.js';
import { insertRows, updateById } from '../bulk.js';
import { cell } from '../cells.js';
import { defineKind, sameValues } from '../kind.js';

interface ClientRow {
  clientCode: string;
  name: string;
  currency: string;
  ebillingFormat: string;
  ebillingClientId: string | null;
  lawFirmId: string | null;
}

interface StoredClient {
  id: number;
  client_code: string;
  name: string;
  currency: string;
  ebilling_format: string;
  ebilling_client_id: string | null;
  law_firm_id: string | null;
}

const VALUES: BulkColumn<ClientRow>[] = [
  { name: 'name', type: 'text', value: (r) => r.name },
  { name: 'currency', type: 'text', value: (r) => r.currency },
  { name: 'ebilling_format', type: 'text', value: (r) => r.ebillingFormat },
  { name: 'ebilling_client_id', type: 'text', value: (r) => r.ebillingClientId },
  { name: 'law_firm_id', type: 'text', value: (r) => r.lawFirmId },
];

/** Clients and their e-billing profile, keyed by client code. */
export const clients = defineKind<ClientRow, ClientRow, StoredClient>({
  kind: 'clients',
  resource: 'client',
  columns: [
    'client_code',
    'name',
    'currency',
    'ebilling_format',
    'ebilling_client_id',
    'law_firm_id',
  ],
  keyColumns: ['client_code'],
  parse: (cells) => ({
    clientCode: cells.code('client_code'),
    name: cells.requiredText('name'),
    currency: cells.currency('currency'),
    ebillingFormat: cells.choice('ebilling_format', EBILLING_FORMATS, 'none'),
    // LEDES 1998B CLIENT_ID and LAW_FIRM_ID are Char*20 fields.
    ebillingClientId: cells.optionalText('ebilling_client_id', 20),
    lawFirmId: cells.optionalText('law_firm_id', 20),
  }),
  key: (r) => r.clientCode,
  prepare: async (_db, rows) => rows.map((r) => r.value),
  async loadExisting(db, values) {
    const rows = await db
      .selectFrom('client')
      .select([
        'id',
        'client_code',
        'name',
        'currency',
        'ebilling_format',
        'ebilling_client_id',
        'law_firm_id',
      ])
      .where(sql<boolean>`client_code = any(${values.map((v) => v.clientCode)})`)
      .execute();
    return new Map(rows.map((r) => [r.client_code, r]));
  },
  storedKey: (r) => r.clientCode,
  compare: (e, r) =>
    sameValues([
      [e.name, r.name],
      [e.currency, r.currency],
      [e.ebilling_format, r.ebillingFormat],
      [e.ebilling_client_id, r.ebillingClientId],
      [e.law_firm_id, r.lawFirmId],
    ])
      ? 'unchanged'
      : 'changed',
  async insert(db, values) {
    await insertRows(
      db,
      'client',
      [{ name: 'client_code', type: 'text', value: (r) => r.clientCode }, ...VALUES],
      values,
    );
  },
  async update(db, changes, now) {
    await updateById(db, 'client', VALUES, changes, now);
  },
  async exportPage(db, after, limit) {
    const rows = await db
      .selectFrom('client')
      .select([
        'id',
        'client_code',
        'name',
        'currency',
        'ebilling_format',
        'ebilling_client_id',
        'law_firm_id',
      ])
      .where('active', '=', true)
      .where('id', '>', after ?? 0)
      .orderBy('id')
      .limit(limit)
      .execute();
    return {
      rows: rows.map((r) => [
        r.client_code,
        r.name,
        r.currency,
        r.ebilling_format,
        cell(r.ebilling_client_id),
        cell(r.law_firm_id),
      ]),
      next: rows.length === limit ? rows[rows.length - 1]!.id : null,
    };
  },
});
