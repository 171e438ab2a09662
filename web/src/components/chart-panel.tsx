import { lazy, Suspense, useState } from 'react';
import { Loading } from './states';

// recharts is large: it loads with the first chart, never with the first page.
const CountBarChart = lazy(() => import('./bar-chart'));

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

/** A chart with a table view of the same numbers and a CSV download of them. */
export function ChartPanel(props: {
  title: string;
  labelName: string;
  valueName: string;
  rows: readonly { label: string; value: number }[];
  fileName: string;
}) {
  const [view, setView] = useState<'chart' | 'table'>('chart');
  const download = () => {
    const csv = toCsv(
      [props.labelName, props.valueName],
      props.rows.map((r) => [r.label, r.value]),
    );
    const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = props.fileName;
    link.click();
    URL.revokeObjectURL(url);
  };
  return (
    <section className="chart-panel" aria-label={props.title}>
      <h2>{props.title}</h2>
      <div className="toolbar" role="group" aria-label={`${props.title}: view`}>
        <button type="button" aria-pressed={view === 'chart'} onClick={() => setView('chart')}>
          Chart
        </button>
        <button type="button" aria-pressed={view === 'table'} onClick={() => setView('table')}>
          Table
        </button>
        <button type="button" onClick={download}>
          Download CSV
        </button>
      </div>
      {view === 'chart' ? (
        <Suspense fallback={<Loading what="the chart" />}>
          <div
            role="img"
            aria-label={`${props.title}: ${props.rows.map((r) => `${r.label} ${r.value}`).join(', ')}`}
          >
            <CountBarChart rows={props.rows} valueName={props.valueName} />
          </div>
        </Suspense>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">{props.labelName}</th>
              <th scope="col" className="num">
                {props.valueName}
              </th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((row) => (
              <tr key={row.label}>
                <td>{row.label}</td>
                <td className="num">{row.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
