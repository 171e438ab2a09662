import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import type { paths } from '../api/openapi';
import { Empty, ErrorMessage, Loading } from '../components/states';
import { useUserNames } from '../components/users';
import { age, isoDate, moneyOrHidden, words } from '../format';
import { useMe } from '../session';
import { INVOICE_STATES, SLA_WORDS, slaState } from '../workflow';

type InvoiceQuery = NonNullable<paths['/api/v1/invoices']['get']['parameters']['query']>;
const PAGE_SIZE = 50;

/** Billing queue: invoices by stage, with owner, age and SLA state, a page at a time. */
export default function BillingQueuePage() {
  const me = useMe();
  const mayRunBills = me.roles.some((r) =>
    ['billing_coordinator', 'legal_ops', 'admin'].includes(r),
  );
  return (
    <section>
      <h1>Billing queue</h1>
      {mayRunBills && <BillRunForm />}
      <InvoiceTable />
    </section>
  );
}

/** Reads the filters from the address bar, so a filtered queue can be bookmarked or shared. */
function useFilters() {
  const [params, setParams] = useSearchParams();
  const filters: InvoiceQuery = {};
  const state = params.get('state');
  if (state && (INVOICE_STATES as readonly string[]).includes(state))
    filters.state = state as InvoiceQuery['state'];
  for (const key of ['client_code', 'matter_code', 'period'] as const) {
    const value = params.get(key);
    if (value) filters[key] = value;
  }
  const update = (next: Record<string, string>) => {
    const merged = new URLSearchParams();
    for (const [key, value] of Object.entries(next)) if (value) merged.set(key, value);
    setParams(merged);
  };
  return { filters, update };
}

function InvoiceTable() {
  const me = useMe();
  const { filters, update } = useFilters();
  // Keyset pages: the cursors of the pages behind us, so "Previous" is one step back.
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const invoices = useQuery({
    queryKey: ['invoices', filters, cursor],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/invoices', {
          params: { query: { ...filters, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } },
        }),
      ),
    placeholderData: (previous) => previous,
  });
  const nameOf = useUserNames(me.roles.some((r) => r !== 'timekeeper'));
  const applyFilters = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setCursors([]);
    update(
      Object.fromEntries(
        [...form.entries()].map(([k, v]) => [k, typeof v === 'string' ? v.trim() : '']),
      ),
    );
  };
  const now = Date.now();
  // Overdue first within the page, then by how long the invoice has waited in its stage.
  const rows = [...(invoices.data?.items ?? [])]
    .map((invoice) => ({ invoice, sla: slaState(invoice.state, invoice.stage_entered_at, now) }))
    .sort((a, b) => {
      const rank = (s: string) => (s === 'overdue' ? 0 : s === 'due_soon' ? 1 : 2);
      return (
        rank(a.sla) - rank(b.sla) ||
        Date.parse(a.invoice.stage_entered_at) - Date.parse(b.invoice.stage_entered_at)
      );
    });

  return (
    <>
      <form
        className="filters"
        aria-label="Filter invoices"
        onSubmit={applyFilters}
        key={JSON.stringify(filters)}
      >
        <label>
          Stage
          <select name="state" defaultValue={filters.state ?? ''}>
            <option value="">Any stage</option>
            {INVOICE_STATES.map((state) => (
              <option key={state} value={state}>
                {words(state)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Client
          <input
            name="client_code"
            defaultValue={filters.client_code ?? ''}
            placeholder="Client code"
          />
        </label>
        <label>
          Matter
          <input
            name="matter_code"
            defaultValue={filters.matter_code ?? ''}
            placeholder="Matter code"
          />
        </label>
        <label>
          Period
          <input
            name="period"
            defaultValue={filters.period ?? ''}
            placeholder="YYYY-MM"
            pattern="\d{4}-\d{2}"
          />
        </label>
        <button type="submit">Filter</button>
      </form>
      {invoices.isPending ? (
        <Loading what="invoices" />
      ) : invoices.isError ? (
        <ErrorMessage error={invoices.error} retry={() => void invoices.refetch()} />
      ) : rows.length === 0 ? (
        <Empty>No invoices match. Run a bill run for a period to create drafts.</Empty>
      ) : (
        <table className="data" aria-busy={invoices.isFetching}>
          <caption>
            Invoices {cursors.length * PAGE_SIZE + 1}–{cursors.length * PAGE_SIZE + rows.length}
          </caption>
          <thead>
            <tr>
              <th scope="col">Invoice</th>
              <th scope="col">Client</th>
              <th scope="col">Matter</th>
              <th scope="col">Period</th>
              <th scope="col">Fee arrangement</th>
              <th scope="col">Stage</th>
              <th scope="col">Owner</th>
              <th scope="col">In stage</th>
              <th scope="col">SLA</th>
              <th scope="col" className="num">
                Total
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ invoice, sla }) => (
              <tr key={invoice.id} className={sla === 'overdue' ? 'row-overdue' : undefined}>
                <td>
                  <Link to={`/invoices/${invoice.id}`}>{invoice.invoice_number}</Link>
                </td>
                <td>{invoice.client_code}</td>
                <td>{invoice.matter_code}</td>
                <td>{invoice.period_start.slice(0, 7)}</td>
                <td>{words(invoice.fee_arrangement)}</td>
                <td>
                  <span className={`status status-${invoice.state}`}>{words(invoice.state)}</span>
                </td>
                <td>
                  {words(invoice.owner_role)}
                  {invoice.owner_role && (
                    <span className="muted"> · {nameOf(invoice.owner_user_id)}</span>
                  )}
                </td>
                <td>{age(invoice.stage_entered_at, now)}</td>
                <td>
                  <span className={`sla sla-${sla}`}>{SLA_WORDS[sla]}</span>
                </td>
                <td className="num">{moneyOrHidden(invoice.total_cents, invoice.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav className="pager" aria-label="Pages">
        <button
          type="button"
          disabled={cursors.length === 0}
          onClick={() => setCursors((c) => c.slice(0, -1))}
        >
          ← Previous
        </button>
        <button
          type="button"
          disabled={!invoices.data?.next_cursor}
          onClick={() => setCursors((c) => [...c, invoices.data!.next_cursor!])}
        >
          Next →
        </button>
      </nav>
    </>
  );
}

function lastMonth(): string {
  const d = new Date();
  d.setDate(1);
  d.setMonth(d.getMonth() - 1);
  return isoDate(d).slice(0, 7);
}

function BillRunForm() {
  const queryClient = useQueryClient();
  const [period, setPeriod] = useState(lastMonth);
  const [clientCode, setClientCode] = useState('');
  const run = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/bill-runs', {
          body: { period, ...(clientCode.trim() ? { client_code: clientCode.trim() } : {}) },
        }),
      ),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['invoices'] }),
  });
  return (
    <form
      className="bill-run"
      aria-label="Bill run"
      onSubmit={(e) => {
        e.preventDefault();
        run.mutate();
      }}
    >
      <h2>Bill run</h2>
      <div className="fields">
        <label>
          Period
          <input type="month" required value={period} onChange={(e) => setPeriod(e.target.value)} />
        </label>
        <label>
          Client (optional)
          <input
            value={clientCode}
            onChange={(e) => setClientCode(e.target.value.toUpperCase())}
            placeholder="All clients"
          />
        </label>
        <button type="submit" disabled={run.isPending}>
          {run.isPending ? 'Running…' : 'Run bills'}
        </button>
      </div>
      {run.isError && <ErrorMessage error={run.error} />}
      {run.data && (
        <div className="report" role="status">
          <p>
            Bill run for {run.data.period}: {run.data.created} created, {run.data.refreshed}{' '}
            refreshed, {run.data.unchanged} unchanged; {run.data.entries_billed} time entries and{' '}
            {run.data.expenses_billed} expenses billed.
          </p>
          {run.data.skipped.length > 0 && (
            <details>
              <summary>{run.data.skipped.length} items could not be billed</summary>
              <ul>
                {run.data.skipped.map((s) => (
                  <li key={`${s.entity}-${s.id}`}>
                    {words(s.entity)} {s.id} on {s.matter_code}: {s.message}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </div>
      )}
    </form>
  );
}
