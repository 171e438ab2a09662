import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

/** A bar chart of one count per label; loaded only when a dashboard shows one. */
export default function CountBarChart(props: {
  rows: readonly { label: string; value: number }[];
  valueName: string;
}) {
  return (
    <ResponsiveContainer width="100%" height={Math.max(160, props.rows.length * 28 + 40)}>
      <BarChart data={[...props.rows]} layout="vertical" margin={{ left: 16, right: 16 }}>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" allowDecimals={false} />
        <YAxis type="category" dataKey="label" width={180} />
        <Tooltip />
        <Bar dataKey="value" name={props.valueName} fill="#1f5fbf" isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}
