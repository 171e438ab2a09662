import { describe, expect, it } from 'vitest';
import docs from '../../../docs/workflow.md?raw';
import example from '../../../examples/routing/default-routing.yaml?raw';
import { GUARD_NAMES } from './guards.js';
import { EFFECT_NAMES, INVOICE_STATES, TRANSITIONS, type Transition } from './invoice-states.js';
import { parseRoutingTable } from './parse-routing.js';

const list = (items: readonly string[]) => (items.length === 0 ? '—' : items.join(', '));

/** One docs table row per transition, cell by cell, as the table data says it must read. */
function transitionRow(t: Transition): string[] {
  return [
    t.from,
    t.to,
    t.action,
    list(t.roles),
    list(t.ownerOnly),
    list(t.guards),
    list(t.effects),
    t.rework ? 'yes' : 'no',
    t.requiresReason ? 'yes' : 'no',
  ];
}

/** The rows of the markdown table under `## Transitions`, backticks and padding removed. */
function documentedRows(): string[][] {
  const start = docs.indexOf('\n## Transitions\n');
  const end = docs.indexOf('\n## ', start + 5);
  return docs
    .slice(start, end)
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .slice(2)
    .map((line) =>
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.replace(/`/g, '').trim()),
    );
}

describe('docs/workflow.md', () => {
  it('lists exactly the transitions of the table, in order', () => {
    expect(documentedRows()).toEqual(TRANSITIONS.map(transitionRow));
  });

  it('describes every state, guard and effect', () => {
    for (const name of [...INVOICE_STATES, ...GUARD_NAMES, ...EFFECT_NAMES]) {
      expect(docs).toContain(`\`${name}\``);
    }
  });

  it('shows the example routing table as it is in examples/routing', () => {
    const shown = /```yaml\n([\s\S]*?)```/.exec(docs.slice(docs.indexOf('## Routing')))?.[1] ?? '';
    expect(parseRoutingTable(shown)).toEqual(parseRoutingTable(example));
    expect('table' in parseRoutingTable(shown)).toBe(true);
  });
});
