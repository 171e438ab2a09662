import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../api/client';
import type { paths } from '../api/openapi';
import { Empty, ErrorMessage, Loading } from '../components/states';
import { useUserNames } from '../components/users';
import { age, moneyOrHidden, when, words } from '../format';
import { useMe } from '../session';
import { movesFor, SLA_WORDS, slaState, type InvoiceState } from '../workflow';

type Invoice =
  paths['/api/v1/invoices/{id}']['get']['responses'][200]['content']['application/json'];
type Line = Invoice['lines'][number];

/** One invoice: totals, lines by timekeeper and task, open exceptions, history and the moves I may make. */
export default function InvoicePage() {
  const id = Number(useParams().id);
  const me = useMe();
  const invoice = useQuery({
    queryKey: ['invoice', id],
    queryFn: () => unwrap(api.GET('/api/v1/invoices/{id}', { params: { path: { id } } })),
    enabled: Number.isInteger(id) && id > 0,
  });
  const nameOf = useUserNames(true);
  if (!Number.isInteger(id) || id <= 0) return <Empty>There is no such invoice.</Empty>;
  if (invoice.isPending) return <Loading what="the invoice" />;
  if (invoice.isError) return <ErrorMessage error={invoice.error} />;
  const inv = invoice.data;
  const sla = slaState(inv.state, inv.stage_entered_at);
  return (
    <section>
      <p>
        <Link to={me.roles.includes('approver') ? '/review' : '/billing'}>← Back to the queue</Link>
      </p>
      <h1>
        Invoice {inv.invoice_number} <span className="muted">· {inv.matter_code}</span>
      </h1>
      <dl className="summary">
        <div>
          <dt>Stage</dt>
          <dd>
            <span className={`status status-${inv.state}`}>{words(inv.state)}</span>
          </dd>
        </div>
        <div>
          <dt>Owner</dt>
          <dd>
            {words(inv.owner_role)} · {nameOf(inv.owner_user_id)}
          </dd>
        </div>
        <div>
          <dt>In stage</dt>
          <dd>
            {age(inv.stage_entered_at)} <span className={`sla sla-${sla}`}>{SLA_WORDS[sla]}</span>
          </dd>
        </div>
        <div>
          <dt>Period</dt>
          <dd>
            {inv.period_start} to {inv.period_end}
          </dd>
        </div>
        <div>
          <dt>Client</dt>
          <dd>{inv.client_code}</dd>
        </div>
        <div>
          <dt>Fee arrangement</dt>
          <dd>{words(inv.fee_arrangement)}</dd>
        </div>
        <div>
          <dt>Fees (worked)</dt>
          <dd>{moneyOrHidden(inv.worked_fees_cents, inv.currency)}</dd>
        </div>
        <div>
          <dt>Fees (billed)</dt>
          <dd>{moneyOrHidden(inv.fees_cents, inv.currency)}</dd>
        </div>
        <div>
          <dt>Expenses</dt>
          <dd>{moneyOrHidden(inv.expenses_cents, inv.currency)}</dd>
        </div>
        <div>
          <dt>Adjustments</dt>
          <dd>{moneyOrHidden(inv.adjustments_cents, inv.currency)}</dd>
        </div>
        <div>
          <dt>Total</dt>
          <dd className="total">{moneyOrHidden(inv.total_cents, inv.currency)}</dd>
        </div>
      </dl>
      <Moves invoice={inv} />
      <MatterExceptions matterCode={inv.matter_code} />
      <Lines invoice={inv} />
      <History id={inv.id} />
    </section>
  );
}

function Moves(props: { invoice: Invoice }) {
  const me = useMe();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const reasonField = useRef<HTMLInputElement>(null);
  const moves = movesFor(me, props.invoice);
  const move = useMutation({
    mutationFn: (to: InvoiceState) =>
      unwrap(
        api.POST('/api/v1/invoices/{id}/transitions', {
          params: { path: { id: props.invoice.id } },
          body: {
            to,
            version: props.invoice.version,
            ...(reason.trim() ? { reason: reason.trim() } : {}),
          },
        }),
      ),
    onSuccess: () => {
      setReason('');
      void queryClient.invalidateQueries({ queryKey: ['invoice', props.invoice.id] });
      void queryClient.invalidateQueries({ queryKey: ['invoice-history', props.invoice.id] });
      void queryClient.invalidateQueries({ queryKey: ['invoices'] });
    },
  });
  // Keyboard: "a" approves, "s" starts a send-back (focus on the reason), outside text fields.
  const approve = moves.find((t) => t.action === 'approve');
  const sendsBack = moves.some((t) => t.requiresReason);
  const { mutate, isPending } = move;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (target?.closest('input, textarea, select, [contenteditable="true"]')) return;
      if (event.key === 'a' && approve && !isPending) {
        event.preventDefault();
        mutate(approve.to);
      } else if (event.key === 's' && sendsBack) {
        event.preventDefault();
        reasonField.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [approve, sendsBack, mutate, isPending]);
  if (moves.length === 0)
    return (
      <p className="muted">
        You make no move on this invoice while it is {words(props.invoice.state).toLowerCase()}.
      </p>
    );
  return (
    <section className="moves" aria-label="Moves">
      <h2>Move this invoice</h2>
      <label className="wide">
        Reason or question (required for moves back and holds)
        <input ref={reasonField} value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      <div className="actions">
        {moves.map((t) => (
          <button
            key={t.action}
            type="button"
            disabled={move.isPending || (t.requiresReason && reason.trim() === '')}
            onClick={() => move.mutate(t.to)}
          >
            {words(t.action)} → {words(t.to)}
          </button>
        ))}
      </div>
      {move.isError && <ErrorMessage error={move.error} />}
      {move.isSuccess && <p role="status">Moved to {words(move.data.state)}.</p>}
      {(approve || sendsBack) && (
        <p className="muted shortcuts">
          Keys: {approve && <kbd>a</kbd>}
          {approve && ' approve'}
          {approve && sendsBack && ' · '}
          {sendsBack && (
            <>
              <kbd>s</kbd> write the reason to send back
            </>
          )}
        </p>
      )}
    </section>
  );
}

function MatterExceptions(props: { matterCode: string }) {
  const exceptions = useQuery({
    queryKey: ['exceptions', 'matter', props.matterCode],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/exceptions', {
          params: { query: { matter_code: props.matterCode, state: 'open', limit: 200 } },
        }),
      ),
  });
  return (
    <section aria-label="Exceptions">
      <h2>Open exceptions on this matter</h2>
      {exceptions.isPending ? (
        <Loading what="exceptions" />
      ) : exceptions.isError ? (
        <ErrorMessage error={exceptions.error} />
      ) : exceptions.data.items.length === 0 ? (
        <Empty>None: the guidelines find nothing open on this matter.</Empty>
      ) : (
        <ul className="exception-list">
          {exceptions.data.items.map((ex) => (
            <li key={ex.id} className={`sev-${ex.severity}`}>
              <strong>{words(ex.severity)}</strong> {ex.message}{' '}
              <span className="muted">
                ({words(ex.entity_type)} {ex.entity_id}; rule {ex.rule_id}; owner{' '}
                {words(ex.owner_role)})
              </span>
            </li>
          ))}
        </ul>
      )}
      <p>
        <Link to={`/exceptions?matter_code=${encodeURIComponent(props.matterCode)}`}>
          Work these exceptions
        </Link>
      </p>
    </section>
  );
}

/** Groups fee lines by timekeeper and then task; expense and adjustment lines follow. */
function Lines(props: { invoice: Invoice }) {
  const { invoice } = props;
  const groups = new Map<string, Line[]>();
  for (const line of invoice.lines) {
    const key =
      line.line_type === 'F'
        ? `Timekeeper ${line.timekeeper_id ?? '—'} · ${line.task_code ?? 'no task'}`
        : line.line_type === 'E'
          ? 'Expenses'
          : 'Invoice adjustments';
    groups.set(key, [...(groups.get(key) ?? []), line]);
  }
  if (invoice.lines.length === 0) return <Empty>This invoice has no lines.</Empty>;
  return (
    <section aria-label="Lines">
      <h2>Lines</h2>
      <table className="data">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Date</th>
            <th scope="col">Description</th>
            <th scope="col">Activity</th>
            <th scope="col" className="num">
              Units
            </th>
            <th scope="col" className="num">
              Rate
            </th>
            <th scope="col" className="num">
              Adjustment
            </th>
            <th scope="col" className="num">
              Amount
            </th>
          </tr>
        </thead>
        {[...groups.entries()].map(([group, lines]) => (
          <tbody key={group}>
            <tr className="group-row">
              <th scope="rowgroup" colSpan={7}>
                {group}
              </th>
              <td className="num">
                {moneyOrHidden(
                  lines.some((l) => l.amount_cents === null)
                    ? null
                    : lines.reduce((sum, l) => sum + (l.amount_cents ?? 0), 0),
                  invoice.currency,
                )}
              </td>
            </tr>
            {lines.map((line) => (
              <tr key={line.id}>
                <td>{line.line_number}</td>
                <td>{line.work_date ?? '—'}</td>
                <td className="narrative">{line.description}</td>
                <td>{line.activity_code ?? line.expense_code ?? '—'}</td>
                <td className="num">{line.units}</td>
                <td className="num">{moneyOrHidden(line.unit_cost_cents, invoice.currency)}</td>
                <td className="num">
                  {line.adjustment_cents === 0
                    ? ''
                    : moneyOrHidden(line.adjustment_cents, invoice.currency)}
                </td>
                <td className="num">{moneyOrHidden(line.amount_cents, invoice.currency)}</td>
              </tr>
            ))}
          </tbody>
        ))}
      </table>
    </section>
  );
}

function History(props: { id: number }) {
  const history = useQuery({
    queryKey: ['invoice-history', props.id],
    queryFn: () =>
      unwrap(api.GET('/api/v1/invoices/{id}/history', { params: { path: { id: props.id } } })),
  });
  return (
    <section aria-label="History">
      <h2>History</h2>
      {history.isPending ? (
        <Loading what="history" />
      ) : history.isError ? (
        <ErrorMessage error={history.error} />
      ) : (
        <ol className="history">
          {history.data.audit_events.map((event) => (
            <li key={event.id}>
              <time dateTime={event.occurred_at}>{when(event.occurred_at)}</time> — {event.actor}:{' '}
              {words(event.action.replaceAll('.', ' '))}
              {event.reason && <span className="muted"> (“{event.reason}”)</span>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
