/**
 * Invoice numbers: a pattern such as `{client}-{yyyy}{mm}-{seq:4}` with one counter per
 * rendered prefix (the pattern with everything but the sequence filled in), so numbers restart
 * per client and month with the default pattern and stay unique under concurrent bill runs.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../domain/errors.js';

/** The pattern used when MATTERFLOW_INVOICE_NUMBER_PATTERN is not set. */
export const DEFAULT_INVOICE_NUMBER_PATTERN = '{client}-{yyyy}{mm}-{seq:4}';

/** LEDES 1998B INVOICE_NUMBER is Char*20; the invoice table enforces the same limit. */
export const MAX_INVOICE_NUMBER_LENGTH = 20;

const TOKEN = /\{(client|matter|yyyy|yy|mm|seq(?::(\d))?)\}/g;

/** What a pattern can refer to. */
export interface NumberValues {
  clientCode: string;
  matterCode: string;
  /** The billed period as `YYYY-MM`. */
  period: string;
}

/** The configured pattern (env MATTERFLOW_INVOICE_NUMBER_PATTERN), checked for a sequence token. */
export function invoiceNumberPattern(env: NodeJS.ProcessEnv = process.env): string {
  const pattern = env.MATTERFLOW_INVOICE_NUMBER_PATTERN?.trim() || DEFAULT_INVOICE_NUMBER_PATTERN;
  checkPattern(pattern);
  return pattern;
}

/** Refuses a pattern without exactly one `{seq}` (numbers would repeat) or with unknown tokens. */
export function checkPattern(pattern: string): void {
  const seqs = [...pattern.matchAll(TOKEN)].filter((m) => m[1]!.startsWith('seq')).length;
  const unknown = pattern.replace(TOKEN, '').match(/\{[^}]*\}/);
  if (seqs !== 1 || unknown !== null)
    throw new AppError(
      'validation',
      'INVOICE_NUMBER_PATTERN_INVALID',
      `The invoice number pattern "${pattern}" must contain exactly one {seq} or {seq:N} and only the tokens {client}, {matter}, {yyyy}, {yy}, {mm}${unknown === null ? '' : ` (found ${unknown[0]})`}.`,
      { issues: [{ field: 'MATTERFLOW_INVOICE_NUMBER_PATTERN', message: 'invalid pattern' }] },
    );
}

/** Fills the pattern; `seq` null leaves a fixed placeholder, which makes the counter key. */
export function renderNumber(pattern: string, values: NumberValues, seq: number | null): string {
  const [yyyy, mm] = values.period.split('-') as [string, string];
  return pattern.replace(TOKEN, (_match, token: string, width?: string) => {
    switch (token) {
      case 'client':
        return values.clientCode;
      case 'matter':
        return values.matterCode;
      case 'yyyy':
        return yyyy;
      case 'yy':
        return yyyy.slice(2);
      case 'mm':
        return mm;
      default:
        return seq === null ? '{seq}' : String(seq).padStart(Number(width ?? 1), '0');
    }
  });
}

/**
 * Takes the next number for `values` inside the caller's transaction. The upsert increments the
 * counter row atomically, so two runs at once never receive the same sequence value.
 */
export async function nextInvoiceNumber(
  trx: Kysely<DB>,
  pattern: string,
  values: NumberValues,
): Promise<string> {
  return (await nextInvoiceNumbers(trx, pattern, [values]))[0]!;
}

/**
 * Takes the next numbers for each of `values`, in order, with one upsert: each counter moves by
 * how many numbers it gives, and its numbers are handed out in the order asked.
 */
export async function nextInvoiceNumbers(
  trx: Kysely<DB>,
  pattern: string,
  values: readonly NumberValues[],
): Promise<string[]> {
  if (values.length === 0) return [];
  const keys = values.map((v) => renderNumber(pattern, v, null));
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  // Counter rows locked in one order, so two upserts at once cannot deadlock.
  const sorted = [...counts.keys()].sort();
  const { rows } = await sql<{ counter_key: string; last_value: number | string }>`
    insert into invoice_counter (counter_key, last_value)
    select * from unnest(${sorted}::text[], ${sorted.map((k) => counts.get(k)!)}::int[])
    on conflict (counter_key) do update
      set last_value = invoice_counter.last_value + excluded.last_value
    returning counter_key, last_value`.execute(trx);
  const next = new Map(
    rows.map((r) => [r.counter_key, Number(r.last_value) - counts.get(r.counter_key)! + 1]),
  );
  return values.map((v, i) => {
    const seq = next.get(keys[i]!)!;
    next.set(keys[i]!, seq + 1);
    const number = renderNumber(pattern, v, seq);
    if (number.length > MAX_INVOICE_NUMBER_LENGTH)
      throw new AppError(
        'validation',
        'INVOICE_NUMBER_TOO_LONG',
        `Invoice number "${number}" from pattern "${pattern}" is ${number.length} characters; LEDES allows at most ${MAX_INVOICE_NUMBER_LENGTH}. Shorten MATTERFLOW_INVOICE_NUMBER_PATTERN (e.g. use {yy} or a shorter client code).`,
        { number, pattern },
      );
    return number;
  });
}
