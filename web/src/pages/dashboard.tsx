import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import type { paths } from '../api/openapi';
import { ChartPanel, type PanelQuery } from '../components/chart-panel';
import { ErrorMessage } from '../components/states';
import { addDays, isoDate, money, words } from '../format';

type Json<P extends keyof paths> = paths[P] extends {
  get: { responses: { 200: { content: { 'application/json': infer T } } } };
}
  ? T
  : never;
type FlowMetrics = Json<'/api/v1/metrics/flow'>;
type TrendRow = FlowMetrics['cycle_time_trend']['series'][number];
type ExceptionRow = FlowMetrics['exceptions']['series'][number];
type OwnerRow = FlowMetrics['aging']['owners'][number];
type RejectionReason = Json<'/api/v1/reports/rejections'>['reasons'][number];
type WriteDownRow = Json<'/api/v1/reports/write-downs'>['rows'][number];

/** The period, interval, client and practice area asked for, kept in the address. */
interface Filters {
  from: string;
  to: string;
  interval: 'week' | 'month';
  client: string;
  practiceArea: string;
}

/** The default period: the 90 days ending today, as the flow metrics take it. */
function filtersOf(params: URLSearchParams): Filters {
  const to = params.get('to') || isoDate(new Date());
  return {
    from: params.get('from') || addDays(to, -89),
    to,
    interval: params.get('interval') === 'month' ? 'month' : 'week',
    client: params.get('client') ?? '',
    practiceArea: params.get('practice_area') ?? '',
  };
}

/** What every server query gets from the filters. */
function scopeOf(f: Filters) {
  return {
    from: f.from,
    to: f.to,
    ...(f.client ? { client_code: f.client } : {}),
    ...(f.practiceArea ? { practice_area: f.practiceArea } : {}),
  };
}

const asPanel = (q: {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  refetch: () => unknown;
}): PanelQuery => ({
  isPending: q.isPending,
  isError: q.isError,
  error: q.error,
  retry: () => void q.refetch(),
});

/** Whole seconds as hours with two decimals (exact from the integer). */
const hours = (seconds: number) => (seconds / 3600).toFixed(2);
const percent = (rate: number) => `${(rate * 100).toFixed(1)} %`;

/** Legal-ops dashboard: how invoices flow, where they stick and what the portals send back. */
export default function DashboardPage() {
  const [params, setParams] = useSearchParams();
  const filters = filtersOf(params);
  const scope = scopeOf(filters);

  const choices = useQuery({
    queryKey: ['metrics', 'filters'],
    queryFn: () => unwrap(api.GET('/api/v1/metrics/filters')),
  });
  const flow = useQuery({
    queryKey: ['metrics', 'flow', scope, filters.interval],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/metrics/flow', {
          params: { query: { ...scope, interval: filters.interval } },
        }),
      ),
  });
  const rejections = useQuery({
    queryKey: ['reports', 'rejections', scope],
    queryFn: () => unwrap(api.GET('/api/v1/reports/rejections', { params: { query: scope } })),
  });
  const writeDowns = useQuery({
    queryKey: ['reports', 'write-downs', scope],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/reports/write-downs', { params: { query: { ...scope, by: 'reason' } } }),
      ),
  });

  const flowPanel = asPanel(flow);
  const data = flow.data;
  const scopeWords =
    [filters.client, filters.practiceArea].filter(Boolean).join(', ') || 'the whole firm';

  return (
    <section>
      <h1>Dashboard</h1>
      <p className="muted">
        {filters.from} to {filters.to}, {scopeWords}. <Link to="/exceptions">Work exceptions</Link>{' '}
        · <Link to="/billing">Billing queue</Link>
      </p>
      <form
        className="filters"
        aria-label="Dashboard filters"
        key={params.toString()}
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          const next = new URLSearchParams();
          for (const name of ['from', 'to', 'interval', 'client', 'practice_area']) {
            const value = form.get(name);
            if (typeof value === 'string' && value.trim()) next.set(name, value.trim());
          }
          setParams(next);
        }}
      >
        <label>
          From
          <input type="date" name="from" defaultValue={filters.from} required />
        </label>
        <label>
          To
          <input type="date" name="to" defaultValue={filters.to} required />
        </label>
        <label>
          Trend by
          <select name="interval" defaultValue={filters.interval}>
            <option value="week">Week</option>
            <option value="month">Month</option>
          </select>
        </label>
        <label>
          Client
          <select name="client" defaultValue={filters.client}>
            <option value="">All clients</option>
            {choices.data?.clients.map((c) => (
              <option key={c.client_code} value={c.client_code}>
                {c.client_code} — {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Practice area
          <select name="practice_area" defaultValue={filters.practiceArea}>
            <option value="">All practice areas</option>
            {choices.data?.practice_areas.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Show</button>
        {params.size > 0 && (
          <button type="button" onClick={() => setParams(new URLSearchParams())}>
            Last 90 days, whole firm
          </button>
        )}
      </form>
      {choices.isError && (
        <ErrorMessage error={choices.error} retry={() => void choices.refetch()} />
      )}

      <div className="chart-grid">
        <CycleTimePanel rows={data?.cycle_time_trend.series ?? []} query={flowPanel} />
        <ExceptionPanel
          rows={data?.exceptions.series ?? []}
          query={flowPanel}
          interval={filters.interval}
        />
        <ChartPanel
          title="Rework and what triggers it"
          intro={
            data &&
            `Rework rate ${percent(data.rework.rate)}: ${data.rework.invoices_with_rework} of ${data.rework.invoices} invoices that moved were sent back (rework moves: ${data.rework.rework_moves} of ${data.rework.moves} moves).`
          }
          query={flowPanel}
          rows={[
            ...(data?.rework.by_move ?? []).map((m) => ({
              trigger: 'Move',
              what: `${words(m.from_state)} → ${words(m.to_state)}`,
              count: m.count,
            })),
            ...(data?.rework.by_reason ?? []).map((r) => ({
              trigger: 'Reason',
              what: r.reason ?? '(no reason given)',
              count: r.count,
            })),
          ]}
          rowKey={(r) => `${r.trigger}:${r.what}`}
          columns={[
            { header: 'Trigger', value: (r) => r.trigger },
            { header: 'Move or reason', value: (r) => r.what },
            { header: 'Rework moves', value: (r) => r.count, numeric: true },
          ]}
          chart={{
            kind: 'bars',
            horizontal: true,
            label: (r) => r.what,
            series: [{ name: 'Rework moves', value: (r) => r.count }],
          }}
          summary={(data?.rework.by_move ?? [])
            .map((m) => `${words(m.from_state)} to ${words(m.to_state)}: ${m.count}`)
            .join(', ')}
          fileName="rework-triggers.csv"
          empty={
            data && data.rework.invoices > 0
              ? `No invoice was sent back in this period: ${data.rework.invoices} invoices moved without rework.`
              : 'No invoice moved in this period. Widen the period or clear the filters; invoices start moving after a bill run (Billing queue).'
          }
        />
        <AgingPanel rows={data?.aging.owners ?? []} query={flowPanel} />
        <RejectionPanel
          rows={rejections.data?.reasons ?? []}
          query={asPanel(rejections)}
          intro={
            rejections.data &&
            `${rejections.data.responses} portal answers rejected or reduced an invoice: ${rejections.data.preventable} preventable, ${rejections.data.not_preventable} not preventable, ${rejections.data.unmapped} not in the reason-code map.`
          }
        />
        <ChartPanel
          title="Write-downs by reason"
          intro={
            writeDowns.data &&
            `${writeDowns.data.count} write-downs and discounts that stand${writeDowns.data.total_cents === null ? '' : `, ${money(writeDowns.data.total_cents)} in all`}.`
          }
          query={asPanel(writeDowns)}
          rows={writeDowns.data?.rows ?? []}
          rowKey={(r: WriteDownRow) => r.key}
          columns={[
            { header: 'Reason', value: (r) => r.label },
            { header: 'Code', value: (r) => r.key },
            { header: 'Write-downs', value: (r) => r.count, numeric: true },
            {
              header: 'Amount written off',
              value: (r) =>
                r.amount_cents === null ? 'hidden' : (r.amount_cents / 100).toFixed(2),
              numeric: true,
            },
          ]}
          chart={{
            kind: 'bars',
            horizontal: true,
            label: (r) => r.label,
            series: [{ name: 'Write-downs', value: (r) => r.count }],
          }}
          summary={(writeDowns.data?.rows ?? [])
            .map((r) => `${r.label}: ${r.count} (${money(r.amount_cents)})`)
            .join(', ')}
          fileName="write-downs-by-reason.csv"
          empty="No write-downs stand in this period. Reviewers write lines down on the invoice screen; widen the period or clear the filters to see older ones."
        />
      </div>
    </section>
  );
}

/** Cycle time by stage: median and 90th percentile per interval, in hours. */
function CycleTimePanel(props: { rows: readonly TrendRow[]; query: PanelQuery }) {
  const stages = [...new Set(props.rows.map((r) => r.stage))].sort();
  const periods = [...new Set(props.rows.map((r) => r.period_start))].sort();
  // One chart row per interval; a median and a p90 line per stage.
  const byKey = new Map(props.rows.map((r) => [`${r.period_start}|${r.stage}`, r]));
  const chartRows = periods.map((period) => ({
    period,
    of: (stage: string) => byKey.get(`${period}|${stage}`),
  }));
  return (
    <ChartPanel
      title="Cycle time by stage"
      intro="Hours in each stage, by the interval the invoice left it: median (solid) and 90th percentile (dashed)."
      query={props.query}
      rows={props.rows}
      rowKey={(r) => `${r.period_start}|${r.stage}`}
      columns={[
        { header: 'Period start', value: (r) => r.period_start },
        { header: 'Stage', value: (r) => words(r.stage) },
        { header: 'Visits', value: (r) => r.visits, numeric: true },
        { header: 'Median hours', value: (r) => hours(r.median_seconds), numeric: true },
        { header: '90th percentile hours', value: (r) => hours(r.p90_seconds), numeric: true },
      ]}
      chartRows={chartRows}
      chart={{
        kind: 'trend',
        unit: ' h',
        label: (r) => r.period,
        series: stages.flatMap((stage) => [
          {
            name: `${words(stage)} median`,
            value: (r: (typeof chartRows)[number]) =>
              Number(hours(r.of(stage)?.median_seconds ?? 0)),
          },
          {
            name: `${words(stage)} p90`,
            dashed: true,
            value: (r: (typeof chartRows)[number]) => Number(hours(r.of(stage)?.p90_seconds ?? 0)),
          },
        ]),
      }}
      summary={props.rows
        .map(
          (r) =>
            `${r.period_start} ${words(r.stage)} median ${hours(r.median_seconds)} h, p90 ${hours(r.p90_seconds)} h`,
        )
        .join('; ')}
      fileName="cycle-time-by-stage.csv"
      empty="No invoice left a stage in this period. Widen the period or clear the filters; invoices enter the flow with a bill run (Billing queue)."
    />
  );
}

/** How many rules the exceptions chart stacks one by one; the rest are one "Other rules" bar. */
const CHART_RULES = 8;
const OTHER_RULES = 'Other rules';

/** Exceptions opened per interval, stacked by rule, with their kind and where they stand. */
function ExceptionPanel(props: {
  rows: readonly ExceptionRow[];
  query: PanelQuery;
  interval: 'week' | 'month';
}) {
  // The chart stacks the rules with the most exceptions and sums the rest; the table has all.
  const byRule = new Map<string, number>();
  for (const r of props.rows) byRule.set(r.rule_id, (byRule.get(r.rule_id) ?? 0) + r.opened);
  const ranked = [...byRule.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const shown = ranked.slice(0, CHART_RULES).map(([rule]) => rule);
  const periods = [...new Set(props.rows.map((r) => r.period_start))].sort();
  const opened = new Map<string, number>();
  for (const r of props.rows) {
    const rule = shown.includes(r.rule_id) ? r.rule_id : OTHER_RULES;
    const key = `${r.period_start}|${rule}`;
    opened.set(key, (opened.get(key) ?? 0) + r.opened);
  }
  const rules = ranked.length > CHART_RULES ? [...shown, OTHER_RULES] : shown;
  const chartRows = periods.map((period) => ({
    period,
    of: (rule: string) => opened.get(`${period}|${rule}`) ?? 0,
  }));
  const total = props.rows.reduce((n, r) => n + r.opened, 0);
  const open = props.rows.reduce((n, r) => n + r.still_open, 0);
  return (
    <ChartPanel
      title="Exceptions by rule and type"
      intro={`${total} exceptions opened in the period (${open} still open), per ${props.interval}, stacked by rule.`}
      query={props.query}
      rows={props.rows}
      rowKey={(r) => `${r.period_start}|${r.rule_id}|${r.rule_kind}`}
      columns={[
        { header: 'Period start', value: (r) => r.period_start },
        { header: 'Rule', value: (r) => r.rule_id },
        { header: 'Type', value: (r) => r.rule_kind },
        { header: 'Opened', value: (r) => r.opened, numeric: true },
        { header: 'Blocking', value: (r) => r.blocking, numeric: true },
        { header: 'Resolved', value: (r) => r.resolved, numeric: true },
        { header: 'Waived', value: (r) => r.waived, numeric: true },
        { header: 'Still open', value: (r) => r.still_open, numeric: true },
      ]}
      chartRows={chartRows}
      chart={{
        kind: 'bars',
        stacked: true,
        label: (r) => r.period,
        series: rules.map((rule) => ({
          name: rule,
          value: (r: (typeof chartRows)[number]) => r.of(rule),
        })),
      }}
      summary={ranked.map(([rule, n]) => `${rule}: ${n} opened`).join(', ')}
      fileName="exceptions-by-rule.csv"
      empty="No exceptions opened in this period: the guidelines flagged nothing. Check that the clients' guidelines are active (Guidelines), or widen the period."
    />
  );
}

const BUCKETS = [
  ['days_0_2', '0–2 days'],
  ['days_3_5', '3–5 days'],
  ['days_6_10', '6–10 days'],
  ['over_10', 'Over 10 days'],
] as const;

/** Open invoices by current owner and days in their stage, now. */
function AgingPanel(props: { rows: readonly OwnerRow[]; query: PanelQuery }) {
  const owner = (r: OwnerRow) => r.owner_name ?? r.owner_email ?? 'Unassigned';
  return (
    <ChartPanel
      title="Aging by owner"
      intro="Open invoices now, by who holds them and how many days they have been in their stage."
      query={props.query}
      rows={props.rows}
      rowKey={(r) => String(r.owner_user_id ?? 'none')}
      columns={[
        { header: 'Owner', value: owner },
        ...BUCKETS.map(([key, label]) => ({
          header: label,
          value: (r: OwnerRow) => r[key],
          numeric: true,
        })),
        { header: 'Open invoices', value: (r) => r.invoices, numeric: true },
      ]}
      chart={{
        kind: 'bars',
        stacked: true,
        horizontal: true,
        label: owner,
        series: BUCKETS.map(([key, label]) => ({ name: label, value: (r: OwnerRow) => r[key] })),
      }}
      summary={props.rows
        .map(
          (r) =>
            `${owner(r)}: ${BUCKETS.map(([key, label]) => `${r[key]} at ${label}`).join(', ')}`,
        )
        .join('; ')}
      fileName="aging-by-owner.csv"
      empty="No open invoices for these filters. Run the month's bills from the Billing queue to start the flow."
    />
  );
}

/** Portal rejections and reductions by reason, with the rule that would have caught them. */
function RejectionPanel(props: {
  rows: readonly RejectionReason[];
  query: PanelQuery;
  intro: string | undefined;
}) {
  return (
    <ChartPanel
      title="Portal rejections by reason"
      intro={props.intro}
      query={props.query}
      rows={props.rows}
      rowKey={(r) => r.reason_code}
      columns={[
        { header: 'Reason code', value: (r) => r.reason_code },
        { header: 'Description', value: (r) => r.description ?? '' },
        { header: 'Rejected', value: (r) => r.rejected, numeric: true },
        { header: 'Reduced', value: (r) => r.reduced, numeric: true },
        {
          header: 'Reduced by',
          value: (r) =>
            r.reduced_by_cents === null ? 'hidden' : (-r.reduced_by_cents / 100).toFixed(2),
          numeric: true,
        },
        { header: 'Verdict', value: (r) => r.verdict },
      ]}
      chart={{
        kind: 'bars',
        stacked: true,
        horizontal: true,
        label: (r) => r.reason_code,
        series: [
          { name: 'Rejected', value: (r) => r.rejected },
          { name: 'Reduced', value: (r) => r.reduced },
        ],
      }}
      notes={
        <ul className="verdicts">
          {props.rows.map((r) => (
            <li key={r.reason_code}>
              <strong>{r.reason_code}</strong>: {r.verdict}
            </li>
          ))}
        </ul>
      }
      summary={props.rows
        .map((r) => `${r.reason_code}: ${r.rejected + r.reduced}, ${r.verdict}`)
        .join('; ')}
      fileName="portal-rejections-by-reason.csv"
      empty="No portal rejected or reduced an invoice in this period. Portal answers appear here once they are loaded (e-billing responses)."
    />
  );
}
