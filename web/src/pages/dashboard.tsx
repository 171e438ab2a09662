import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { Empty, ErrorMessage, Loading } from '../components/states';
import { words } from '../format';

/** Legal ops dashboard: what is blocked today, by rule and owner. */
export default function DashboardPage() {
  const exceptions = useQuery({
    queryKey: ['exceptions', 'dashboard'],
    queryFn: () =>
      unwrap(api.GET('/api/v1/exceptions', { params: { query: { state: 'open', limit: 500 } } })),
  });
  if (exceptions.isPending) return <Loading what="the dashboard" />;
  if (exceptions.isError) return <ErrorMessage error={exceptions.error} />;
  const byRule = new Map<
    string,
    { rule: string; severity: string; owner: string; count: number }
  >();
  for (const ex of exceptions.data.items) {
    const row = byRule.get(ex.rule_id) ?? {
      rule: ex.rule_id,
      severity: ex.severity,
      owner: ex.owner_role,
      count: 0,
    };
    row.count += 1;
    byRule.set(ex.rule_id, row);
  }
  const rows = [...byRule.values()].sort((a, b) => b.count - a.count);
  return (
    <section>
      <h1>Dashboard</h1>
      <h2>Open exceptions by rule</h2>
      {rows.length === 0 ? (
        <Empty>No open exceptions.</Empty>
      ) : (
        <table className="data">
          <caption>
            {exceptions.data.items.length}
            {exceptions.data.next_cursor ? '+' : ''} open exceptions
          </caption>
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">Severity</th>
              <th scope="col">Owner</th>
              <th scope="col" className="num">
                Open
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.rule}>
                <td>{row.rule}</td>
                <td>{words(row.severity)}</td>
                <td>{words(row.owner)}</td>
                <td className="num">{row.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <Link to="/exceptions">Work the exceptions</Link> · <Link to="/billing">Billing queue</Link>
      </p>
    </section>
  );
}
