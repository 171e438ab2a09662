/**
 * Field-level rules: response fields marked with `guarded()` in a schema are replaced by null
 * when the caller's roles may not see their group (docs/security.md, "Field-level rules"). The
 * masking is keyed by the response schema, so a route only has to use marked fields; one hook
 * (`mask-responses.ts`) applies it to every JSON response, and `maskFields` serves files built
 * from the same data.
 */
import type { z } from 'zod';
import type { FieldGroup, FieldVisibility } from '../domain/field-visibility.js';
import { hiddenGroups } from '../domain/field-visibility.js';

const marks = new WeakMap<z.ZodType, readonly FieldGroup[]>();
const hasMarksCache = new WeakMap<z.ZodType, boolean>();

const GROUP_WORDS: Record<FieldGroup, string> = {
  rates: 'rates and amounts',
  reasons: 'write-down reasons',
};

/**
 * Marks a response field as belonging to field groups: it becomes nullable, and is null for a
 * caller whose roles may not see any one of the groups. The TypeScript type stays the field's
 * own: services always produce the value, only the response on its way out may lose it (the
 * OpenAPI document, and so the web app's types, show it nullable).
 */
export function guarded<T extends z.ZodType>(
  groups: FieldGroup | readonly FieldGroup[],
  schema: T,
): T {
  const list = typeof groups === 'string' ? [groups] : groups;
  const described = schema.description;
  const note = `Null when your roles may not see ${list.map((g) => GROUP_WORDS[g]).join(' or ')}.`;
  const marked = schema.nullable().describe(described ? `${described} ${note}` : note);
  marks.set(marked, list);
  return marked as unknown as T;
}

/** Object schemas whose values may quote a group's data in free text, and how to reword them. */
const rewrites = new WeakMap<
  z.ZodType,
  { group: FieldGroup; reword(value: Record<string, unknown>): Record<string, unknown> }
>();

/**
 * Marks an object schema whose values can carry a group's data inside free text (a finding's
 * message quoting a rate): for a caller who may not see the group, `reword` returns the value
 * with that text replaced. Its marked fields are masked as usual.
 */
export function reworded<T extends z.ZodType>(
  group: FieldGroup,
  schema: T,
  reword: (value: Record<string, unknown>) => Record<string, unknown>,
): T {
  rewrites.set(schema, { group, reword });
  return schema;
}

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  options?: z.ZodType[];
  in?: z.ZodType;
  valueType?: z.ZodType;
  left?: z.ZodType;
  right?: z.ZodType;
}

const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

function children(schema: z.ZodType): z.ZodType[] {
  const def = defOf(schema);
  switch (def.type) {
    case 'object':
      return Object.values(def.shape ?? {});
    case 'array':
      return def.element ? [def.element] : [];
    case 'union':
      return def.options ?? [];
    case 'pipe':
      return def.in ? [def.in] : [];
    case 'record':
      return def.valueType ? [def.valueType] : [];
    case 'intersection':
      return [def.left, def.right].filter((s): s is z.ZodType => s !== undefined);
    default:
      return def.innerType ? [def.innerType] : [];
  }
}

/** True when the schema has a guarded field anywhere inside it. */
export function hasGuardedFields(schema: z.ZodType): boolean {
  const cached = hasMarksCache.get(schema);
  if (cached !== undefined) return cached;
  hasMarksCache.set(schema, false); // a recursive schema is not re-entered
  const found =
    marks.has(schema) || rewrites.has(schema) || children(schema).some(hasGuardedFields);
  hasMarksCache.set(schema, found);
  return found;
}

/**
 * The value with every guarded field of a hidden group set to null, following the schema.
 * Copies only what it changes; the input is never modified.
 */
export function maskFields<T>(schema: z.ZodType, value: T, visibility: FieldVisibility): T {
  const hidden = hiddenGroups(visibility);
  if (hidden.length === 0 || !hasGuardedFields(schema)) return value;
  return mask(schema, value, hidden) as T;
}

function mask(schema: z.ZodType, value: unknown, hidden: readonly FieldGroup[]): unknown {
  if (value === null || value === undefined) return value;
  const groups = marks.get(schema);
  if (groups?.some((group) => hidden.includes(group))) return null;
  if (!hasGuardedFields(schema)) return value;
  const def = defOf(schema);
  switch (def.type) {
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return value;
      const rewrite = rewrites.get(schema);
      const record =
        rewrite !== undefined && hidden.includes(rewrite.group)
          ? rewrite.reword(value as Record<string, unknown>)
          : (value as Record<string, unknown>);
      let out = record;
      for (const [key, field] of Object.entries(def.shape ?? {})) {
        if (!(key in record)) continue;
        const masked = mask(field, record[key], hidden);
        if (masked === record[key]) continue;
        if (out === record) out = { ...record };
        out[key] = masked;
      }
      return out;
    }
    case 'array':
      return Array.isArray(value) ? value.map((item) => mask(def.element!, item, hidden)) : value;
    case 'record': {
      if (typeof value !== 'object') return value;
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([k, v]) => [
          k,
          mask(def.valueType!, v, hidden),
        ]),
      );
    }
    default:
      // Wrappers (nullable, optional, default, pipe) and unions: apply every branch's marks.
      return children(schema).reduce<unknown>(
        (current, child) => mask(child, current, hidden),
        value,
      );
  }
}
