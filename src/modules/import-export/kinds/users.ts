import { sql } from 'kysely';
import type { Role } from '../../../domain/roles.js';
import { isRole, ROLES } from '../../../domain/roles.js';
import type { BulkColumn } from '../bulk.js';
import { insertRows, updateById } from '../bulk.js';
import { cell } from '../cells.js';
import { defineKind } from '../kind.js';

interface UserRow {
  email: string;
  name: string;
  roles: Role[];
  timekeeperCode: string | null;
  timekeeperId: number | null;
}

interface StoredUser {
  id: number;
  email: string;
  name: string;
  roles: string[];
  timekeeper_id: number | null;
}

const VALUES: BulkColumn<UserRow>[] = [
  { name: 'email', type: 'text', value: (r) => r.email },
  { name: 'name', type: 'text', value: (r) => r.name },
  { name: 'roles', type: 'text', cast: 'text[]', value: (r) => `{${r.roles.join(',')}}` },
  { name: 'timekeeper_id', type: 'bigint', value: (r) => r.timekeeperId },
];

function parseRoles(text: string): { roles: Role[]; unknown: string[] } {
  const words = text
    .split(';')
    .map((word) => word.trim())
    .filter(Boolean);
  const unknown = words.filter((word) => !isRole(word));
  // Stored in the canonical order so that the same set of roles always compares equal.
  return { roles: ROLES.filter((role) => words.includes(role)), unknown };
}

/** Users who sign in to Matterflow, keyed by e-mail (without case). Imported users get no password. */
export const users = defineKind<UserRow, UserRow, StoredUser>({
  kind: 'users',
  resource: 'user',
  columns: ['email', 'name', 'roles', 'timekeeper_code'],
  keyColumns: ['email'],
  // One user per timekeeper is a constraint across rows; user lists are small.
  wholeFile: true,
  parse(cells) {
    const { roles, unknown } = parseRoles(cells.raw('roles'));
    if (unknown.length)
      cells.fail('roles', `unknown role(s) ${unknown.join(', ')}; use ${ROLES.join(', ')}`);
    else if (!roles.length)
      cells.fail('roles', `is required (${ROLES.join(', ')}, separated by ;)`);
    return {
      email: cells.optionalEmail('email', true) ?? '',
      name: cells.requiredText('name'),
      roles,
      timekeeperCode: cells.optionalCode('timekeeper_code'),
      timekeeperId: null,
    };
  },
  key: (r) => r.email.toLowerCase(),
  async prepare(db, rows, refs, report) {
    await refs.load({ timekeepers: rows.map((r) => r.value.timekeeperCode) });
    const linkedTo = new Map<number, number>();
    const resolved = rows.map(({ row, value }) => {
      if (value.timekeeperCode === null) return value;
      const timekeeper = refs.timekeeper(value.timekeeperCode);
      if (!timekeeper) {
        report(row, 'timekeeper_code', `unknown timekeeper "${value.timekeeperCode}"`);
        return undefined;
      }
      const other = linkedTo.get(timekeeper.id);
      if (other !== undefined) {
        report(row, 'timekeeper_code', `row ${other} links timekeeper ${value.timekeeperCode}`);
        return undefined;
      }
      linkedTo.set(timekeeper.id, row);
      value.timekeeperId = timekeeper.id;
      return value;
    });
    if (linkedTo.size === 0) return resolved;
    const emails = new Set(rows.map((r) => r.value.email.toLowerCase()));
    const holders = await db
      .selectFrom('app_user')
      .select(['email', 'timekeeper_id'])
      .where(sql<boolean>`timekeeper_id = any(${[...linkedTo.keys()]})`)
      .execute();
    for (const holder of holders) {
      if (emails.has(holder.email.toLowerCase())) continue;
      const row = linkedTo.get(holder.timekeeper_id!)!;
      const index = rows.findIndex((r) => r.row === row);
      report(row, 'timekeeper_code', `timekeeper is already linked to user ${holder.email}`);
      resolved[index] = undefined;
    }
    return resolved;
  },
  async loadExisting(db, values) {
    const rows = await db
      .selectFrom('app_user')
      .select(['id', 'email', 'name', 'roles', 'timekeeper_id'])
      .where(sql<boolean>`lower(email) = any(${values.map((v) => v.email.toLowerCase())})`)
      .execute();
    return new Map(rows.map((r) => [r.email.toLowerCase(), r]));
  },
  storedKey: (r) => r.email.toLowerCase(),
  compare: (e, r) =>
    e.email === r.email &&
    e.name === r.name &&
    e.timekeeper_id === r.timekeeperId &&
    e.roles.length === r.roles.length &&
    r.roles.every((role) => e.roles.includes(role))
      ? 'unchanged'
      : 'changed',
  async insert(db, values) {
    await insertRows(db, 'app_user', VALUES, values);
  },
  async update(db, changes, now) {
    await updateById(db, 'app_user', VALUES, changes, now);
  },
  async exportPage(db, after, limit) {
    const rows = await db
      .selectFrom('app_user as u')
      .leftJoin('timekeeper as tk', 'tk.id', 'u.timekeeper_id')
      .select(['u.id', 'u.email', 'u.name', 'u.roles', 'tk.timekeeper_code'])
      .where('u.active', '=', true)
      .where('u.id', '>', after ?? 0)
      .orderBy('u.id')
      .limit(limit)
      .execute();
    return {
      rows: rows.map((r) => [
        r.email,
        r.name,
        ROLES.filter((role) => r.roles.includes(role)).join(';'),
        cell(r.timekeeper_code),
      ]),
      next: rows.length === limit ? rows[rows.length - 1]!.id : null,
    };
  },
});
