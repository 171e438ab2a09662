import { describe, expect, it } from 'vitest';
import example from '../../../examples/routing/default-routing.yaml?raw';
import { parseRoutingTable } from './parse-routing.js';
import {
  planReassignment,
  routeInvoice,
  stageOwner,
  type RoutingInput,
  type RoutingTable,
} from './routing.js';

function parse(text: string): RoutingTable {
  const result = parseRoutingTable(text);
  if ('errors' in result) throw new Error(JSON.stringify(result.errors));
  return result.table;
}

const TABLE = parse(example);
const HOURLY_LITIGATION: RoutingInput = {
  practiceArea: 'litigation',
  clientCode: 'ACME',
  office: 'NYC',
  jurisdiction: 'US-NY',
  feeArrangement: 'hourly',
  amountCents: 1_200_000,
};

describe('routeInvoice with the example table', () => {
  it('routes hourly litigation to the coordinator and the responsible attorney', () => {
    expect(routeInvoice(TABLE, HOURLY_LITIGATION)).toEqual({
      ruleId: 'litigation',
      reviewer: 'billing_coordinator',
      approvers: ['responsible_attorney'],
    });
  });

  it.each(['flat', 'capped'] as const)('adds the billing partner for %s fees', (feeArrangement) => {
    expect(routeInvoice(TABLE, { ...HOURLY_LITIGATION, feeArrangement })).toMatchObject({
      ruleId: 'fixed-fees',
      approvers: ['responsible_attorney', 'billing_partner'],
    });
  });

  it('adds the billing partner above 50,000.00 but not at exactly 50,000.00', () => {
    expect(routeInvoice(TABLE, { ...HOURLY_LITIGATION, amountCents: 5_000_001 }).ruleId).toBe(
      'large-invoices',
    );
    expect(routeInvoice(TABLE, { ...HOURLY_LITIGATION, amountCents: 5_000_000 }).ruleId).toBe(
      'litigation',
    );
  });

  it('routes named users and falls back to the default with no rule id', () => {
    const ip = { ...HOURLY_LITIGATION, practiceArea: 'intellectual_property', office: 'BOS' };
    expect(routeInvoice(TABLE, ip).reviewer).toBe('user:ip-billing@firm.example');
    expect(routeInvoice(TABLE, { ...ip, office: 'LON' })).toEqual({
      ruleId: null,
      reviewer: 'billing_coordinator',
      approvers: ['responsible_attorney'],
    });
  });
});

describe('routeInvoice rule matching', () => {
  const table = (match: string) =>
    parse(
      `id: t\nname: T\nrules:\n  - id: r\n    match: ${match}\n    reviewer: legal_ops\n    approvers: [billing_partner]\ndefault:\n  reviewer: billing_coordinator\n  approvers: [responsible_attorney]\n`,
    );
  const ruleOf = (match: string, input: Partial<RoutingInput>) =>
    routeInvoice(table(match), { ...HOURLY_LITIGATION, ...input }).ruleId;

  it.each([
    ['{ practice_area: tax }', { practiceArea: 'tax' }, { practiceArea: 'litigation' }],
    ['{ client: [ACME, GLOBEX] }', { clientCode: 'GLOBEX' }, { clientCode: 'INITECH' }],
    ['{ office: LON }', { office: 'LON' }, { office: null }],
    ['{ jurisdiction: US-CA }', { jurisdiction: 'US-CA' }, { jurisdiction: 'US-NY' }],
    [
      '{ fee_arrangement: [contingency] }',
      { feeArrangement: 'contingency' },
      { feeArrangement: 'hourly' },
    ],
  ] as const)('matches on %s', (match, hit, miss) => {
    expect(ruleOf(match, hit)).toBe('r');
    expect(ruleOf(match, miss)).toBeNull();
  });

  it('includes both ends of an amount band', () => {
    const band = '{ min_amount: "1000.00", max_amount: 5000 }';
    expect(ruleOf(band, { amountCents: 99_999 })).toBeNull();
    expect(ruleOf(band, { amountCents: 100_000 })).toBe('r');
    expect(ruleOf(band, { amountCents: 500_000 })).toBe('r');
    expect(ruleOf(band, { amountCents: 500_001 })).toBeNull();
  });

  it('requires every condition of a rule and lets the first matching rule win', () => {
    expect(ruleOf('{ practice_area: litigation, office: LON }', {})).toBeNull();
    const two = parse(
      `id: t\nname: T\nrules:\n  - { id: first, match: {}, reviewer: legal_ops, approvers: [billing_partner] }\n  - { id: second, match: {}, reviewer: legal_ops, approvers: [billing_partner] }\ndefault: { reviewer: legal_ops, approvers: [billing_partner] }\n`,
    );
    expect(routeInvoice(two, HOURLY_LITIGATION).ruleId).toBe('first');
  });
});

describe('parseRoutingTable errors', () => {
  it('reports every problem with its line and column', () => {
    const text = [
      'id: t', // 1
      'name: T', // 2
      'colour: blue', // 3
      'rules:', // 4
      '  - id: a', // 5
      '    match: { office: NYC, min_amount: "12.345", region: EU }', // 6
      '    reviewer: paralegal', // 7
      '    approvers: [responsible_attorney, "user:bob"]', // 8
      '  - id: a', // 9
      '    match: { min_amount: 100, max_amount: 10, fee_arrangement: [hourly, pro_bono] }', // 10
      '    reviewer: user:ann@firm.example', // 11
      '    approvers: []', // 12
      'default:', // 13
      '  reviewer: billing_coordinator', // 14
      '  approvers: [legal_ops, legal_ops]', // 15
    ].join('\n');
    const result = parseRoutingTable(text);
    expect('errors' in result && result.errors.map((e) => [e.line, e.column, e.path])).toEqual([
      [3, 1, ''],
      [6, 39, 'rules[0].match.min_amount'],
      [6, 49, 'rules[0].match'],
      [7, 15, 'rules[0].reviewer'],
      [8, 39, 'rules[0].approvers[1]'],
      [9, 9, 'rules[1].id'],
      [10, 26, 'rules[1].match.min_amount'],
      [10, 73, 'rules[1].match.fee_arrangement'],
      [12, 16, 'rules[1].approvers'],
      [15, 26, 'default.approvers[1]'],
    ]);
  });

  it('explains the problem in words', () => {
    const result = parseRoutingTable(
      'id: t\nname: T\nrules:\n  - { id: a, match: {}, reviewer: legal_ops, approvers: [billing_partner] }\n  - { id: a, match: { min_amount: 9, max_amount: 1 }, reviewer: legal_ops, approvers: [billing_partner] }\n',
    );
    expect('errors' in result && result.errors.map((e) => e.message)).toEqual([
      'missing default (the route when no rule matches)',
      'duplicate rule id "a" (first used on line 4); rule ids must be unique',
      'min_amount is above max_amount, so the rule can never match',
    ]);
  });

  it('reports broken YAML at its position', () => {
    const result = parseRoutingTable('id: t\nname: [unclosed\n');
    expect('errors' in result && result.errors[0]?.line).toBeGreaterThan(1);
  });

  it('reads the same table from JSON', () => {
    const json = JSON.stringify({
      id: 'j',
      name: 'J',
      rules: [],
      default: { reviewer: 'legal_ops', approvers: ['billing_partner'] },
    });
    expect(parse(json).default.approvers).toEqual(['billing_partner']);
  });
});

describe('stage owners and reassignment', () => {
  const route = {
    reviewer: 'user:ann@firm.example',
    approvers: ['responsible_attorney', 'billing_partner'],
  } as const;
  const at = (
    state: Parameters<typeof stageOwner>[0]['state'],
    approvalLevel = 0,
    previousState: Parameters<typeof stageOwner>[0]['previousState'] = null,
  ) => stageOwner({ state, approvalLevel, previousState }, route);

  it('takes each stage owner from the route and the default ownership by stage', () => {
    expect(at('draft')).toBe('billing_coordinator');
    expect(at('in_review')).toBe('user:ann@firm.example');
    expect(at('waiting_on_timekeeper')).toBe('timekeeper');
    expect(at('ready_for_approval', 1)).toBe('responsible_attorney');
    expect(at('ready_for_approval', 2)).toBe('billing_partner');
    expect(at('exception')).toBe('exception_owner');
    expect(at('rejected')).toBe('legal_ops');
    expect(at('on_hold', 2, 'ready_for_approval')).toBe('billing_partner');
    expect(at('void')).toBeNull();
  });

  it('reassigns only with a reason, for the roles that manage the workflow', () => {
    expect(planReassignment(['billing_coordinator'], ' attorney on leave ')).toMatchObject({
      ok: true,
      reason: 'attorney on leave',
    });
    expect(planReassignment(['legal_ops'], '  ')).toMatchObject({
      ok: false,
      code: 'REASON_REQUIRED',
    });
    expect(planReassignment(['approver'], 'busy')).toMatchObject({
      ok: false,
      code: 'ROLE_NOT_ALLOWED',
    });
  });
});
