/**
 * The dashboard's chart kinds, drawn with recharts. This module is loaded only when a chart is
 * shown (see chart-panel.tsx), never with the first page.
 */
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

/** One drawn series: a name for the legend and how to read its value from a row. */
export interface Series<R> {
  name: string;
  value: (row: R) => number;
  dashed?: boolean;
}

/** Okabe–Ito's colour-blind-safe colours and three more of Tol's, cycled past ten series. */
const COLOURS = [
  '#0072b2',
  '#d55e00',
  '#009e73',
  '#cc79a7',
  '#e69f00',
  '#56b4e9',
  '#000000',
  '#882255',
  '#999933',
  '#888888',
];
const colour = (index: number) => COLOURS[index % COLOURS.length]!;

/** Lines over time: one per series, x from `label`. */
export function TrendChart<R>(props: {
  rows: readonly R[];
  label: (row: R) => string;
  series: readonly Series<R>[];
  unit?: string;
}) {
  return (
    <ResponsiveContainer width="100%" height={260}>
      <LineChart data={[...props.rows]} margin={{ left: 8, right: 16, top: 8 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey={props.label} />
        <YAxis unit={props.unit} />
        <Tooltip />
        <Legend />
        {props.series.map((s, i) => (
          <Line
            key={s.name}
            type="monotone"
            dataKey={s.value}
            name={s.name}
            stroke={colour(i)}
            strokeDasharray={s.dashed ? '6 3' : undefined}
            isAnimationActive={false}
            dot
          />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}

/** Bars, one group or stack per row: vertical over time, horizontal for named categories. */
export function BarsChart<R>(props: {
  rows: readonly R[];
  label: (row: R) => string;
  series: readonly Series<R>[];
  stacked?: boolean;
  horizontal?: boolean;
}) {
  const height = props.horizontal ? Math.max(160, props.rows.length * 32 + 60) : 300;
  return (
    <ResponsiveContainer width="100%" height={height}>
      <BarChart
        data={[...props.rows]}
        layout={props.horizontal ? 'vertical' : 'horizontal'}
        margin={{ left: 8, right: 16, top: 8 }}
      >
        <CartesianGrid strokeDasharray="3 3" />
        {props.horizontal ? (
          <>
            <XAxis type="number" allowDecimals={false} />
            <YAxis type="category" dataKey={props.label} width={180} interval={0} />
          </>
        ) : (
          <>
            <XAxis dataKey={props.label} />
            <YAxis allowDecimals={false} />
          </>
        )}
        <Tooltip />
        {props.series.length > 1 && <Legend />}
        {props.series.map((s, i) => (
          <Bar
            key={s.name}
            dataKey={s.value}
            name={s.name}
            fill={colour(i)}
            isAnimationActive={false}
            {...(props.stacked ? { stackId: 'stack' } : {})}
          />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
