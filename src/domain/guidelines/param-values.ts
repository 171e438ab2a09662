/**
 * Turning a YAML param value into its typed form (hours in hundredths, money in cents), or a
 * message saying what was expected. Numbers are read from their source text, never through a
 * float, so "0.1" is exactly 10 hundredths.
 */
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { parseHours, parseMoney, parseScaled } from '../money.js';
import { CLASSIFICATIONS, type Classification } from '../roles.js';
import { UTBMS_CODE_PATTERN } from '../codes.js';
import { ENTRY_FIELDS, TASK_SETS, type ParamType, type ParamValues } from './param-schemas.js';
import { checkExpression } from './kinds/expression.js';

export type ParamRead<T> =
  | { readonly ok: true; readonly value: T }
  /** `node` narrows the position to the offending item; `offset` points into a text value. */
  | {
      readonly ok: false;
      readonly problem: string;
      readonly node?: Node;
      readonly offset?: number;
    };

const fail = (problem: string, node?: Node, offset?: number): ParamRead<never> => ({
  ok: false,
  problem,
  ...(node === undefined ? {} : { node }),
  ...(offset === undefined ? {} : { offset }),
});
const ok = <T>(value: T): ParamRead<T> => ({ ok: true, value });

/** A scalar's text as written: numbers from the document source, strings as parsed. */
export function scalarText(node: unknown, source: string): string | null {
  if (!isScalar(node)) return null;
  if (typeof node.value === 'string') return node.value;
  if (typeof node.value === 'number' && node.range) {
    return source.slice(node.range[0], node.range[1]).trim();
  }
  return null;
}

function shown(node: unknown, source: string): string {
  if (isMap(node)) return 'a map';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) return JSON.stringify(scalarText(node, source) ?? node.value);
  return 'nothing';
}

export function readParamValue<T extends ParamType>(
  type: T,
  node: unknown,
  source: string,
): ParamRead<ParamValues[T]> {
  return readAny(type, node, source) as ParamRead<ParamValues[T]>;
}

function readAny(type: ParamType, node: unknown, source: string): ParamRead<unknown> {
  const got = `got ${shown(node, source)}`;
  const text = scalarText(node, source);
  switch (type) {
    case 'hours': {
      const hours = text === null ? null : parseHours(text);
      return hours !== null && hours > 0 ? ok(hours) : fail(got);
    }
    case 'money': {
      const cents = text === null ? null : parseMoney(text);
      return cents !== null && cents >= 0 ? ok(cents) : fail(got);
    }
    case 'integer':
    case 'percent': {
      const value = isScalar(node) && typeof node.value === 'number' ? node.value : NaN;
      const [min, max] = type === 'percent' ? [1, 1000] : [0, Number.MAX_SAFE_INTEGER];
      return Number.isSafeInteger(value) && value >= min && value <= max ? ok(value) : fail(got);
    }
    case 'boolean':
      return isScalar(node) && typeof node.value === 'boolean' ? ok(node.value) : fail(got);
    case 'string':
      return isScalar(node) && typeof node.value === 'string' && node.value.trim() !== ''
        ? ok(node.value)
        : fail(got);
    case 'task_set':
      return text !== null && (TASK_SETS as readonly string[]).includes(text)
        ? ok(text)
        : fail(got);
    case 'factor': {
      const scaled = text === null ? null : parseScaled(text, 4);
      return scaled !== null && scaled >= 0 && scaled <= 10_000 ? ok(text) : fail(got);
    }
    case 'expression': {
      if (!isScalar(node) || typeof node.value !== 'string') return fail(got);
      const problem = checkExpression(node.value);
      return problem === null
        ? ok(node.value)
        : fail(`CEL: ${problem.message}`, node, problem.offset);
    }
    case 'terms':
      return readList(node, source, (item) => (item.trim() === '' ? 'an empty term' : null), 1);
    case 'codes':
      return readList(node, source, (item) =>
        UTBMS_CODE_PATTERN.test(item) ? null : `"${item}" is not a code`,
      );
    case 'fields':
      return readList(node, source, (item) =>
        (ENTRY_FIELDS as readonly string[]).includes(item) ? null : `unknown field "${item}"`,
      );
    case 'classifications':
      return readList(node, source, (item) =>
        isClassification(item) ? null : `unknown classification "${item}"`,
      );
    case 'classification_rates':
      return readClassificationRates(node, source);
  }
}

function isClassification(text: string): text is Classification {
  return (CLASSIFICATIONS as readonly string[]).includes(text);
}

function readList(
  node: unknown,
  source: string,
  problemOf: (item: string) => string | null,
  minItems = 0,
): ParamRead<string[]> {
  if (!isSeq(node)) return fail(`got ${shown(node, source)}`);
  const values: string[] = [];
  for (const item of node.items) {
    const text = scalarText(item, source);
    if (text === null) return fail(`got ${shown(item, source)} in the list`, item as Node);
    const problem = problemOf(text);
    if (problem !== null) return fail(problem, item as Node);
    values.push(text);
  }
  if (values.length < minItems) return fail('got an empty list');
  return ok(values);
}

function readClassificationRates(
  node: unknown,
  source: string,
): ParamRead<Partial<Record<Classification, number>>> {
  if (!isMap(node)) return fail(`got ${shown(node, source)}`);
  const rates: Partial<Record<Classification, number>> = {};
  for (const pair of node.items) {
    const key = scalarText(pair.key, source);
    if (key === null || !isClassification(key)) {
      return fail(`unknown classification ${shown(pair.key, source)}`, pair.key as Node);
    }
    const cents = scalarText(pair.value, source);
    const value = cents === null ? null : parseMoney(cents);
    if (value === null || value < 0) {
      return fail(`rate for ${key} ${shown(pair.value, source)} is not money`, pair.value as Node);
    }
    rates[key] = value;
  }
  return ok(rates);
}
