/**
 * The SQL for flow metrics, read exactly from the stage events (and, for exception volume, from
 * the exceptions themselves). The arithmetic stays here, in one place, so it can be reviewed and
 * is tested against both databases.
 *
 * A stage *visit* begins at a stage event whose `to_state` differs from the invoice's previous
 * event's (or at its first event) and ends at the invoice's next such event. Reassignments and
 * approver levels (events that stay in the same stage) do not split a visit.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Actor } from '../../domain/policy.js';
import { visibleMatterIds } from '../matters/matter-access.js';

export interface FlowScope {
  /** First day of the period, `YYYY-MM-DD` (UTC). */
  from: string;
  /** Last day of the period, inclusive. */
  to: string;
  clientCode?: string;
  practiceArea?: string;
}

/** The invoices in scope: on matters the actor may see, of the client and practice area asked. */
function scopedInvoiceIds(db: Kysely<DB>, actor: Actor, scope: FlowScope) {
  let q = db
    .selectFrom('invoice as si')
    .innerJoin('matter as sm', 'sm.id', 'si.matter_id')
    .innerJoin('client as sc', 'sc.id', 'si.client_id')
    .select('si.id')
    .where('si.matter_id', 'in', visibleMatterIds(db, actor, 'work'));
  if (scope.clientCode !== undefined) q = q.where('sc.client_code', '=', scope.clientCode);
  if (scope.practiceArea !== undefined) q = q.where('sm.practice_area', '=', scope.practiceArea);
  return q;
}

/** Midnight UTC at the start of `day`, and of the day after it (the period's open end). */
const startOf = (day: string) => sql`(${day}::date)::timestamp at time zone 'UTC'`;
const endOf = (day: string) => sql`(${day}::date + 1)::timestamp at time zone 'UTC'`;

/** Every stage visit of the invoices in scope; `exited_at` is null while the invoice is still there. */
function visitsCte(db: Kysely<DB>, actor: Actor, scope: FlowScope) {
  return sql`
    ev as (
      select e.id, e.invoice_id, e.to_state, e.occurred_at, e.owner_role, e.owner_user_id,
        lag(e.to_state) over (partition by e.invoice_id order by e.occurred_at, e.id) as prev_state
      from invoice_stage_event e
      where e.invoice_id in (${scopedInvoiceIds(db, actor, scope)})
    ),
    visits as (
      select id, invoice_id, to_state as stage, occurred_at as entered_at,
        lead(occurred_at) over (partition by invoice_id order by occurred_at, id) as exited_at
      from ev where prev_state is distinct from to_state
    )`;
}

export interface CycleTimeRow {
  stage: string;
  visits: number;
  median_seconds: number;
  p90_seconds: number;
}

/**
 * Time spent in each stage by the visits that ended in the period: how many, the median and the
 * 90th percentile, in whole seconds. Percentiles are the nearest-rank values of the observed
 * durations (`percentile_disc`), so each is a duration some invoice really took.
 */
export async function cycleTimeByStage(
  db: Kysely<DB>,
  actor: Actor,
  scope: FlowScope,
): Promise<CycleTimeRow[]> {
  const result = await sql<{
    stage: string;
    visits: string | number;
    median_seconds: string | number;
    p90_seconds: string | number;
  }>`
    with ${visitsCte(db, actor, scope)},
    durations as (
      select stage, floor(extract(epoch from exited_at - entered_at))::bigint as seconds
      from visits
      where exited_at is not null
        and exited_at >= ${startOf(scope.from)} and exited_at < ${endOf(scope.to)}
    )
    select stage, count(*) as visits,
      percentile_disc(0.5) within group (order by seconds) as median_seconds,
      percentile_disc(0.9) within group (order by seconds) as p90_seconds
    from durations group by stage order by stage`.execute(db);
  return result.rows.map((r) => ({
    stage: r.stage,
    visits: Number(r.visits),
    median_seconds: Number(r.median_seconds),
    p90_seconds: Number(r.p90_seconds),
  }));
}

export interface CycleTimeTrendRow extends CycleTimeRow {
  /** The first day of the interval the visits ended in (`YYYY-MM-DD`, UTC; weeks start Monday). */
  period_start: string;
}

/**
 * Cycle time by stage over time: the visits that ended in the period, grouped by the interval
 * they ended in, with the same nearest-rank median and 90th percentile as `cycleTimeByStage`.
 */
export async function cycleTimeTrend(
  db: Kysely<DB>,
  actor: Actor,
  scope: FlowScope,
  interval: Interval,
): Promise<CycleTimeTrendRow[]> {
  const result = await sql<{
    period_start: string;
    stage: string;
    visits: string | number;
    median_seconds: string | number;
    p90_seconds: string | number;
  }>`
    with ${visitsCte(db, actor, scope)},
    durations as (
      select stage,
        to_char(date_trunc(${sql.lit(interval)}, exited_at at time zone 'UTC'), 'YYYY-MM-DD') as period_start,
        floor(extract(epoch from exited_at - entered_at))::bigint as seconds
      from visits
      where exited_at is not null
        and exited_at >= ${startOf(scope.from)} and exited_at < ${endOf(scope.to)}
    )
    select period_start, stage, count(*) as visits,
      percentile_disc(0.5) within group (order by seconds) as median_seconds,
      percentile_disc(0.9) within group (order by seconds) as p90_seconds
    from durations group by period_start, stage order by period_start, stage`.execute(db);
  return result.rows.map((r) => ({
    period_start: r.period_start,
    stage: r.stage,
    visits: Number(r.visits),
    median_seconds: Number(r.median_seconds),
    p90_seconds: Number(r.p90_seconds),
  }));
}

/** The clients and practice areas of the matters the actor may see, for the metrics' filters. */
export async function filterChoices(db: Kysely<DB>, actor: Actor) {
  const visible = visibleMatterIds(db, actor, 'work');
  const [clients, practiceAreas] = await Promise.all([
    db
      .selectFrom('client as c')
      .select(['c.client_code', 'c.name'])
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('matter as m')
            .select('m.id')
            .whereRef('m.client_id', '=', 'c.id')
            .where('m.id', 'in', visible),
        ),
      )
      .orderBy('c.client_code')
      .execute(),
    db
      .selectFrom('matter as m')
      .select('m.practice_area')
      .distinct()
      .where('m.id', 'in', visible)
      .orderBy('m.practice_area')
      .execute(),
  ]);
  return {
    clients: clients.map((c) => ({ client_code: c.client_code, name: c.name })),
    practice_areas: practiceAreas.map((p) => p.practice_area),
  };
}

export interface ReworkCounts {
  /** Invoices that moved (any stage event) in the period. */
  invoices: number;
  invoicesWithRework: number;
  moves: number;
  reworkMoves: number;
  byMove: { from_state: string; to_state: string; count: number }[];
  byReason: { reason: string | null; count: number }[];
}

/** Moves in the period, those flagged as rework, and what the rework moves were and why. */
export async function reworkCounts(
  db: Kysely<DB>,
  actor: Actor,
  scope: FlowScope,
): Promise<ReworkCounts> {
  const inPeriod = db
    .selectFrom('invoice_stage_event as e')
    .where('e.invoice_id', 'in', scopedInvoiceIds(db, actor, scope))
    .where(sql<boolean>`e.occurred_at >= ${startOf(scope.from)}`)
    .where(sql<boolean>`e.occurred_at < ${endOf(scope.to)}`);
  const [totals, byMove, byReason] = await Promise.all([
    inPeriod
      .select([
        sql<string>`count(distinct e.invoice_id)`.as('invoices'),
        sql<string>`count(distinct e.invoice_id) filter (where e.rework)`.as('reworked'),
        sql<string>`count(*) filter (where e.from_state is not null and e.from_state <> e.to_state)`.as(
          'moves',
        ),
        sql<string>`count(*) filter (where e.rework)`.as('rework_moves'),
      ])
      .executeTakeFirstOrThrow(),
    inPeriod
      .select(['e.from_state', 'e.to_state', sql<string>`count(*)`.as('count')])
      .where('e.rework', '=', true)
      .groupBy(['e.from_state', 'e.to_state'])
      .orderBy(sql`count(*)`, 'desc')
      .orderBy('e.from_state')
      .execute(),
    inPeriod
      .select(['e.reason', sql<string>`count(*)`.as('count')])
      .where('e.rework', '=', true)
      .groupBy('e.reason')
      .orderBy(sql`count(*)`, 'desc')
      .orderBy('e.reason')
      .limit(20)
      .execute(),
  ]);
  return {
    invoices: Number(totals.invoices),
    invoicesWithRework: Number(totals.reworked),
    moves: Number(totals.moves),
    reworkMoves: Number(totals.rework_moves),
    byMove: byMove.map((r) => ({
      from_state: r.from_state ?? '',
      to_state: r.to_state,
      count: Number(r.count),
    })),
    byReason: byReason.map((r) => ({ reason: r.reason, count: Number(r.count) })),
  };
}

export interface AgingRow {
  owner_user_id: number | null;
  owner_email: string | null;
  owner_name: string | null;
  days_0_2: number;
  days_3_5: number;
  days_6_10: number;
  over_10: number;
  invoices: number;
}

/**
 * Open invoices (not paid or void) by current owner — the owner on the invoice's latest stage
 * event, reassignments included — counted by whole days since they entered their current stage,
 * as of `asOf`.
 */
export async function agingByOwner(
  db: Kysely<DB>,
  actor: Actor,
  scope: FlowScope,
  asOf: Date,
): Promise<AgingRow[]> {
  const result = await sql<Record<keyof AgingRow, string | number | null>>`
    with ${visitsCte(db, actor, scope)},
    current_visit as (
      select distinct on (invoice_id) invoice_id, stage, entered_at
      from visits order by invoice_id, entered_at desc, id desc
    ),
    current_owner as (
      select distinct on (invoice_id) invoice_id, owner_user_id
      from ev order by invoice_id, occurred_at desc, id desc
    ),
    open_invoices as (
      select v.invoice_id, o.owner_user_id,
        floor(extract(epoch from (${asOf}::timestamptz - v.entered_at)) / 86400)::int as days
      from current_visit v join current_owner o using (invoice_id)
      where v.stage not in ('paid', 'void') and v.entered_at <= ${asOf}::timestamptz
    )
    select oi.owner_user_id, u.email as owner_email, u.name as owner_name,
      count(*) filter (where days <= 2) as days_0_2,
      count(*) filter (where days between 3 and 5) as days_3_5,
      count(*) filter (where days between 6 and 10) as days_6_10,
      count(*) filter (where days > 10) as over_10,
      count(*) as invoices
    from open_invoices oi left join app_user u on u.id = oi.owner_user_id
    group by oi.owner_user_id, u.email, u.name
    order by count(*) filter (where days > 10) desc, count(*) desc, oi.owner_user_id nulls last`.execute(
    db,
  );
  return result.rows.map((r) => ({
    owner_user_id: r.owner_user_id === null ? null : Number(r.owner_user_id),
    owner_email: r.owner_email === null ? null : String(r.owner_email),
    owner_name: r.owner_name === null ? null : String(r.owner_name),
    days_0_2: Number(r.days_0_2),
    days_3_5: Number(r.days_3_5),
    days_6_10: Number(r.days_6_10),
    over_10: Number(r.over_10),
    invoices: Number(r.invoices),
  }));
}

export type Interval = 'day' | 'week' | 'month';

export interface ExceptionVolumeRow {
  period_start: string;
  rule_id: string;
  rule_kind: string;
  opened: number;
  blocking: number;
  resolved: number;
  waived: number;
  still_open: number;
}

/**
 * Exceptions opened in the period on the matters in scope, by interval (UTC; weeks start on
 * Monday), rule and kind, with how many were blocking and where they stand now.
 */
export async function exceptionVolume(
  db: Kysely<DB>,
  actor: Actor,
  scope: FlowScope,
  interval: Interval,
): Promise<ExceptionVolumeRow[]> {
  let q = db
    .selectFrom('guideline_exception as g')
    .innerJoin('matter as m', 'm.id', 'g.matter_id')
    .innerJoin('client as c', 'c.id', 'm.client_id')
    .where('g.matter_id', 'in', visibleMatterIds(db, actor, 'work'))
    .where(sql<boolean>`g.opened_at >= ${startOf(scope.from)}`)
    .where(sql<boolean>`g.opened_at < ${endOf(scope.to)}`);
  if (scope.clientCode !== undefined) q = q.where('c.client_code', '=', scope.clientCode);
  if (scope.practiceArea !== undefined) q = q.where('m.practice_area', '=', scope.practiceArea);
  // A literal (from the closed list of intervals), so the select and the grouping are one expression.
  const bucket = sql<string>`to_char(date_trunc(${sql.lit(interval)}, g.opened_at at time zone 'UTC'), 'YYYY-MM-DD')`;
  const rows = await q
    .select([
      bucket.as('period_start'),
      'g.rule_id',
      'g.rule_kind',
      sql<string>`count(*)`.as('opened'),
      sql<string>`count(*) filter (where g.severity = 'block')`.as('blocking'),
      sql<string>`count(*) filter (where g.state = 'resolved')`.as('resolved'),
      sql<string>`count(*) filter (where g.state = 'waived')`.as('waived'),
      sql<string>`count(*) filter (where g.state = 'open')`.as('still_open'),
    ])
    .groupBy([bucket, 'g.rule_id', 'g.rule_kind'])
    .orderBy(bucket)
    .orderBy('g.rule_id')
    .orderBy('g.rule_kind')
    .execute();
  return rows.map((r) => ({
    period_start: r.period_start,
    rule_id: r.rule_id,
    rule_kind: r.rule_kind,
    opened: Number(r.opened),
    blocking: Number(r.blocking),
    resolved: Number(r.resolved),
    waived: Number(r.waived),
    still_open: Number(r.still_open),
  }));
}

/** True when the user's timekeeper is the billing partner of some matter. */
export async function isBillingPartner(db: Kysely<DB>, timekeeperId: number): Promise<boolean> {
  const row = await db
    .selectFrom('matter')
    .select('id')
    .where('billing_partner_id', '=', timekeeperId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
