import { describe, expect, it } from 'vitest';
import docs from '../../../docs/guidelines.md?raw';
import { parseGuideline } from './parse-guideline.js';
import { RULE_KIND_NAMES, RULE_KINDS } from './param-schemas.js';

/** The section of docs/guidelines.md for one kind: from its heading to the next heading. */
function sectionOf(kind: string): string {
  const start = docs.indexOf(`\n### ${kind}\n`);
  if (start < 0) return '';
  const next = docs.indexOf('\n##', start + 5);
  return docs.slice(start, next < 0 ? undefined : next);
}

describe('docs/guidelines.md', () => {
  it.each(RULE_KIND_NAMES)(
    'documents %s with every param and a YAML example that parses',
    (kind) => {
      const section = sectionOf(kind);
      expect(section).not.toBe('');
      for (const name of Object.keys(RULE_KINDS[kind].params)) {
        expect(section).toContain(`\`${name}\``);
      }
      const example = /```yaml\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
      const document = `id: docs\nclient: ACME\nname: Docs\neffective_from: 2026-01-01\nrules:\n${example.replace(/^/gm, '  ')}`;
      const result = parseGuideline(document);
      expect('errors' in result ? result.errors : []).toEqual([]);
      expect('guideline' in result && result.guideline.rules[0]?.kind).toBe(kind);
    },
  );
});
