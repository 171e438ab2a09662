/** Validating a rule's params against its kind's param table, filling defaults. */
import { isMap, isScalar, type Pair } from 'yaml';
import type { DocumentReader } from './document-reader.js';
import {
  describeParams,
  PARAM_TYPE_LABELS,
  RULE_KINDS,
  type ParamSpec,
  type RuleKind,
} from './param-schemas.js';
import { readParamValue, scalarText } from './param-values.js';

/** The typed params of a rule with every default filled in, or undefined after reporting the problems. */
export function readParams(
  reader: DocumentReader,
  kind: RuleKind,
  pair: Pair | undefined,
  ruleNode: unknown,
  path: string,
): Record<string, unknown> | undefined {
  const specs = RULE_KINDS[kind].params as Readonly<Record<string, ParamSpec>>;
  const valid = `valid params of ${kind}: ${describeParams(kind)}`;
  const params: Record<string, unknown> = {};
  const before = reader.errors.length;
  const given = new Set<string>();
  if (pair !== undefined && !(isScalar(pair.value) && pair.value.value === null)) {
    if (!isMap(pair.value)) {
      reader.error(pair.value ?? pair.key, path, `params must be a map; ${valid}`);
      return undefined;
    }
    for (const param of pair.value.items) {
      const name = scalarText(param.key, reader.source) ?? '';
      const spec = specs[name];
      if (spec === undefined) {
        reader.error(
          param.key,
          `${path}.${name}`,
          `unknown param "${name}" for kind ${kind}; ${valid}`,
        );
        continue;
      }
      const read = readParamValue(spec.type, param.value, reader.source);
      if (read.ok) {
        params[name] = read.value;
        if (read.value !== null) given.add(name);
      } else {
        const at = read.node ?? param.value ?? param.key;
        const offset = read.offset === undefined ? 0 : celOffset(at, read.offset, reader.source);
        reader.error(
          at,
          `${path}.${name}`,
          `param "${name}" of ${kind} must be ${labelOf(spec)} (${read.problem}); ${valid}`,
          offset,
        );
      }
    }
  }
  const where = pair?.value ?? ruleNode;
  for (const [name, spec] of Object.entries(specs)) {
    if (name in params) continue;
    if ('default' in spec) params[name] = spec.default;
    // A required param given with a bad value was reported already; do not also call it missing.
    else if (!hasParam(pair, name, reader.source)) {
      reader.error(where, `${path}.${name}`, `missing param "${name}" for kind ${kind}; ${valid}`);
    }
  }
  const oneOf = (RULE_KINDS[kind] as { oneOf?: readonly string[] }).oneOf;
  if (
    oneOf !== undefined &&
    reader.errors.length === before &&
    !oneOf.some((name) => given.has(name) && !isEmptyMap(params[name]))
  ) {
    reader.error(where, path, `${kind} needs at least one of ${oneOf.join(', ')}; ${valid}`);
  }
  return reader.errors.length === before ? params : undefined;
}

function hasParam(pair: Pair | undefined, name: string, source: string): boolean {
  return isMap(pair?.value) && pair.value.items.some((p) => scalarText(p.key, source) === name);
}

function isEmptyMap(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length === 0
  );
}

function labelOf(spec: ParamSpec): string {
  return PARAM_TYPE_LABELS[spec.type];
}

/** Where inside a one-line scalar a CEL offset falls: quoted scalars start one character later. */
function celOffset(node: unknown, offset: number, source: string): number {
  if (!isScalar(node) || !node.range) return 0;
  const raw = source.slice(node.range[0], node.range[1]);
  const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
  const inner = quoted ? raw.slice(1) : raw;
  if (node.type !== 'PLAIN' && !quoted) return 0;
  if (inner.slice(0, offset).includes('\n')) return 0;
  return offset + (quoted ? 1 : 0);
}
