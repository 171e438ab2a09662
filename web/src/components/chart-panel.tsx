import { lazy, Suspense, useState, type ReactNode } from 'react';
import type * as Charts from './charts';
import type { Series } from './charts';
import { Empty, ErrorMessage, Loading } from './states';

// recharts is large: it loads with the first chart, never with the first page.
// (lazy() drops the charts' row type; the casts give it back.)
const TrendChart = lazy(() =>
  import('./charts').then((m) => ({ default: m.TrendChart })),
) as unknown as typeof Charts.TrendChart;
const BarsChart = lazy(() =>
  import('./charts').then((m) => ({ default: m.BarsChart })),
) as unknown as typeof Charts.BarsChart;

/** Turns rows into CSV text (RFC 4180 quoting). */
export function toCsv(
  header: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): string {
  const cell = (value: string | number) => {
    const text = String(value);
    return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** One column of a panel's table and of its CSV. */
export interface Column<R> {
  header: string;
  value: (row: R) => string | number;
  numeric?: boolean;
}

/** How a panel draws its rows: lines over time, or bars (grouped, stacked, horizontal). */
export type ChartSpec<R> =
  | { kind: 'trend'; label: (row: R) => string; series: readonly Series<R>[]; unit?: string }
  | {
      kind: 'bars';
      label: (row: R) => string;
      series: readonly Series<R>[];
      stacked?: boolean;
      horizontal?: boolean;
    };

/** A state for the whole panel while its data loads or when it failed. */
export type PanelQuery = {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  retry: () => void;
};

/**
 * A chart with a table view of the same numbers and a CSV download of them; the chart's rows
 * may differ from the table's (a pivot of them), the CSV is always the table.
 */
export function ChartPanel<R, C = R>(props: {
  title: string;
  /** A line under the title: a headline figure, or what the panel counts. */
  intro?: ReactNode;
  query: PanelQuery;
  rows: readonly R[];
  columns: readonly Column<R>[];
  rowKey: (row: R) => string;
  /** The chart's rows (defaults to the table's). */
  chartRows?: readonly C[];
  chart: ChartSpec<C>;
  /** Shown under the chart (not the table, which has every column). */
  notes?: ReactNode;
  /** What the chart says, in words, for screen readers. */
  summary: string;
  fileName: string;
  /** Said when there are no rows: what the figures would need, and what to do next. */
  empty: ReactNode;
}) {
  const [view, setView] = useState<'chart' | 'table'>('chart');
  const download = () => {
    const csv = toCsv(
      props.columns.map((c) => c.header),
      props.rows.map((row) => props.columns.map((c) => c.value(row))),
    );
    const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = props.fileName;
    document.body.append(link);
    link.click();
    link.remove();
    // Revoked once the browser has taken the download.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  const headingId = `panel-${props.fileName.replace(/\W+/g, '-')}`;
  const chartRows = (props.chartRows ?? props.rows) as readonly C[];
  let body: ReactNode;
  if (props.query.isPending) body = <Loading what={props.title.toLowerCase()} />;
  else if (props.query.isError)
    body = <ErrorMessage error={props.query.error} retry={props.query.retry} />;
  else if (props.rows.length === 0) body = <Empty>{props.empty}</Empty>;
  else if (view === 'chart')
    body = (
      <Suspense fallback={<Loading what="the chart" />}>
        <div role="img" aria-label={`${props.title}: ${props.summary}`}>
          {props.chart.kind === 'trend' ? (
            <TrendChart
              rows={chartRows}
              label={props.chart.label}
              series={props.chart.series}
              {...(props.chart.unit === undefined ? {} : { unit: props.chart.unit })}
            />
          ) : (
            <BarsChart
              rows={chartRows}
              label={props.chart.label}
              series={props.chart.series}
              stacked={props.chart.stacked ?? false}
              horizontal={props.chart.horizontal ?? false}
            />
          )}
        </div>
        {props.notes}
      </Suspense>
    );
  else
    body = (
      <div className="table-scroll">
        <table className="data">
          <caption className="visually-hidden">{props.title}</caption>
          <thead>
            <tr>
              {props.columns.map((c) => (
                <th key={c.header} scope="col" className={c.numeric ? 'num' : undefined}>
                  {c.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.rows.map((row) => (
              <tr key={props.rowKey(row)}>
                {props.columns.map((c) => (
                  <td key={c.header} className={c.numeric ? 'num' : undefined}>
                    {c.value(row)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  const ready = !props.query.isPending && !props.query.isError && props.rows.length > 0;
  return (
    <section className="chart-panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{props.title}</h2>
      {props.intro && !props.query.isPending && !props.query.isError && (
        <p className="muted">{props.intro}</p>
      )}
      <div className="toolbar" role="group" aria-label={`${props.title}: view`}>
        <button type="button" aria-pressed={view === 'chart'} onClick={() => setView('chart')}>
          Chart
        </button>
        <button type="button" aria-pressed={view === 'table'} onClick={() => setView('table')}>
          Table
        </button>
        <button
          type="button"
          onClick={download}
          disabled={!ready}
          aria-label={`Download ${props.title} as CSV`}
        >
          Download CSV
        </button>
      </div>
      {body}
    </section>
  );
}
