import type { Kysely } from 'kysely';
import { sql } from 'kysely';

/**
 * The firm's stage SLAs: one row per invoice stage where someone must act, in business days or
 * in hours (neither: the stage has no SLA). The rows start as the defaults Matterflow shipped
 * with; `stage_sla_setting` holds the version the whole set is changed under.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table stage_sla (
      stage text primary key,
      business_days integer,
      hours integer,
      constraint stage_sla_stage_valid check (stage in (
        'draft', 'in_review', 'exception', 'waiting_on_timekeeper', 'ready_for_approval',
        'approved', 'submitted', 'accepted', 'rejected', 'on_hold')),
      constraint stage_sla_one_unit check (business_days is null or hours is null),
      constraint stage_sla_business_days_range check (business_days between 1 and 365),
      constraint stage_sla_hours_range check (hours between 1 and 8760)
    )`.execute(db);
  await sql`
    insert into stage_sla (stage, business_days, hours) values
      ('draft', 2, null),
      ('in_review', 2, null),
      ('exception', 1, null),
      ('waiting_on_timekeeper', 1, null),
      ('ready_for_approval', 3, null),
      ('approved', 1, null),
      ('submitted', 10, null),
      ('accepted', null, 720),
      ('rejected', 2, null),
      ('on_hold', 10, null)`.execute(db);
  await sql`
    create table stage_sla_setting (
      id boolean primary key default true,
      version integer not null default 1,
      updated_by bigint references app_user (id),
      updated_at timestamptz not null default now(),
      constraint stage_sla_setting_single_row check (id)
    )`.execute(db);
  await sql`insert into stage_sla_setting (id) values (true)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists stage_sla_setting`.execute(db);
  await sql`drop table if exists stage_sla`.execute(db);
}
