import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { Empty, ErrorMessage, Loading } from '../components/states';
import { age, moneyOrHidden } from '../format';
import { useMe } from '../session';
import { SLA_WORDS, slaState } from '../workflow';

/** Pre-bills waiting for my sign-off (routed to me), oldest first. */
export default function ReviewQueuePage() {
  const me = useMe();
  const invoices = useQuery({
    queryKey: ['invoices', 'review'],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/invoices', {
          params: { query: { state: 'ready_for_approval', limit: 500 } },
        }),
      ),
  });
  if (invoices.isPending) return <Loading what="your review queue" />;
  if (invoices.isError) return <ErrorMessage error={invoices.error} />;
  const mine = invoices.data.items
    .filter((i) => i.owner_user_id === me.user_id)
    .sort((a, b) => Date.parse(a.stage_entered_at) - Date.parse(b.stage_entered_at));
  return (
    <section>
      <h1>Review queue</h1>
      {mine.length === 0 ? (
        <Empty>No pre-bills are waiting for your approval.</Empty>
      ) : (
        <table className="data">
          <caption>{mine.length} pre-bills waiting for you</caption>
          <thead>
            <tr>
              <th scope="col">Invoice</th>
              <th scope="col">Client</th>
              <th scope="col">Matter</th>
              <th scope="col">Level</th>
              <th scope="col">Waiting</th>
              <th scope="col">SLA</th>
              <th scope="col" className="num">
                Total
              </th>
            </tr>
          </thead>
          <tbody>
            {mine.map((invoice) => {
              const sla = slaState(invoice.state, invoice.stage_entered_at);
              return (
                <tr key={invoice.id}>
                  <td>
                    <Link to={`/invoices/${invoice.id}`}>{invoice.invoice_number}</Link>
                  </td>
                  <td>{invoice.client_code}</td>
                  <td>{invoice.matter_code}</td>
                  <td>{invoice.approval_level}</td>
                  <td>{age(invoice.stage_entered_at)}</td>
                  <td>
                    <span className={`sla sla-${sla}`}>{SLA_WORDS[sla]}</span>
                  </td>
                  <td className="num">{moneyOrHidden(invoice.total_cents, invoice.currency)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
