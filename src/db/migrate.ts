import type { Kysely, Migration, MigrationResultSet } from 'kysely';
import { Migrator } from 'kysely';
import * as foundation from './migrations/2026-11-27T0000-foundation.js';
import * as guidelines from './migrations/2026-11-27T0100-guidelines.js';
import * as auditTruncateGuard from './migrations/2026-11-27T0200-audit-truncate-guard.js';
import * as invoices from './migrations/2026-11-27T0300-invoices.js';
import * as contingencyAdjustment from './migrations/2026-11-27T0400-contingency-adjustment.js';
import * as ebilling from './migrations/2026-11-27T0600-ebilling.js';
import * as notifications from './migrations/2026-11-27T0700-notifications.js';
import * as prebill from './migrations/2026-11-27T1100-prebill.js';
import * as security from './migrations/2026-11-27T0800-security.js';
import * as firmHolidays from './migrations/2026-11-27T1400-firm-holidays.js';
import * as fieldVisibility from './migrations/2026-11-27T1200-field-visibility.js';
import * as ebillingProfile from './migrations/2026-11-27T1300-ebilling-profile.js';
import * as voidedLinesRevaluation from './migrations/2026-11-27T1500-voided-lines-revaluation.js';
import * as stageSlas from './migrations/2026-11-28T1610-stage-slas.js';

/**
 * Every migration, by name (ISO timestamp first so they sort in order). Listed here rather than
 * read from the directory so the same list works from sources under test and from dist/.
 */
const MIGRATIONS: Record<string, Migration> = {
  '2026-11-27T0000-foundation': foundation,
  '2026-11-27T0100-guidelines': guidelines,
  '2026-11-27T0200-audit-truncate-guard': auditTruncateGuard,
  '2026-11-27T0300-invoices': invoices,
  '2026-11-27T0400-contingency-adjustment': contingencyAdjustment,
  '2026-11-27T0600-ebilling': ebilling,
  '2026-11-27T0700-notifications': notifications,
  '2026-11-27T1100-prebill': prebill,
  '2026-11-27T0800-security': security,
  '2026-11-27T1400-firm-holidays': firmHolidays,
  '2026-11-27T1200-field-visibility': fieldVisibility,
  '2026-11-27T1300-ebilling-profile': ebillingProfile,
  '2026-11-27T1500-voided-lines-revaluation': voidedLinesRevaluation,
  '2026-11-28T1610-stage-slas': stageSlas,
};

/** Applies every pending migration; throws with the failing migration's name on error. */
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => MIGRATIONS },
    migrationTableName: 'matterflow_migration',
    migrationLockTableName: 'matterflow_migration_lock',
  });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const reason =
      result.error instanceof Error ? result.error.message : JSON.stringify(result.error);
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${reason}`);
  }
  return result;
}
