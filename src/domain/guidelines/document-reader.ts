/** Positions and plain-value reads over a parsed YAML document, collecting every problem. */
import { isScalar, type LineCounter, type Node, type Pair, type YAMLMap } from 'yaml';
import { scalarText } from './param-values.js';

/** One problem in a guideline document; line and column are 1-based. */
export interface GuidelineError {
  readonly line: number;
  readonly column: number;
  /** Where in the document, e.g. `rules[2].params.hours`. */
  readonly path: string;
  readonly message: string;
}

export class DocumentReader {
  readonly errors: GuidelineError[] = [];
  constructor(
    readonly source: string,
    private readonly lines: LineCounter,
  ) {}

  position(node: unknown, offset = 0): { line: number; col: number } {
    const start = (node as Node | null)?.range?.[0] ?? 0;
    return this.lines.linePos(start + offset);
  }

  error(node: unknown, path: string, message: string, offset = 0): void {
    const pos = this.position(node, offset);
    this.errors.push({ line: pos.line, column: pos.col, path, message });
  }

  /** Pairs of a map keyed by plain text, reporting keys outside `allowed`. */
  pairs(map: YAMLMap, path: string, allowed: readonly string[]): Map<string, Pair> {
    const byKey = new Map<string, Pair>();
    for (const pair of map.items) {
      const key = scalarText(pair.key, this.source);
      if (key === null || !allowed.includes(key)) {
        this.error(
          pair.key,
          path,
          `unknown key ${JSON.stringify(key ?? '?')}; valid keys: ${allowed.join(', ')}`,
        );
      } else {
        byKey.set(key, pair);
      }
    }
    return byKey;
  }

  text(
    pairs: Map<string, Pair>,
    key: string,
    where: unknown,
    path: string,
    check?: (v: string) => string | null,
  ): string | undefined {
    const pair = pairs.get(key);
    if (pair === undefined) {
      this.error(where, path, `missing ${key}`);
      return undefined;
    }
    const value =
      isScalar(pair.value) && typeof pair.value.value === 'string' ? pair.value.value : null;
    const problem =
      value === null || value.trim() === '' ? `${key} must be text` : (check?.(value) ?? null);
    if (problem !== null) {
      this.error(pair.value ?? pair.key, joinPath(path, key), problem);
      return undefined;
    }
    return value ?? undefined;
  }

  oneOf<T extends string>(
    pairs: Map<string, Pair>,
    key: string,
    allowed: readonly T[],
    where: unknown,
    path: string,
  ): T | undefined {
    return this.text(pairs, key, where, path, (value) =>
      allowed.includes(value as T)
        ? null
        : `${key} must be one of ${allowed.join(', ')} (got "${value}")`,
    ) as T | undefined;
  }
}

/** `rules[0]` + `kind` → `rules[0].kind`; top-level keys have no prefix. */
export function joinPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}
