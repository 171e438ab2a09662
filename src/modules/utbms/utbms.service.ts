/** UTBMS codes for pickers and lookups: the fixed code sets, so no database and no audit. */
import { notFound } from '../../domain/errors.js';
import type { UtbmsCode } from '../../domain/utbms/utbms.js';
import { findCode, searchCodes } from '../../domain/utbms/utbms.js';
import type { UtbmsCodeDto, UtbmsSearchQuery } from './utbms.schemas.js';

function toDto(entry: UtbmsCode): UtbmsCodeDto {
  const { code, name, kind, set, phase, phaseCode } = entry;
  return { code, name, kind, set, phase, phase_code: phaseCode };
}

/**
 * Codes matching a picker's query, best first (exact code, then code prefix, then name words).
 * `set` narrows task codes only: activity and expense codes are used with every task set.
 */
export function searchUtbmsCodes(query: UtbmsSearchQuery): { items: UtbmsCodeDto[] } {
  const set = query.set === 'any' ? null : query.set;
  const matches = searchCodes(query.q, { kind: query.kind }).filter(
    (entry) => set === null || entry.kind !== 'task' || entry.set === set,
  );
  return { items: matches.slice(0, query.limit).map(toDto) };
}

/** One code as a person types it (case and surrounding spaces ignored), or UTBMS_CODE_NOT_FOUND. */
export function getUtbmsCode(code: string): UtbmsCodeDto {
  const entry = findCode(code);
  if (!entry) throw notFound('UTBMS_CODE_NOT_FOUND', `No UTBMS code "${code.trim()}".`);
  return toDto(entry);
}
