import { z } from 'zod';
import { CODE_PATTERN, CODE_RULE, UTBMS_CODE_PATTERN, UTBMS_CODE_RULE } from '../domain/codes.js';
import { isIsoDate } from '../domain/dates.js';
import { parseHours, parseMoney, parseScaled } from '../domain/money.js';

/**
 * Request fields shared by the API's schemas. Money, hours and quantities travel as decimal
 * strings so no client or server ever rounds them through binary floating point.
 */

export const codeField = z.string().regex(CODE_PATTERN, CODE_RULE);

export const utbmsCodeField = z.string().regex(UTBMS_CODE_PATTERN, UTBMS_CODE_RULE);

export const isoDateField = z
  .string()
  .refine(isIsoDate, 'must be a calendar date as YYYY-MM-DD')
  .describe('Date as YYYY-MM-DD.');

export const moneyField = z
  .string()
  .trim()
  .refine((text) => {
    const cents = parseMoney(text);
    return cents !== null && cents >= 0;
  }, 'must be a non-negative decimal amount with at most 2 decimals, such as "12500.00"')
  .describe('Decimal amount as a string, e.g. "12500.00".');

export const hoursField = z
  .string()
  .trim()
  .refine((text) => {
    const hours = parseHours(text);
    return hours !== null && hours > 0 && hours <= 2400;
  }, 'must be more than 0 and at most 24 hours, with at most 2 decimals, such as "1.25"')
  .describe('Hours as a decimal string, e.g. "1.25".');

export const quantityField = z
  .string()
  .trim()
  .refine((text) => {
    const quantity = parseScaled(text, 2);
    return quantity !== null && quantity > 0 && quantity <= 99_999_999;
  }, 'must be a positive decimal with at most 2 decimals, such as "100" or "2.50"')
  .describe('Quantity as a decimal string, e.g. "2.50".');

export const currencyField = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD');

export const booleanQueryField = z.enum(['true', 'false']);

export const idParamsSchema = z.object({ id: z.coerce.number().int().positive() });
export const versionBodySchema = z.object({ version: z.number().int().min(1) });
export const versionField = z.number().int().min(1);
