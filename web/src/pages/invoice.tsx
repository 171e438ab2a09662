import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { Empty, ErrorMessage, Loading } from '../components/states';
import { useUserNames } from '../components/users';
import { age, moneyOrHidden, when, words } from '../format';
import { useMe } from '../session';
import { movesFor, SLA_WORDS, slaState, type InvoiceState } from '../workflow';
import {
  InvoiceAdjustment,
  PacketSummary,
  PendingWriteDowns,
  PrebillLines,
  usePrebillReview,
  useReasonLabel,
  type Invoice,
  type Review,
} from './prebill-review';

/**
 * One invoice and its pre-bill review: totals, the packet (budget, exceptions, questions), lines
 * by timekeeper or task with their pre-bill moves, pending write-downs, history, the LEDES file
 * once approved, and the workflow moves I may make.
 */
export default function InvoicePage() {
  const id = Number(useParams().id);
  const me = useMe();
  const invoice = useQuery({
    queryKey: ['invoice', id],
    queryFn: () => unwrap(api.GET('/api/v1/invoices/{id}', { params: { path: { id } } })),
    enabled: Number.isInteger(id) && id > 0,
  });
  const nameOf = useUserNames(true);
  const review = usePrebillReview(id);
  const reasonLabel = useReasonLabel();
  const [done, setDone] = useState('');
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
      <p role="status" className="done-status">
        {done}
      </p>
      <Moves invoice={inv} review={review.data} />
      {review.isPending ? (
        <Loading what="the pre-bill packet" />
      ) : review.isError ? (
        <ErrorMessage error={review.error} />
      ) : (
        <>
          {review.data.may.export_ledes && <LedesDownload invoice={inv} />}
          <PacketSummary invoice={inv} review={review.data} />
          <PendingWriteDowns invoice={inv} review={review.data} reasonLabel={reasonLabel} />
          {review.data.may.edit_lines && <InvoiceAdjustment invoice={inv} onDone={setDone} />}
          <PrebillLines
            invoice={inv}
            review={review.data}
            reasonLabel={reasonLabel}
            nameOf={nameOf}
            onDone={setDone}
          />
        </>
      )}
      <History id={inv.id} />
    </section>
  );
}

/** The invoice's LEDES file, for roles that export once it is approved (each download is recorded). */
function LedesDownload(props: { invoice: Invoice }) {
  return (
    <p className="ledes-download">
      <a
        href={`/api/v1/invoices/${props.invoice.id}/ledes`}
        download={`${props.invoice.invoice_number}.txt`}
      >
        Download the LEDES file
      </a>{' '}
      <span className="muted">(recorded as an export with its checksum)</span>
    </p>
  );
}

function Moves(props: { invoice: Invoice; review: Review | undefined }) {
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
      void queryClient.invalidateQueries({ queryKey: ['prebill', props.invoice.id] });
      void queryClient.invalidateQueries({ queryKey: ['invoices'] });
    },
  });
  // Keyboard: "a" approves, "s" starts a send-back (focus on the reason), outside text fields.
  const approve = moves.find((t) => t.action === 'approve');
  const sendsBack = moves.some((t) => t.requiresReason);
  const lineSendBack = props.review?.may.ask_questions ?? false;
  const lineEdits = props.review?.may.edit_lines ?? false;
  const { mutate, isPending } = move;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (target?.closest('input, textarea, select, dialog, [contenteditable="true"]')) return;
      // On a focused line, "s" sends that line back to its timekeeper (the lines handle it).
      if (event.key === 's' && lineSendBack && target?.closest('tr[data-line-id]')) return;
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
  }, [approve, sendsBack, lineSendBack, mutate, isPending]);
  if (moves.length === 0)
    return (
      <>
        <p className="muted">
          You make no move on this invoice while it is {words(props.invoice.state).toLowerCase()}.
        </p>
        <Shortcuts
          approve={false}
          sendsBack={false}
          lineSendBack={lineSendBack}
          lineEdits={lineEdits}
        />
      </>
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
      <Shortcuts
        approve={approve !== undefined}
        sendsBack={sendsBack}
        lineSendBack={lineSendBack}
        lineEdits={lineEdits}
      />
    </section>
  );
}

/** The keyboard shortcuts this user has on this invoice, on screen. */
function Shortcuts(props: {
  approve: boolean;
  sendsBack: boolean;
  lineSendBack: boolean;
  lineEdits: boolean;
}) {
  const keys: [string, string][] = [];
  if (props.approve) keys.push(['a', 'approve']);
  if (props.lineSendBack) keys.push(['s', 'send the focused line back to its timekeeper']);
  if (props.sendsBack)
    keys.push([
      's',
      props.lineSendBack
        ? 'elsewhere: write the reason to send the invoice back'
        : 'write the reason to send back',
    ]);
  if (props.lineEdits)
    keys.push(['w', 'write down the focused line'], ['e', 'edit the focused line']);
  if (props.lineEdits || props.lineSendBack) keys.push(['j / k', 'next / previous line']);
  if (keys.length === 0) return null;
  return (
    <p className="muted shortcuts" aria-label="Keyboard shortcuts">
      Keys:{' '}
      {keys.map(([key, what], i) => (
        <span key={`${key}-${i}`}>
          {i > 0 && ' · '}
          <kbd>{key}</kbd> {what}
        </span>
      ))}
    </p>
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
