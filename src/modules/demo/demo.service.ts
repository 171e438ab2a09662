import { readFileSync } from 'node:fs';
import type { AppContext } from '../../config/context.js';
import type { IsoDate } from '../../domain/dates.js';
import { SYSTEM_ACTOR } from '../../domain/policy.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import { hashPassword } from '../auth/password.js';
import { importGuideline } from '../guidelines/import-guideline.js';
import { importRecords } from '../import-export/import.service.js';
import type { DemoFirm, DemoRecordKind, ProblemKind } from './demo-firm.js';
import {
  DEFAULT_DEMO_SEED,
  DEMO_IMPORT_ORDER,
  demoSignIns,
  generateDemoFirm,
} from './demo-firm.js';
import * as repo from './demo.repository.js';

/** The one password of every demo user, printed with the sign-ins (demo mode only). */
export const DEMO_PASSWORD = 'matterflow-demo';

/** The sign-ins of the demo firm, printed after loading it. */
export interface DemoSignIns {
  /** False when the demo was loaded on an earlier run and is only being shown again. */
  loaded: boolean;
  password: string;
  users: { email: string; roles: string[] }[];
}

/** What a load put in the database. */
export interface DemoLoadReport extends DemoSignIns {
  firm: string;
  seed: number;
  period: { from: IsoDate; to: IsoDate };
  /** Rows imported per kind (time entries include the drafts). */
  counts: Record<DemoRecordKind, number>;
  draftEntries: number;
  problems: Record<ProblemKind, number>;
  /** Guidelines imported and activated (firm-wide and one client's). */
  guidelines: number;
}

export interface DemoLoadOptions {
  seed?: number;
  /** The day to generate the firm on; its work falls in the two calendar months before. */
  today?: IsoDate;
}

/** The calendar day of an instant on this machine's clock. */
export function localIsoDate(at: Date): IsoDate {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

/** How many clients and users the database holds (the demo needs an empty firm). */
export function countFirm(ctx: AppContext): Promise<{ clients: number; users: number }> {
  return repo.countFirmRows(ctx.db);
}

/** The demo sign-ins when the demo users are in the database, else null. */
export async function existingDemoSignIns(ctx: AppContext): Promise<DemoSignIns | null> {
  const users = demoSignIns();
  const present = await repo.findActiveUserEmails(
    ctx.db,
    users.map((u) => u.email),
  );
  if (present.length !== users.length) return null;
  return { loaded: false, password: DEMO_PASSWORD, users };
}

/**
 * The guidelines the demo firm works under: the firm-wide standards and Northwind Logistics'
 * outside-counsel guideline, shipped as the examples in examples/guidelines/.
 */
const DEMO_GUIDELINES = ['firm-default.yaml', 'northwind-logistics.yaml'];

function demoGuidelineText(name: string): string {
  return readFileSync(new URL(`../../../examples/guidelines/${name}`, import.meta.url), 'utf8');
}

/** Time entries of the late releasers' last week, which stay in draft. */
function splitDrafts(firm: DemoFirm) {
  const late = new Set(firm.drafts.timekeeperCodes);
  const isDraft = (e: DemoFirm['time-entries'][number]) =>
    late.has(e.timekeeper_code) && e.work_date >= firm.drafts.from;
  const entries = firm['time-entries'];
  return { released: entries.filter((e) => !isDraft(e)), drafts: entries.filter(isDraft) };
}

/**
 * Loads Hartwell & Pierce LLP through the CSV import, kind by kind in reference order, as the
 * system actor; then gives the demo users the demo password and puts the walled-off matter's
 * members on it. Each import is its own transaction, so call it on an empty database only.
 */
export async function loadDemoFirm(
  ctx: AppContext,
  options: DemoLoadOptions = {},
): Promise<DemoLoadReport> {
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const firm = generateDemoFirm({ seed, today: options.today ?? localIsoDate(ctx.now()) });
  const counts = {} as Record<DemoRecordKind, number>;
  const { released, drafts } = splitDrafts(firm);
  for (const kind of DEMO_IMPORT_ORDER) {
    if (kind === 'time-entries') {
      const done = await importRecords(ctx, SYSTEM_ACTOR, kind, released);
      const draft = await importRecords(ctx, SYSTEM_ACTOR, kind, drafts, { workStatus: 'draft' });
      counts[kind] = done.inserted + draft.inserted;
    } else {
      counts[kind] = (await importRecords(ctx, SYSTEM_ACTOR, kind, firm[kind])).inserted;
    }
    // Active before any work arrives, so imported entries are checked and their findings
    // stand as exceptions with owners, as they would in a firm using Matterflow.
    if (kind === 'clients') {
      for (const name of DEMO_GUIDELINES)
        await importGuideline(ctx, SYSTEM_ACTOR, demoGuidelineText(name), { activate: true });
    }
  }

  // Hashing is deliberately slow; one hash serves every demo user.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const emails = firm.signIns.map((s) => s.email);
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    const withPassword = await repo.setPasswordHash(trx, emails, passwordHash, now);
    const members = await repo.addMatterMembers(
      trx,
      firm.restricted.matterCode,
      firm.restricted.members,
    );
    await appendAuditEvent(
      trx,
      SYSTEM_ACTOR,
      {
        action: 'demo.load',
        entityType: 'demo',
        entityId: null,
        after: { seed, today: firm.today, counts, withPassword, restrictedMembers: members },
      },
      now,
    );
  });

  return {
    loaded: true,
    password: DEMO_PASSWORD,
    users: firm.signIns,
    firm: 'Hartwell & Pierce LLP',
    seed,
    period: { from: firm.period.from, to: firm.period.to },
    counts,
    draftEntries: drafts.length,
    problems: firm.problems,
    guidelines: DEMO_GUIDELINES.length,
  };
}
