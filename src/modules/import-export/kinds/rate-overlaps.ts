/** A rate's scope and dates, as the overlap check needs them. */
interface Span {
  timekeeperId: number;
  clientId: number | null;
  matterId: number | null;
  currency: string;
  from: string;
  to: string | null;
}

interface FileRate {
  row: number;
  index: number;
  value: {
    timekeeperId: number;
    clientId: number | null;
    matterId: number | null;
    currency: string;
    effectiveFrom: string;
    effectiveTo: string | null;
  };
}

interface StoredSpan {
  timekeeper_id: number;
  client_id: number | null;
  matter_id: number | null;
  currency: string;
  effective_from: string;
  effective_to: string | null;
}

/** A file row that overlaps an earlier file row or a stored rate. */
export interface Overlap {
  row: number;
  index: number;
  message: string;
}

// A matter rate's scope is the matter whether or not the file also names its client.
const scopeOf = (s: Span) =>
  `${s.timekeeperId}:${s.matterId !== null ? `m${s.matterId}` : s.clientId !== null ? `c${s.clientId}` : 'd'}:${s.currency}`;

const overlaps = (a: Span, b: Span) =>
  (a.to === null || b.from <= a.to) && (b.to === null || a.from <= b.to);

const range = (s: Span) => `${s.from} to ${s.to ?? 'open end'}`;

/**
 * Finds the file rates whose inclusive date range overlaps another active rate of the same
 * timekeeper, scope and currency: an earlier row of the file, or a stored rate the file does not
 * replace. Two rates covering one date would make the rate lookup ambiguous.
 */
export function findOverlaps(file: readonly FileRate[], stored: readonly StoredSpan[]): Overlap[] {
  const storedByScope = new Map<string, Span[]>();
  for (const s of stored) {
    const span: Span = {
      timekeeperId: s.timekeeper_id,
      clientId: s.client_id,
      matterId: s.matter_id,
      currency: s.currency,
      from: s.effective_from,
      to: s.effective_to,
    };
    const scope = scopeOf(span);
    storedByScope.set(scope, [...(storedByScope.get(scope) ?? []), span]);
  }
  const fileByScope = new Map<string, { row: number; span: Span }[]>();
  const found: Overlap[] = [];
  for (const rate of file) {
    const span: Span = {
      ...rate.value,
      from: rate.value.effectiveFrom,
      to: rate.value.effectiveTo,
    };
    const scope = scopeOf(span);
    const earlier = fileByScope.get(scope) ?? [];
    const clash = earlier.find((e) => overlaps(e.span, span));
    const storedClash = clash
      ? undefined
      : storedByScope.get(scope)?.find((s) => overlaps(s, span));
    if (clash) {
      found.push({
        row: rate.row,
        index: rate.index,
        message: `${range(span)} overlaps the rate on row ${clash.row} (${range(clash.span)})`,
      });
    } else if (storedClash) {
      found.push({
        row: rate.row,
        index: rate.index,
        message: `${range(span)} overlaps the stored rate from ${range(storedClash)}`,
      });
    } else {
      earlier.push({ row: rate.row, span });
      fileByScope.set(scope, earlier);
    }
  }
  return found;
}
