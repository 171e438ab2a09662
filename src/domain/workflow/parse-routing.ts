/**
 * Reading a routing table document (YAML, or JSON, which YAML reads too). A table is accepted
 * whole or rejected with every problem located by line and column, like guideline documents.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Pair } from 'yaml';
import { DocumentReader, joinPath, type GuidelineError } from '../guidelines/document-reader.js';
import { scalarText } from '../guidelines/param-values.js';
import { parseMoney, type Cents } from '../money.js';
import { FEE_ARRANGEMENTS, type FeeArrangement } from '../roles.js';
import {
  isRoleRef,
  MATTER_ROLE_REFS,
  type Route,
  type RoleRef,
  type RouteMatch,
  type RoutingRule,
  type RoutingTable,
} from './routing.js';

/** One problem in a routing table document; line and column are 1-based. */
export type RoutingError = GuidelineError;
export type ParseRoutingResult = { table: RoutingTable } | { errors: RoutingError[] };

const TABLE_KEYS = ['id', 'name', 'description', 'rules', 'default'];
const RULE_KEYS = ['id', 'description', 'match', 'reviewer', 'approvers'];
const ROUTE_KEYS = ['reviewer', 'approvers'];
const MATCH_KEYS = [
  'practice_area',
  'client',
  'office',
  'jurisdiction',
  'fee_arrangement',
  'min_amount',
  'max_amount',
];
const TEXT_MATCHES = [
  ['practice_area', 'practiceArea'],
  ['client', 'client'],
  ['office', 'office'],
  ['jurisdiction', 'jurisdiction'],
] as const;
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const ID_RULE = 'id must be 1–64 letters, digits, ".", "_" or "-"';
/** Sign-off chains longer than this are a routing mistake, not a policy. */
const MAX_LEVELS = 5;
const REF_HELP = `${MATTER_ROLE_REFS.join(', ')} or user:<email>`;

/** Parses and validates a routing table; every problem is reported, not just the first. */
export function parseRoutingTable(text: string): ParseRoutingResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    // Broken YAML: its structure cannot be trusted for further checks.
    return {
      errors: doc.errors.map((e) => {
        const pos = lines.linePos(e.pos[0]);
        return {
          line: pos.line,
          column: pos.col,
          path: '',
          message: e.message.split('\n')[0] ?? e.message,
        };
      }),
    };
  }
  const reader = new DocumentReader(text, lines);
  const root = doc.contents;
  if (!isMap(root)) {
    reader.error(root, '', 'a routing table is a map with id, name, rules and default');
    return { errors: reader.errors };
  }
  const pairs = reader.pairs(root, '', TABLE_KEYS);
  const id = reader.text(pairs, 'id', root, '', (v) => (ID_PATTERN.test(v) ? null : ID_RULE));
  const name = reader.text(pairs, 'name', root, '');
  if (pairs.has('description')) reader.text(pairs, 'description', root, '');

  const rules: RoutingRule[] = [];
  const rulesPair = pairs.get('rules');
  if (rulesPair === undefined)
    reader.error(root, '', 'missing rules (use [] for a table with only a default)');
  else if (!isSeq(rulesPair.value))
    reader.error(rulesPair.value ?? rulesPair.key, 'rules', 'rules must be a list');
  else {
    const firstLineOfId = new Map<string, number>();
    rulesPair.value.items.forEach((item, index) => {
      const rule = readRule(reader, item, `rules[${index}]`, firstLineOfId);
      if (rule !== undefined) rules.push(rule);
    });
  }
  const defaultPair = pairs.get('default');
  let fallback: Route | undefined;
  if (defaultPair === undefined)
    reader.error(root, '', 'missing default (the route when no rule matches)');
  else if (!isMap(defaultPair.value))
    reader.error(
      defaultPair.value ?? defaultPair.key,
      'default',
      'default is a map with reviewer and approvers',
    );
  else
    fallback = readRoute(
      reader,
      reader.pairs(defaultPair.value, 'default', ROUTE_KEYS),
      defaultPair.value,
      'default',
    );

  reader.errors.sort((a, b) => a.line - b.line || a.column - b.column);
  if (reader.errors.length > 0 || id === undefined || name === undefined || fallback === undefined)
    return { errors: reader.errors };
  return { table: { id, name, rules, default: fallback } };
}

function readRule(
  reader: DocumentReader,
  node: unknown,
  path: string,
  firstLineOfId: Map<string, number>,
): RoutingRule | undefined {
  if (!isMap(node)) {
    reader.error(node, path, 'a rule is a map with id, match, reviewer and approvers');
    return undefined;
  }
  const pairs = reader.pairs(node, path, RULE_KEYS);
  const id = reader.text(pairs, 'id', node, path, (v) => (ID_PATTERN.test(v) ? null : ID_RULE));
  if (id !== undefined) {
    const idNode = pairs.get('id')?.value;
    const first = firstLineOfId.get(id);
    if (first === undefined) firstLineOfId.set(id, reader.position(idNode).line);
    else
      reader.error(
        idNode,
        `${path}.id`,
        `duplicate rule id "${id}" (first used on line ${first}); rule ids must be unique`,
      );
  }
  if (pairs.has('description')) reader.text(pairs, 'description', node, path);
  const matchPair = pairs.get('match');
  let match: RouteMatch | undefined;
  if (matchPair === undefined)
    reader.error(node, path, 'missing match (use {} to match every invoice)');
  else if (!isMap(matchPair.value))
    reader.error(matchPair.value ?? matchPair.key, `${path}.match`, 'match must be a map');
  else
    match = readMatch(
      reader,
      reader.pairs(matchPair.value, `${path}.match`, MATCH_KEYS),
      `${path}.match`,
    );
  const route = readRoute(reader, pairs, node, path);
  if (id === undefined || match === undefined || route === undefined) return undefined;
  return { id, match, ...route };
}

function readMatch(
  reader: DocumentReader,
  pairs: Map<string, Pair>,
  path: string,
): RouteMatch | undefined {
  const before = reader.errors.length;
  const match: { -readonly [K in keyof RouteMatch]: RouteMatch[K] } = {};
  for (const [key, field] of TEXT_MATCHES) {
    const values = readTextList(reader, pairs.get(key), joinPath(path, key));
    if (values !== undefined) match[field] = values;
  }
  const fees = readTextList(
    reader,
    pairs.get('fee_arrangement'),
    joinPath(path, 'fee_arrangement'),
    (v) =>
      (FEE_ARRANGEMENTS as readonly string[]).includes(v)
        ? null
        : `fee_arrangement must be one of ${FEE_ARRANGEMENTS.join(', ')} (got "${v}")`,
  );
  if (fees !== undefined) match.feeArrangement = fees as FeeArrangement[];
  const min = readAmount(reader, pairs.get('min_amount'), joinPath(path, 'min_amount'));
  const max = readAmount(reader, pairs.get('max_amount'), joinPath(path, 'max_amount'));
  if (min !== undefined) match.minAmountCents = min;
  if (max !== undefined) match.maxAmountCents = max;
  if (min !== undefined && max !== undefined && min > max)
    reader.error(
      pairs.get('min_amount')?.value,
      joinPath(path, 'min_amount'),
      'min_amount is above max_amount, so the rule can never match',
    );
  return reader.errors.length === before ? match : undefined;
}

/** A text condition: one value or a non-empty list of values. */
function readTextList(
  reader: DocumentReader,
  pair: Pair | undefined,
  path: string,
  check: (value: string) => string | null = () => null,
): string[] | undefined {
  if (pair === undefined) return undefined;
  const items = isSeq(pair.value) ? pair.value.items : [pair.value];
  if (items.length === 0) {
    reader.error(
      pair.value,
      path,
      'an empty list matches nothing; leave the key out to match anything',
    );
    return undefined;
  }
  const values: string[] = [];
  for (const item of items) {
    const value = isScalar(item) && typeof item.value === 'string' ? item.value.trim() : '';
    const problem = value === '' ? 'expected text or a list of text' : check(value);
    if (problem === null) values.push(value);
    else reader.error(item ?? pair.key, path, problem);
  }
  return values.length === items.length ? values : undefined;
}

function readAmount(
  reader: DocumentReader,
  pair: Pair | undefined,
  path: string,
): Cents | undefined {
  if (pair === undefined) return undefined;
  const text = scalarText(pair.value, reader.source);
  const cents = text === null ? null : parseMoney(text);
  if (cents === null || cents < 0) {
    reader.error(
      pair.value ?? pair.key,
      path,
      `amounts are decimals with at most 2 decimals, e.g. "50000.00" (got ${JSON.stringify(text ?? '?')})`,
    );
    return undefined;
  }
  return cents;
}

function readRoute(
  reader: DocumentReader,
  pairs: Map<string, Pair>,
  where: unknown,
  path: string,
): Route | undefined {
  const reviewer = reader.text(pairs, 'reviewer', where, path, (v) =>
    isRoleRef(v) ? null : `reviewer must be ${REF_HELP} (got "${v}")`,
  );
  const approversPair = pairs.get('approvers');
  const approversPath = joinPath(path, 'approvers');
  let approvers: RoleRef[] | undefined;
  if (approversPair === undefined) reader.error(where, path, 'missing approvers');
  else if (
    !isSeq(approversPair.value) ||
    approversPair.value.items.length === 0 ||
    approversPair.value.items.length > MAX_LEVELS
  )
    reader.error(
      approversPair.value ?? approversPair.key,
      approversPath,
      `approvers must be a list of 1 to ${MAX_LEVELS} levels`,
    );
  else {
    approvers = [];
    for (const [index, item] of approversPair.value.items.entries()) {
      const ref = isScalar(item) && typeof item.value === 'string' ? item.value : '';
      if (!isRoleRef(ref))
        reader.error(
          item,
          `${approversPath}[${index}]`,
          `an approver must be ${REF_HELP} (got "${ref}")`,
        );
      // The same person signing twice would make the second level meaningless.
      else if (approvers.includes(ref))
        reader.error(
          item,
          `${approversPath}[${index}]`,
          `${ref} is already an earlier approval level`,
        );
      else approvers.push(ref);
    }
    if (approvers.length !== approversPair.value.items.length) approvers = undefined;
  }
  return reviewer === undefined || approvers === undefined
    ? undefined
    : { reviewer: reviewer as RoleRef, approvers };
}
