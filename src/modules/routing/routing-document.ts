import type { Kysely } from 'kysely';
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { DB } from '../../db/schema.js';
import type { FieldIssue } from '../../domain/errors.js';
import { validationError } from '../../domain/errors.js';
import { parseRoutingTable, type RoleRef, type RoutingTable } from '../../domain/workflow/index.js';
import { findActiveUsersByEmail } from './routing.repository.js';

const USER_PREFIX = 'user:';

/**
 * Parses a routing table document and checks that every `user:<email>` it names is an active
 * user. The document is accepted whole or rejected with ROUTING_TABLE_INVALID listing every
 * problem by line and column, unknown users included, so it can be fixed in one pass.
 */
export async function readRoutingDocument(db: Kysely<DB>, text: string): Promise<RoutingTable> {
  const issues: FieldIssue[] = [];
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    // The database cannot store NUL in text, and no routing table needs one.
    const before = text.slice(0, nul);
    issues.push({
      line: before.split('\n').length,
      column: nul - before.lastIndexOf('\n'),
      field: '',
      message: 'the document contains a NUL character',
    });
  }
  const parsed = parseRoutingTable(text);
  if ('errors' in parsed)
    for (const e of parsed.errors)
      issues.push({ line: e.line, column: e.column, field: e.path, message: e.message });
  else issues.push(...(await unknownUsers(db, text, parsed.table)));

  if (issues.length > 0 || !('table' in parsed)) {
    issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
    throw validationError(
      'ROUTING_TABLE_INVALID',
      `The routing table has ${issues.length} problem(s); nothing was changed.`,
      issues,
    );
  }
  return parsed.table;
}

/** Every place the table names a user who does not exist or is no longer active. */
async function unknownUsers(
  db: Kysely<DB>,
  text: string,
  table: RoutingTable,
): Promise<FieldIssue[]> {
  const refs = new Set<RoleRef>();
  for (const route of [...table.rules, table.default])
    for (const ref of [route.reviewer, ...route.approvers])
      if (ref.startsWith(USER_PREFIX)) refs.add(ref);
  if (refs.size === 0) return [];
  const emails = [...refs].map((ref) => ref.slice(USER_PREFIX.length));
  const known = new Set(
    (await findActiveUsersByEmail(db, emails)).map((u) => u.email.toLowerCase()),
  );
  const missing = new Set(
    [...refs].filter((ref) => !known.has(ref.slice(USER_PREFIX.length).toLowerCase())),
  );
  if (missing.size === 0) return [];

  // The parsed table has no positions, so find each written reference in the YAML again.
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const issues: FieldIssue[] = [];
  const routes: [unknown, string][] = [[doc.get('default', true), 'default']];
  const rules = doc.get('rules', true);
  if (isSeq(rules)) rules.items.forEach((rule, i) => routes.push([rule, `rules[${i}]`]));
  for (const [route, path] of routes) {
    if (!isMap(route)) continue;
    const reviewer = route.get('reviewer', true);
    const approvers = route.get('approvers', true);
    const written: [unknown, string][] = [[reviewer, `${path}.reviewer`]];
    if (isSeq(approvers))
      approvers.items.forEach((item, i) => written.push([item, `${path}.approvers[${i}]`]));
    for (const [node, field] of written) {
      if (!isScalar(node) || !missing.has(node.value as RoleRef)) continue;
      const pos = lines.linePos(node.range?.[0] ?? 0);
      const email = String(node.value).slice(USER_PREFIX.length);
      issues.push({
        line: pos.line,
        column: pos.col,
        field,
        message: `no active user with email "${email}"; add the user first or name a role`,
      });
    }
  }
  return issues;
}
