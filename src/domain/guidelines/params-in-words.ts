/** A rule's parsed params as one line of plain words, for screens and reports. */
import { formatHours, formatMoney } from '../money.js';
import { RULE_KINDS, isRuleKind, type ParamSpec, type ParamType } from './param-schemas.js';

/**
 * "hours: 4.00 h; message: …" for the params of a rule as parsed (hours in hundredths, money in
 * cents), in the kind's own order. Params left unset (a cap with no limit) are left out; an
 * unknown kind or param falls back to its value as text, so nothing is hidden.
 */
export function paramsInWords(kind: string, params: Readonly<Record<string, unknown>>): string {
  const specs: Readonly<Record<string, ParamSpec>> = isRuleKind(kind)
    ? RULE_KINDS[kind].params
    : {};
  const names = [
    ...Object.keys(specs).filter((name) => name in params),
    ...Object.keys(params).filter((name) => !(name in specs)),
  ];
  const parts: string[] = [];
  for (const name of names) {
    const value = params[name];
    if (value === null || value === undefined) continue;
    const text = valueInWords(specs[name]?.type, value);
    if (text !== '') parts.push(`${name.replaceAll('_', ' ')}: ${text}`);
  }
  return parts.length === 0 ? 'none' : parts.join('; ');
}

function valueInWords(type: ParamType | undefined, value: unknown): string {
  switch (type) {
    case 'hours':
      return typeof value === 'number' ? `${formatHours(value)} h` : plain(value);
    case 'money':
      return typeof value === 'number' ? formatMoney(value) : plain(value);
    case 'percent':
      return `${plain(value)}%`;
    case 'boolean':
      return value === true ? 'yes' : value === false ? 'no' : plain(value);
    case 'terms':
      return Array.isArray(value)
        ? value.map((term) => `“${String(term)}”`).join(', ')
        : plain(value);
    case 'classification_rates':
      return typeof value === 'object'
        ? Object.entries(value as Record<string, unknown>)
            .map(
              ([code, cents]) =>
                `${code} ${typeof cents === 'number' ? formatMoney(cents) : plain(cents)}`,
            )
            .join(', ') || 'none'
        : plain(value);
    case 'integer':
    case 'string':
    case 'codes':
    case 'fields':
    case 'classifications':
    case 'task_set':
    case 'factor':
    case 'expression':
    case undefined:
      return plain(value);
  }
}

function plain(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join(', ');
  if (typeof value === 'object' && value !== null)
    return Object.entries(value)
      .map(([k, v]) => `${k} ${String(v)}`)
      .join(', ');
  return String(value);
}
