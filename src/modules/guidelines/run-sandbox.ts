import type { Kysely } from 'kysely';
import type { AppContext } from '../../config/context.js';
import { withDb } from '../../config/context.js';
import type { DB } from '../../db/schema.js';
import {
  compileGuideline,
  effectiveRules,
  type Guideline,
  type GuidelineRule,
} from '../../domain/guidelines/index.js';
import type { Actor } from '../../domain/policy.js';
import { scanWork } from '../compliance/scan.js';
import { readGuidelineDocument } from './guideline-document.js';
import * as repo from './guidelines.repository.js';
import type { SandboxReport, SandboxRequest } from './guidelines.schemas.js';
import { compareFindings, type AppliedRules } from './sandbox-diff.js';

/**
 * Runs a draft guideline over past work in a window and compares its findings with those of
 * the active rules. For a client draft only that client's work is checked, merged with the
 * active firm-wide guideline; a firm-wide draft is merged with each client's active guideline.
 * Both sides apply to every work date in the window (effective_from aside), so the difference
 * shows what the rules change and nothing else. Nothing is stored.
 */
export async function runSandbox(
  ctx: AppContext,
  actor: Actor,
  request: SandboxRequest,
): Promise<SandboxReport> {
  const { guideline: draft, clientId } = await readGuidelineDocument(ctx.db, request.content);
  return withoutWrites(ctx.db, async (trx) => {
    const scoped = withDb(ctx, trx);
    const stored = await repo.activeGuidelines(trx);
    const firmWide = stored.firmWide?.guideline ?? null;
    const activeOf = (id: number): Guideline | null => stored.byClient.get(id)?.guideline ?? null;
    const draftIsFirmWide = clientId === null;
    const applied: AppliedRules = { active: new Set(), draft: new Set() };
    const note = (side: Set<string>, rules: readonly GuidelineRule[]) => {
      for (const rule of rules) side.add(rule.id);
      return compileGuideline(rules);
    };
    const activeRules = (id: number | null) =>
      effectiveRules(firmWide, id === null ? null : activeOf(id));
    const draftRules = (id: number | null) =>
      draftIsFirmWide
        ? effectiveRules(draft, id === null ? null : activeOf(id))
        : effectiveRules(firmWide, draft);
    // The rule table lists every rule in scope, even one no work in the window breaks.
    note(applied.active, activeRules(clientId));
    note(applied.draft, draftRules(clientId));

    const window = {
      from: request.from,
      to: request.to,
      ...(draftIsFirmWide ? {} : { clientCode: draft.client }),
    };
    const before = await scanWork(scoped, actor, window, {
      rulesForClient: async (id) => note(applied.active, activeRules(id)),
    });
    const after = await scanWork(scoped, actor, window, {
      rulesForClient: async (id) => note(applied.draft, draftRules(id)),
    });
    return {
      guideline: { key: draft.id, client: draft.client, name: draft.name },
      window: { from: request.from, to: request.to },
      entries_checked: after.entriesChecked,
      expenses_checked: after.expensesChecked,
      ...compareFindings(before.findings, after.findings, applied),
    };
  });
}

class RolledBack<T> extends Error {
  constructor(readonly result: T) {
    super('rolled back');
  }
}

/**
 * Runs `work` in a transaction that is always rolled back: the scan only reads today, and this
 * keeps a sandbox run from ever storing anything should that change.
 */
async function withoutWrites<T>(db: Kysely<DB>, work: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
  try {
    await db.transaction().execute(async (trx) => {
      throw new RolledBack(await work(trx));
    });
  } catch (error) {
    if (error instanceof RolledBack) return error.result as T;
    throw error;
  }
  throw new Error('unreachable: the sandbox transaction always rolls back');
}
