import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { ChartPanel } from '../components/chart-panel';
import { Empty, ErrorMessage, Loading } from '../components/states';
import { words } from '../format';

function countBy<T>(items: readonly T[], key: (item: T) => string) {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts.entries()]
    .map(([label, value]) => ({ label, value }))
    .sort((a, b) => b.value - a.value || a.label.localeCompare(b.label));
}

/** Legal ops dashboard: what is blocked today, by rule, by owner and by matter. */
export default function DashboardPage() {
  const exceptions = useQuery({
    queryKey: ['exceptions', 'dashboard'],
    queryFn: () =>
      unwrap(api.GET('/api/v1/exceptions', { params: { query: { state: 'open', limit: 500 } } })),
  });
  if (exceptions.isPending) return <Loading what="the dashboard" />;
  if (exceptions.isError) return <ErrorMessage error={exceptions.error} />;
  const items = exceptions.data.items;
  return (
    <section>
      <h1>Dashboard</h1>
      {items.length === 0 ? (
        <Empty>No open exceptions: nothing is blocked.</Empty>
      ) : (
        <>
          <p className="muted">
            {items.length}
            {exceptions.data.next_cursor ? ' (the first 500)' : ''} open exceptions.{' '}
            <Link to="/exceptions">Work them</Link> · <Link to="/billing">Billing queue</Link>
          </p>
          <div className="chart-grid">
            <ChartPanel
              title="Open exceptions by rule"
              labelName="Rule"
              valueName="Open exceptions"
              rows={countBy(items, (e) => e.rule_id)}
              fileName="open-exceptions-by-rule.csv"
            />
            <ChartPanel
              title="Open exceptions by owner"
              labelName="Owner"
              valueName="Open exceptions"
              rows={countBy(items, (e) => words(e.owner_role))}
              fileName="open-exceptions-by-owner.csv"
            />
            <ChartPanel
              title="Open exceptions by matter"
              labelName="Matter"
              valueName="Open exceptions"
              rows={countBy(items, (e) => e.matter_code).slice(0, 15)}
              fileName="open-exceptions-by-matter.csv"
            />
          </div>
        </>
      )}
    </section>
  );
}
