import { describe, expect, it } from 'vitest';
import type { Actor } from './policy.js';
import { ACTIONS, isAllowed, POLICY, RESOURCES } from './policy.js';
import { ROLES } from './roles.js';

const actor = (roles: Actor['roles']): Actor => ({
  userId: '1',
  email: 'a@b',
  roles,
  timekeeperId: null,
  via: 'session',
});

describe('the policy table', () => {
  it('names only known resources and actions', () => {
    for (const role of ROLES) {
      for (const [resource, actions] of Object.entries(POLICY[role])) {
        expect(RESOURCES).toContain(resource);
        for (const action of actions ?? []) expect(ACTIONS).toContain(action);
      }
    }
  });

  it('lets only admins manage users', () => {
    for (const role of ROLES) {
      expect(isAllowed(actor([role]), 'create', 'user')).toBe(role === 'admin');
    }
  });

  it('keeps timekeepers away from rates and master data changes', () => {
    const tk = actor(['timekeeper']);
    expect(isAllowed(tk, 'read', 'rate')).toBe(false);
    expect(isAllowed(tk, 'create', 'matter')).toBe(false);
    expect(isAllowed(tk, 'create', 'time_entry')).toBe(true);
  });

  it('lets every role read UTBMS codes and only the billing side validate LEDES files', () => {
    for (const role of ROLES) {
      expect(isAllowed(actor([role]), 'read', 'utbms_code')).toBe(true);
      expect(isAllowed(actor([role]), 'read', 'ledes_file')).toBe(role !== 'timekeeper');
      expect(isAllowed(actor([role]), 'create', 'utbms_code')).toBe(false);
    }
  });

  it('lets only admins and legal ops read the audit trail, and nobody change it', () => {
    for (const role of ROLES) {
      expect(isAllowed(actor([role]), 'read', 'audit_event')).toBe(
        role === 'admin' || role === 'legal_ops',
      );
      for (const action of ACTIONS.filter((a) => a !== 'read')) {
        expect(isAllowed(actor([role]), action, 'audit_event')).toBe(false);
      }
    }
  });

  it('lets the billing side read routing tables and only legal ops and admins change them', () => {
    for (const role of ROLES) {
      expect(isAllowed(actor([role]), 'read', 'routing_table')).toBe(role !== 'timekeeper');
      for (const action of ['import', 'update'] as const)
        expect(isAllowed(actor([role]), action, 'routing_table')).toBe(
          role === 'admin' || role === 'legal_ops',
        );
    }
  });

  it('lets the billing side run bills, the billing side and approvers move invoices, timekeepers neither', () => {
    const billing = ['admin', 'legal_ops', 'billing_coordinator'];
    for (const role of ROLES) {
      expect(isAllowed(actor([role]), 'create', 'bill_run')).toBe(billing.includes(role));
      expect(isAllowed(actor([role]), 'update', 'invoice')).toBe(role !== 'timekeeper');
      expect(isAllowed(actor([role]), 'read', 'invoice')).toBe(role !== 'timekeeper');
    }
  });

  it('grants the union of a user’s roles', () => {
    expect(isAllowed(actor(['timekeeper', 'approver']), 'read', 'rate')).toBe(true);
  });
});
