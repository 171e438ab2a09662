/**
 * Reading a guideline document (YAML, or JSON, which YAML reads too). A document is accepted
 * whole or rejected with every problem located by line and column, so legal ops can fix an
 * imported client guideline in one pass.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { isIsoDate } from '../dates.js';
import { DocumentReader, type GuidelineError } from './document-reader.js';
import {
  RULE_OWNERS,
  SEVERITIES,
  type Guideline,
  type GuidelineRule,
  type RuleOwner,
  type Severity,
} from './guideline.types.js';
import { isRuleKind, RULE_KIND_NAMES, RULE_KINDS, type RuleKind } from './param-schemas.js';
import { scalarText } from './param-values.js';
import { readParams } from './read-params.js';

export type { GuidelineError } from './document-reader.js';

export type ParseGuidelineResult = { guideline: Guideline } | { errors: GuidelineError[] };

const DOCUMENT_KEYS = ['id', 'client', 'name', 'effective_from', 'rules', 'description'];
const RULE_KEYS = ['id', 'kind', 'params', 'severity', 'owner', 'message', 'enabled'];
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const CLIENT_PATTERN = /^(?:\*|[A-Za-z0-9][A-Za-z0-9._/-]{0,19})$/;

/** Parses and validates a guideline document; every problem is reported, not just the first. */
export function parseGuideline(text: string): ParseGuidelineResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const reader = new DocumentReader(text, lines);
  if (doc.errors.length > 0) {
    // The YAML itself is broken, so its structure cannot be trusted for further checks.
    const errors = doc.errors.map((e) => {
      const pos = lines.linePos(e.pos[0]);
      return {
        line: pos.line,
        column: pos.col,
        path: '',
        message: e.message.split('\n')[0] ?? e.message,
      };
    });
    return { errors };
  }
  const root = doc.contents;
  if (!isMap(root)) {
    reader.error(root, '', 'a guideline is a map with id, client, name, effective_from and rules');
    return { errors: reader.errors };
  }
  const pairs = reader.pairs(root, '', DOCUMENT_KEYS);
  const id = reader.text(pairs, 'id', root, '', (v) =>
    ID_PATTERN.test(v) ? null : 'id must be 1–64 letters, digits, ".", "_" or "-"',
  );
  const client = reader.text(pairs, 'client', root, '', (v) =>
    CLIENT_PATTERN.test(v)
      ? null
      : 'client must be a client code or "*" for the firm-wide guideline',
  );
  const name = reader.text(pairs, 'name', root, '');
  const effectiveFrom = reader.text(pairs, 'effective_from', root, '', (v) =>
    isIsoDate(v) ? null : `effective_from must be a date as YYYY-MM-DD (got "${v}")`,
  );
  if (pairs.has('description')) reader.text(pairs, 'description', root, '');

  const rules: GuidelineRule[] = [];
  const disabledRuleIds: string[] = [];
  const rulesPair = pairs.get('rules');
  if (rulesPair === undefined) {
    reader.error(root, '', 'missing rules');
  } else if (!isSeq(rulesPair.value)) {
    reader.error(rulesPair.value ?? rulesPair.key, 'rules', 'rules must be a list');
  } else {
    const firstLineOfId = new Map<string, number>();
    rulesPair.value.items.forEach((item, index) => {
      readRule(reader, item, `rules[${index}]`, firstLineOfId, rules, disabledRuleIds);
    });
  }

  reader.errors.sort((a, b) => a.line - b.line || a.column - b.column);
  if (
    reader.errors.length > 0 ||
    id === undefined ||
    client === undefined ||
    name === undefined ||
    effectiveFrom === undefined
  ) {
    return { errors: reader.errors };
  }
  return { guideline: { id, client, name, effectiveFrom, rules, disabledRuleIds } };
}

function readRule(
  reader: DocumentReader,
  node: unknown,
  path: string,
  firstLineOfId: Map<string, number>,
  rules: GuidelineRule[],
  disabledRuleIds: string[],
): void {
  if (!isMap(node)) {
    reader.error(node, path, 'a rule is a map with id, kind, params, severity and owner');
    return;
  }
  const pairs = reader.pairs(node, path, RULE_KEYS);
  const id = reader.text(pairs, 'id', node, path, (v) =>
    ID_PATTERN.test(v) ? null : 'id must be 1–64 letters, digits, ".", "_" or "-"',
  );
  if (id !== undefined) {
    const idNode = pairs.get('id')?.value;
    const line = reader.position(idNode).line;
    const first = firstLineOfId.get(id);
    if (first === undefined) firstLineOfId.set(id, line);
    else
      reader.error(
        idNode,
        `${path}.id`,
        `duplicate rule id "${id}" (first used on line ${first}); rule ids must be unique`,
      );
  }

  const enabledPair = pairs.get('enabled');
  let enabled = true;
  if (enabledPair !== undefined) {
    if (isScalar(enabledPair.value) && typeof enabledPair.value.value === 'boolean')
      enabled = enabledPair.value.value;
    else
      reader.error(
        enabledPair.value ?? enabledPair.key,
        `${path}.enabled`,
        'enabled must be true or false',
      );
  }
  // `{ id, enabled: false }` alone switches off the firm-wide rule with that id.
  if (
    !enabled &&
    !pairs.has('kind') &&
    !pairs.has('params') &&
    !pairs.has('severity') &&
    !pairs.has('owner')
  ) {
    if (id !== undefined) disabledRuleIds.push(id);
    return;
  }

  const kindPair = pairs.get('kind');
  let kind: RuleKind | undefined;
  if (kindPair === undefined) {
    reader.error(node, path, `missing kind; valid kinds: ${RULE_KIND_NAMES.join(', ')}`);
  } else {
    const text = scalarText(kindPair.value, reader.source);
    if (text !== null && isRuleKind(text)) kind = text;
    else
      reader.error(
        kindPair.value ?? kindPair.key,
        `${path}.kind`,
        `unknown kind ${JSON.stringify(text ?? '')}; valid kinds: ${RULE_KIND_NAMES.join(', ')}`,
      );
  }
  const severity = reader.oneOf<Severity>(pairs, 'severity', SEVERITIES, node, path);
  const owner = reader.oneOf<RuleOwner>(pairs, 'owner', RULE_OWNERS, node, path);
  const message = pairs.has('message') ? reader.text(pairs, 'message', node, path) : undefined;
  if (kind !== undefined && severity === 'adjust' && !RULE_KINDS[kind].adjustable) {
    reader.error(
      pairs.get('severity')?.value,
      `${path}.severity`,
      `severity adjust is not available for ${kind}: it has no correction to make; use block or warn`,
    );
  }
  const params =
    kind === undefined
      ? undefined
      : readParams(reader, kind, pairs.get('params'), node, `${path}.params`);
  if (
    id === undefined ||
    kind === undefined ||
    severity === undefined ||
    owner === undefined ||
    params === undefined
  )
    return;
  rules.push({
    id,
    kind,
    params,
    severity,
    owner,
    enabled,
    ...(message === undefined ? {} : { message }),
  } as GuidelineRule);
}
