/**
 * The approver's pre-bill review on the invoice screen: the packet (totals, budget, exceptions,
 * open questions), the lines by timekeeper or by task with their original and billed values and
 * adjustment history, the pre-bill moves on each line, invoice-level write-downs and discounts,
 * and pending write-downs with who decides them. Every write sends the invoice version; a stale
 * one (409) is said in words with a reload.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { Link } from 'react-router';
import { api, ApiError, unwrap } from '../api/client';
import type { paths } from '../api/openapi';
import { Dialog } from '../components/dialog';
import { Empty, ErrorMessage } from '../components/states';
import { UtbmsPicker } from '../components/utbms-picker';
import { money, moneyOrHidden, when, words } from '../format';

export type Invoice =
  paths['/api/v1/invoices/{id}']['get']['responses'][200]['content']['application/json'];
type Line = Invoice['lines'][number];
type Adjustment = Invoice['adjustments'][number];
export type Review =
  paths['/api/v1/invoices/{id}/prebill.json']['get']['responses'][200]['content']['application/json'];
type Reason =
  paths['/api/v1/adjustment-reasons']['get']['responses'][200]['content']['application/json']['items'][number];

/** Loads the packet data of an invoice (shared with the moves, which read `may`). */
export function usePrebillReview(id: number) {
  return useQuery({
    queryKey: ['prebill', id],
    queryFn: () =>
      unwrap(api.GET('/api/v1/invoices/{id}/prebill.json', { params: { path: { id } } })),
    enabled: Number.isInteger(id) && id > 0,
  });
}

function useReasons() {
  return useQuery({
    queryKey: ['adjustment-reasons'],
    queryFn: () => unwrap(api.GET('/api/v1/adjustment-reasons')),
    staleTime: 300_000,
  });
}

/** A pre-bill write: on success the screen shows the invoice the server returns. */
function useInvoiceWrite<T>(invoiceId: number, write: (input: T) => Promise<Invoice>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSuccess: (invoice) => {
      queryClient.setQueryData(['invoice', invoiceId], invoice);
      void queryClient.invalidateQueries({ queryKey: ['prebill', invoiceId] });
      void queryClient.invalidateQueries({ queryKey: ['invoice-history', invoiceId] });
      void queryClient.invalidateQueries({ queryKey: ['invoices'] });
    },
  });
}

/** "12.50" from 1250 cents: the decimal the API's amount and rate fields take. */
function decimal(cents: number): string {
  const abs = Math.abs(cents);
  return `${cents < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// Errors at the field, and the stale-version message

/** The problems the API reported for one field, shown under it. */
function problemsFor(error: unknown, field: string): string[] {
  if (!(error instanceof ApiError)) return [];
  return error.issues
    .filter((issue) => (issue.field.split('.').pop() ?? issue.field) === field)
    .map((issue) => issue.message);
}

/** A labelled field with the API's problems for it below, tied by aria-describedby. */
function Field(props: {
  label: string;
  field: string;
  error: unknown;
  children: (a11y: {
    id: string;
    'aria-invalid': boolean;
    'aria-describedby'?: string;
  }) => ReactNode;
  hint?: string;
}) {
  const id = useId();
  const problems = problemsFor(props.error, props.field);
  const describedBy = problems.length > 0 ? `${id}-problem` : props.hint ? `${id}-hint` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.children({
        id,
        'aria-invalid': problems.length > 0,
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
      })}
      {props.hint && problems.length === 0 && (
        <span id={`${id}-hint`} className="muted field-hint">
          {props.hint}
        </span>
      )}
      {problems.length > 0 && (
        <span id={`${id}-problem`} className="field-problem" role="alert">
          {problems.join('; ')}
        </span>
      )}
    </div>
  );
}

/** The error of a write in words: a stale version gets a reload; field problems stay at fields. */
function WriteError(props: { error: unknown; invoiceId: number; fields: string[] }) {
  const queryClient = useQueryClient();
  const { error } = props;
  if (!error) return null;
  if (error instanceof ApiError && error.status === 409 && error.code === 'STALE_VERSION')
    return (
      <div className="state state-error" role="alert">
        <p>
          Someone else changed this invoice since you opened it, so your change was not saved.
          Reload the invoice to see the latest version, then try again.
        </p>
        <button
          type="button"
          onClick={() => {
            void queryClient.invalidateQueries({ queryKey: ['invoice', props.invoiceId] });
            void queryClient.invalidateQueries({ queryKey: ['prebill', props.invoiceId] });
          }}
        >
          Reload the invoice
        </button>
      </div>
    );
  if (error instanceof ApiError) {
    const elsewhere = error.issues.filter(
      (i) => !props.fields.includes(i.field.split('.').pop() ?? i.field),
    );
    return (
      <div className="state state-error" role="alert">
        <p>{error.status === 403 ? `You may not do this: ${error.message}` : error.message}</p>
        {elsewhere.length > 0 && (
          <ul>
            {elsewhere.map((i) => (
              <li key={i.field}>
                {(i.field.split('.').pop() ?? i.field).replaceAll('_', ' ')}: {i.message}
              </li>
            ))}
          </ul>
        )}
      </div>
    );
  }
  return <ErrorMessage error={error} />;
}

/** Reason code and note: every pre-bill change cites a reason; some (`other`) need a note. */
function ReasonFields(props: {
  reason: string;
  note: string;
  setReason: (code: string) => void;
  setNote: (note: string) => void;
  error: unknown;
}) {
  const reasons = useReasons();
  const chosen = reasons.data?.items.find((r) => r.code === props.reason);
  return (
    <>
      <Field label="Reason" field="reason_code" error={props.error}>
        {(a11y) => (
          <select
            {...a11y}
            value={props.reason}
            required
            onChange={(e) => props.setReason(e.target.value)}
          >
            <option value="">Choose a reason…</option>
            {(reasons.data?.items ?? []).map((r: Reason) => (
              <option key={r.code} value={r.code}>
                {r.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      {reasons.isError && <ErrorMessage error={reasons.error} />}
      <Field
        label={chosen?.requires_note ? 'Note (required for this reason)' : 'Note (optional)'}
        field="note"
        error={props.error}
      >
        {(a11y) => (
          <textarea
            {...a11y}
            rows={2}
            value={props.note}
            required={chosen?.requires_note ?? false}
            onChange={(e) => props.setNote(e.target.value)}
          />
        )}
      </Field>
    </>
  );
}

const reasonReady = (reasons: Reason[] | undefined, code: string, note: string) => {
  const reason = reasons?.find((r) => r.code === code);
  return reason !== undefined && (!reason.requires_note || note.trim() !== '');
};

// ---------------------------------------------------------------------------------------------
// The packet

export function PacketSummary(props: { invoice: Invoice; review: Review }) {
  const { invoice } = props;
  const { packet } = props.review;
  const t = packet.totals;
  const b = packet.budget;
  const c = invoice.currency;
  const base = `/api/v1/invoices/${invoice.id}`;
  return (
    <section aria-label="Pre-bill packet" className="packet">
      <h2>Pre-bill packet</h2>
      <p>
        <a href={`${base}/prebill.pdf`} download={`prebill-${invoice.invoice_number}.pdf`}>
          Download the pre-bill packet (PDF)
        </a>{' '}
        ·{' '}
        <a href={`${base}/prebill`} target="_blank" rel="noreferrer">
          Open it as a page
        </a>
      </p>
      <dl className="summary">
        <div>
          <dt>Fees worked</dt>
          <dd>{moneyOrHidden(t.worked_fees_cents, c)}</dd>
        </div>
        <div>
          <dt>Fees billed</dt>
          <dd>{moneyOrHidden(t.fees_cents, c)}</dd>
        </div>
        <div>
          <dt>Written down</dt>
          <dd>{moneyOrHidden(t.write_downs_cents, c)}</dd>
        </div>
        <div>
          <dt>Awaiting approval</dt>
          <dd>
            {moneyOrHidden(t.pending_write_downs_cents, c)} ({t.pending_write_downs})
          </dd>
        </div>
        <div>
          <dt>Billed total</dt>
          <dd className="total" data-testid="billed-total">
            {moneyOrHidden(t.total_cents, c)}
          </dd>
        </div>
        <div>
          <dt>Budget</dt>
          <dd>
            {b.budget_cents === null && b.used_basis_points === null && b.remaining_cents === null
              ? 'No budget'
              : `${moneyOrHidden(b.with_this_invoice_cents, c)} of ${moneyOrHidden(b.budget_cents, c)}` +
                (b.used_basis_points === null
                  ? ''
                  : ` (${(b.used_basis_points / 100).toFixed(1)} %` +
                    (b.remaining_cents !== null && b.remaining_cents < 0
                      ? `, over by ${money(-b.remaining_cents, c)})`
                      : ')'))}
          </dd>
        </div>
      </dl>
      <h3>Exceptions</h3>
      {packet.exceptions.length === 0 ? (
        <Empty>No open exceptions on this invoice’s work.</Empty>
      ) : (
        <ul className="exception-list">
          {packet.exceptions.map((ex, i) => (
            <li key={i} className={`sev-${ex.severity}`}>
              <strong>{words(ex.severity)}</strong> {ex.message}{' '}
              <span className="muted">
                ({ex.entity}; rule {ex.rule_id}; owner {ex.owner ?? 'nobody yet'})
              </span>
            </li>
          ))}
        </ul>
      )}
      <p>
        <Link to={`/exceptions?matter_code=${encodeURIComponent(invoice.matter_code)}`}>
          Work the exceptions on this matter
        </Link>
      </p>
      <h3>Open questions</h3>
      {packet.questions.length === 0 ? (
        <Empty>No open questions to timekeepers.</Empty>
      ) : (
        <ul>
          {packet.questions.map((q, i) => (
            <li key={i}>
              {q.timekeeper}
              {q.line_number !== null && ` on line ${q.line_number}`}: “{q.question}”{' '}
              <span className="muted">asked {when(q.asked_at)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// Pending write-downs

export function PendingWriteDowns(props: {
  invoice: Invoice;
  review: Review;
  reasonLabel: (code: string | null) => string;
}) {
  const { invoice, review } = props;
  const pending = invoice.adjustments.filter((a) => a.state === 'pending');
  const [note, setNote] = useState('');
  const decide = useInvoiceWrite(
    invoice.id,
    (input: { adjustment: number; decision: 'approve' | 'reject' }) =>
      unwrap(
        api.POST('/api/v1/invoices/{id}/adjustments/{adjustmentId}/decision', {
          params: { path: { id: invoice.id, adjustmentId: input.adjustment } },
          body: {
            decision: input.decision,
            version: invoice.version,
            ...(note.trim() ? { note: note.trim() } : {}),
          },
        }),
      ),
  );
  if (pending.length === 0) return null;
  const lineNumber = (a: Adjustment) =>
    invoice.lines.find((l) => l.id === a.invoice_line_id)?.line_number;
  const anyMay = review.pending.some((p) => p.may_decide);
  return (
    <section aria-label="Write-downs awaiting approval" className="pending">
      <h2>Write-downs awaiting approval</h2>
      <ul>
        {pending.map((a) => {
          const who = review.pending.find((p) => p.adjustment_id === a.id);
          return (
            <li key={a.id}>
              {words(a.kind)} of {moneyOrHidden(a.amount_cents, invoice.currency)}{' '}
              {a.field === 'invoice' ? 'on the invoice' : `on line ${lineNumber(a) ?? '?'}`} —{' '}
              {props.reasonLabel(a.reason_code)}
              {a.note && `: ${a.note}`}.{' '}
              <span className="muted">
                Must be approved by {who?.deciders ?? 'the next approval level'}.
              </span>
              {who?.may_decide && (
                <span className="row-actions">
                  <button
                    type="button"
                    disabled={decide.isPending}
                    onClick={() => decide.mutate({ adjustment: a.id, decision: 'approve' })}
                  >
                    Approve write-down {a.id}
                  </button>
                  <button
                    type="button"
                    disabled={decide.isPending}
                    onClick={() => decide.mutate({ adjustment: a.id, decision: 'reject' })}
                  >
                    Reject write-down {a.id}
                  </button>
                </span>
              )}
            </li>
          );
        })}
      </ul>
      {anyMay && (
        <Field label="Note with the decision (optional)" field="note" error={decide.error}>
          {(a11y) => <input {...a11y} value={note} onChange={(e) => setNote(e.target.value)} />}
        </Field>
      )}
      <WriteError error={decide.error} invoiceId={invoice.id} fields={['note']} />
      {decide.isSuccess && <p role="status">Decision recorded.</p>}
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// Write-downs, write-ups and discounts (a line or the invoice)

type Basis = 'amount' | 'percent' | 'hours';
const KIND_WORDS = {
  write_down: 'write-down',
  write_up: 'write-up',
  discount: 'discount',
} as const;

function AdjustForm(props: { invoice: Invoice; line?: Line; onDone: (message: string) => void }) {
  const { invoice, line } = props;
  const reasons = useReasons();
  const [kind, setKind] = useState<'write_down' | 'write_up' | 'discount'>('write_down');
  const [basis, setBasis] = useState<Basis>('amount');
  const [value, setValue] = useState('');
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const write = useInvoiceWrite(invoice.id, () =>
    unwrap(
      api.POST('/api/v1/invoices/{id}/adjustments', {
        params: { path: { id: invoice.id } },
        body: {
          version: invoice.version,
          kind,
          ...(line ? { line_id: line.id } : {}),
          [basis]: value.trim(),
          reason_code: reason,
          ...(note.trim() ? { note: note.trim() } : {}),
        },
      }),
    ),
  );
  const bases: Basis[] =
    line?.line_type === 'F' ? ['amount', 'percent', 'hours'] : ['amount', 'percent'];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    write.mutate(undefined, {
      onSuccess: () =>
        props.onDone(
          `${words(KIND_WORDS[kind])} of ${basis === 'amount' ? value : basis === 'percent' ? `${value} %` : `${value} hours`} recorded${line ? ` on line ${line.line_number}` : ''}.`,
        ),
    });
  };
  const hint =
    basis === 'amount'
      ? 'An amount, e.g. 250.00'
      : basis === 'percent'
        ? line
          ? 'A percent of the line, e.g. 12.5'
          : 'A percent of the billed fees, e.g. 12.5'
        : 'Hours, e.g. 0.50';
  return (
    <form
      onSubmit={submit}
      aria-label={line ? `Write down line ${line.line_number}` : 'Adjust the invoice'}
    >
      <Field label="Kind" field="kind" error={write.error}>
        {(a11y) => (
          <select {...a11y} value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
            <option value="write_down">Write-down</option>
            <option value="discount">Discount</option>
            <option value="write_up">Write-up</option>
          </select>
        )}
      </Field>
      <fieldset className="basis">
        <legend>Measured</legend>
        {bases.map((b) => (
          <label key={b} className="checkbox">
            <input
              type="radio"
              name="basis"
              value={b}
              checked={basis === b}
              onChange={() => setBasis(b)}
            />
            By {b}
          </label>
        ))}
      </fieldset>
      <Field label={words(basis)} field={basis} error={write.error} hint={hint}>
        {(a11y) => (
          <input
            {...a11y}
            inputMode="decimal"
            value={value}
            required
            onChange={(e) => setValue(e.target.value)}
          />
        )}
      </Field>
      <ReasonFields
        reason={reason}
        note={note}
        setReason={setReason}
        setNote={setNote}
        error={write.error}
      />
      <WriteError
        error={write.error}
        invoiceId={invoice.id}
        fields={[basis, 'reason_code', 'note']}
      />
      <button
        type="submit"
        disabled={
          write.isPending || value.trim() === '' || !reasonReady(reasons.data?.items, reason, note)
        }
      >
        Record the {KIND_WORDS[kind]}
      </button>
    </form>
  );
}

export function InvoiceAdjustment(props: { invoice: Invoice; onDone: (message: string) => void }) {
  const [open, setOpen] = useState(false);
  const close = useCallback(() => setOpen(false), []);
  return (
    <section aria-label="Invoice-level adjustment">
      <button type="button" onClick={() => setOpen(true)}>
        Write down or discount the invoice…
      </button>
      {open && (
        <Dialog title="Write down, write up or discount the invoice" onClose={close}>
          <AdjustForm
            invoice={props.invoice}
            onDone={(message) => {
              close();
              props.onDone(message);
            }}
          />
        </Dialog>
      )}
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// Line edits, dispositions, moves and questions

function EditLineForm(props: { invoice: Invoice; line: Line; onDone: (message: string) => void }) {
  const { invoice, line } = props;
  const reasons = useReasons();
  const isFee = line.line_type === 'F';
  const [hours, setHours] = useState(line.units);
  const [rate, setRate] = useState(
    line.unit_cost_cents === null ? '' : decimal(line.unit_cost_cents),
  );
  const [narrative, setNarrative] = useState(line.description);
  const [task, setTask] = useState(line.task_code ?? '');
  const [activity, setActivity] = useState(line.activity_code ?? '');
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const changes = {
    ...(isFee && hours.trim() !== line.units ? { hours: hours.trim() } : {}),
    ...(isFee && line.unit_cost_cents !== null && rate.trim() !== decimal(line.unit_cost_cents)
      ? { rate: rate.trim() }
      : {}),
    ...(narrative !== line.description ? { narrative } : {}),
    ...(isFee && task !== (line.task_code ?? '') ? { task_code: task === '' ? null : task } : {}),
    ...(isFee && activity !== (line.activity_code ?? '')
      ? { activity_code: activity === '' ? null : activity }
      : {}),
  };
  const write = useInvoiceWrite(invoice.id, () =>
    unwrap(
      api.PATCH('/api/v1/invoices/{id}/lines/{lineId}', {
        params: { path: { id: invoice.id, lineId: line.id } },
        body: {
          version: invoice.version,
          reason_code: reason,
          ...(note.trim() ? { note: note.trim() } : {}),
          ...changes,
        },
      }),
    ),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    write.mutate(undefined, { onSuccess: () => props.onDone(`Line ${line.line_number} saved.`) });
  };
  return (
    <form onSubmit={submit} aria-label={`Edit line ${line.line_number}`}>
      {isFee && (
        <>
          <Field label="Hours" field="hours" error={write.error}>
            {(a11y) => (
              <input
                {...a11y}
                inputMode="decimal"
                value={hours}
                onChange={(e) => setHours(e.target.value)}
              />
            )}
          </Field>
          {line.unit_cost_cents !== null && (
            <Field label="Rate" field="rate" error={write.error}>
              {(a11y) => (
                <input
                  {...a11y}
                  inputMode="decimal"
                  value={rate}
                  onChange={(e) => setRate(e.target.value)}
                />
              )}
            </Field>
          )}
        </>
      )}
      <Field label="Narrative" field="narrative" error={write.error}>
        {(a11y) => (
          <textarea
            {...a11y}
            rows={3}
            value={narrative}
            onChange={(e) => setNarrative(e.target.value)}
          />
        )}
      </Field>
      {isFee && (
        <>
          <UtbmsPicker label="Task code" kind="task" value={task} onChange={setTask} />
          {problemsFor(write.error, 'task_code').map((p) => (
            <span key={p} className="field-problem" role="alert">
              Task code: {p}
            </span>
          ))}
          <UtbmsPicker
            label="Activity code"
            kind="activity"
            value={activity}
            onChange={setActivity}
          />
          {problemsFor(write.error, 'activity_code').map((p) => (
            <span key={p} className="field-problem" role="alert">
              Activity code: {p}
            </span>
          ))}
        </>
      )}
      <ReasonFields
        reason={reason}
        note={note}
        setReason={setReason}
        setNote={setNote}
        error={write.error}
      />
      <WriteError
        error={write.error}
        invoiceId={invoice.id}
        fields={['hours', 'rate', 'narrative', 'task_code', 'activity_code', 'reason_code', 'note']}
      />
      <button
        type="submit"
        disabled={
          write.isPending ||
          Object.keys(changes).length === 0 ||
          !reasonReady(reasons.data?.items, reason, note)
        }
      >
        Save the line
      </button>
    </form>
  );
}

const DISPOSITIONS = [
  ['bill', 'Bill it'],
  ['no_charge', 'List it at no charge'],
  ['exclude', 'Exclude it from the invoice'],
  ['hold', 'Hold it to the next cycle'],
] as const;

function DispositionForm(props: {
  invoice: Invoice;
  line: Line;
  onDone: (message: string) => void;
}) {
  const { invoice, line } = props;
  const reasons = useReasons();
  const [to, setTo] = useState<(typeof DISPOSITIONS)[number][0]>(
    line.disposition === 'bill' ? 'exclude' : 'bill',
  );
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const write = useInvoiceWrite(invoice.id, () =>
    unwrap(
      api.POST('/api/v1/invoices/{id}/lines/{lineId}/disposition', {
        params: { path: { id: invoice.id, lineId: line.id } },
        body: {
          version: invoice.version,
          disposition: to,
          reason_code: reason,
          ...(note.trim() ? { note: note.trim() } : {}),
        },
      }),
    ),
  );
  return (
    <form
      aria-label={`Bill, no-charge, exclude or hold line ${line.line_number}`}
      onSubmit={(event) => {
        event.preventDefault();
        write.mutate(undefined, {
          onSuccess: () => props.onDone(`Line ${line.line_number}: ${words(to).toLowerCase()}.`),
        });
      }}
    >
      <fieldset>
        <legend>What happens to line {line.line_number}</legend>
        {DISPOSITIONS.map(([value, label]) => (
          <label key={value} className="checkbox">
            <input
              type="radio"
              name="disposition"
              value={value}
              checked={to === value}
              disabled={value === line.disposition}
              onChange={() => setTo(value)}
            />
            {label}
            {value === line.disposition && ' (as now)'}
          </label>
        ))}
      </fieldset>
      <ReasonFields
        reason={reason}
        note={note}
        setReason={setReason}
        setNote={setNote}
        error={write.error}
      />
      <WriteError
        error={write.error}
        invoiceId={invoice.id}
        fields={['disposition', 'reason_code', 'note']}
      />
      <button
        type="submit"
        disabled={
          write.isPending ||
          to === line.disposition ||
          !reasonReady(reasons.data?.items, reason, note)
        }
      >
        Save
      </button>
    </form>
  );
}

function MoveForm(props: { invoice: Invoice; line: Line; onDone: (message: string) => void }) {
  const { invoice, line } = props;
  const reasons = useReasons();
  const [matter, setMatter] = useState('');
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const write = useInvoiceWrite(invoice.id, () =>
    unwrap(
      api.POST('/api/v1/invoices/{id}/lines/{lineId}/move', {
        params: { path: { id: invoice.id, lineId: line.id } },
        body: {
          version: invoice.version,
          matter_code: matter.trim(),
          reason_code: reason,
          ...(note.trim() ? { note: note.trim() } : {}),
        },
      }),
    ),
  );
  return (
    <form
      aria-label={`Move line ${line.line_number} to another matter`}
      onSubmit={(event) => {
        event.preventDefault();
        write.mutate(undefined, {
          onSuccess: () => props.onDone(`Line ${line.line_number} moved to ${matter.trim()}.`),
        });
      }}
    >
      <Field label="Matter code to move the work to" field="matter_code" error={write.error}>
        {(a11y) => (
          <input {...a11y} value={matter} required onChange={(e) => setMatter(e.target.value)} />
        )}
      </Field>
      <ReasonFields
        reason={reason}
        note={note}
        setReason={setReason}
        setNote={setNote}
        error={write.error}
      />
      <WriteError
        error={write.error}
        invoiceId={invoice.id}
        fields={['matter_code', 'reason_code', 'note']}
      />
      <button
        type="submit"
        disabled={
          write.isPending || matter.trim() === '' || !reasonReady(reasons.data?.items, reason, note)
        }
      >
        Move the line
      </button>
    </form>
  );
}

function AskForm(props: { invoice: Invoice; line: Line; onDone: (message: string) => void }) {
  const { invoice, line } = props;
  const [question, setQuestion] = useState('');
  const write = useInvoiceWrite(invoice.id, () =>
    unwrap(
      api.POST('/api/v1/invoices/{id}/questions', {
        params: { path: { id: invoice.id } },
        body: { version: invoice.version, line_id: line.id, question: question.trim() },
      }),
    ),
  );
  return (
    <form
      aria-label={`Send line ${line.line_number} back to its timekeeper`}
      onSubmit={(event) => {
        event.preventDefault();
        write.mutate(undefined, {
          onSuccess: () => props.onDone(`Line ${line.line_number} sent back to its timekeeper.`),
        });
      }}
    >
      <Field label="Question for the timekeeper" field="question" error={write.error}>
        {(a11y) => (
          <textarea
            {...a11y}
            rows={3}
            value={question}
            required
            onChange={(e) => setQuestion(e.target.value)}
          />
        )}
      </Field>
      <WriteError error={write.error} invoiceId={invoice.id} fields={['question']} />
      <button type="submit" disabled={write.isPending || question.trim() === ''}>
        Send back with the question
      </button>
    </form>
  );
}

// ---------------------------------------------------------------------------------------------
// The lines

type LineAction = 'edit' | 'adjust' | 'disposition' | 'move' | 'ask';
const ACTION_TITLES: Record<LineAction, string> = {
  edit: 'Edit line',
  adjust: 'Write down line',
  disposition: 'Bill, no-charge, exclude or hold line',
  move: 'Move line',
  ask: 'Send back line',
};

/** A line's adjustments, oldest first, in words. */
function LineHistory(props: {
  adjustments: Adjustment[];
  currency: string;
  reasonLabel: (code: string | null) => string;
  nameOf: (id: number | null) => string;
}) {
  if (props.adjustments.length === 0) return <span className="muted">No adjustments</span>;
  return (
    <details className="line-history">
      <summary>History ({props.adjustments.length})</summary>
      <ol>
        {props.adjustments.map((a) => {
          const before = asRecord(a.before);
          const after = asRecord(a.after);
          const amounts =
            typeof before?.amount_cents === 'number' && typeof after?.amount_cents === 'number'
              ? ` (billed ${money(before.amount_cents, props.currency)} → ${money(after.amount_cents, props.currency)})`
              : '';
          const text =
            a.kind === 'edit' && a.field && after && a.field in after
              ? `: “${plain(before?.[a.field])}” → “${plain(after[a.field])}”`
              : '';
          return (
            <li key={a.id}>
              {words(a.kind)}
              {a.field ? ` (${a.field.replaceAll('_', ' ')})` : ''}{' '}
              {a.amount_cents !== 0 && moneyOrHidden(a.amount_cents, props.currency)}
              {amounts}
              {text} — {props.reasonLabel(a.reason_code)}
              {a.note && `: ${a.note}`} ·{' '}
              <span className={`adjustment-state adjustment-${a.state}`}>{words(a.state)}</span>{' '}
              <span className="muted">
                by {props.nameOf(a.requested_by)}, {when(a.requested_at)}
              </span>
            </li>
          );
        })}
      </ol>
    </details>
  );
}

/** A recorded field value as text (a code, a narrative); "—" for none. */
function plain(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '—';
}

function asRecord(value: unknown): Record<string, unknown> | null {
  if (typeof value === 'string') {
    try {
      return asRecord(JSON.parse(value));
    } catch {
      return null;
    }
  }
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : null;
}

/** Lines by timekeeper or by task, each with its values, history and the moves on it. */
export function PrebillLines(props: {
  invoice: Invoice;
  review: Review;
  reasonLabel: (code: string | null) => string;
  nameOf: (id: number | null) => string;
  onDone: (message: string) => void;
}) {
  const { invoice, review } = props;
  const [groupBy, setGroupBy] = useState<'timekeeper' | 'task'>('timekeeper');
  const [open, setOpen] = useState<{ action: LineAction; line: Line } | null>(null);
  const close = useCallback(() => setOpen(null), []);
  const mayEdit = review.may.edit_lines;
  const mayAsk = review.may.ask_questions;
  // The packet names timekeepers; the invoice lines carry their ids.
  const timekeeperOf = new Map<number, string>();
  for (const group of review.packet.groups)
    for (const task of group.tasks)
      for (const l of task.lines) timekeeperOf.set(l.line_number, group.timekeeper);
  const groups = new Map<string, Line[]>();
  for (const line of invoice.lines) {
    const key =
      line.line_type === 'F'
        ? groupBy === 'timekeeper'
          ? (timekeeperOf.get(line.line_number) ?? `Timekeeper ${line.timekeeper_id ?? '—'}`)
          : `Task ${line.task_code ?? '(no task code)'}`
        : line.line_type === 'E'
          ? 'Expenses'
          : 'Invoice adjustments';
    groups.set(key, [...(groups.get(key) ?? []), line]);
  }
  const sorted = [...groups.entries()].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));

  // Keyboard: j/k move between lines; w writes down, e edits, s sends back the focused line.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target as HTMLElement | null;
      if (target?.closest('input, textarea, select, dialog, [contenteditable="true"]')) return;
      const rows = [...document.querySelectorAll<HTMLElement>('tr[data-line-id]')];
      const current = target?.closest<HTMLElement>('tr[data-line-id]') ?? null;
      if (event.key === 'j' || event.key === 'k') {
        if (rows.length === 0) return;
        event.preventDefault();
        const at = current ? rows.indexOf(current) : -1;
        const next =
          event.key === 'j' ? Math.min(rows.length - 1, at + 1) : Math.max(0, at < 0 ? 0 : at - 1);
        rows[next]!.focus();
        return;
      }
      if (!current) return;
      const line = invoice.lines.find((l) => String(l.id) === current.dataset.lineId);
      if (!line) return;
      const action: LineAction | null =
        event.key === 'w' && mayEdit && line.disposition === 'bill'
          ? 'adjust'
          : event.key === 'e' && mayEdit
            ? 'edit'
            : event.key === 's' && mayAsk && line.timekeeper_id !== null
              ? 'ask'
              : null;
      if (action) {
        event.preventDefault();
        setOpen({ action, line });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [invoice.lines, mayEdit, mayAsk]);

  if (invoice.lines.length === 0) return <Empty>This invoice has no lines.</Empty>;
  const c = invoice.currency;
  return (
    <section aria-label="Lines">
      <h2>Lines</h2>
      <div className="toolbar" role="group" aria-label="Group lines">
        <button
          type="button"
          aria-pressed={groupBy === 'timekeeper'}
          onClick={() => setGroupBy('timekeeper')}
        >
          By timekeeper
        </button>{' '}
        <button type="button" aria-pressed={groupBy === 'task'} onClick={() => setGroupBy('task')}>
          By task
        </button>
      </div>
      <table className="data lines">
        <caption>
          {invoice.lines.length} lines by {groupBy}; original (worked) and billed values
        </caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Date</th>
            <th scope="col">Description</th>
            <th scope="col">Codes</th>
            <th scope="col" className="num">
              Worked
            </th>
            <th scope="col" className="num">
              Billed
            </th>
            <th scope="col" className="num">
              Amount
            </th>
            <th scope="col">Status and history</th>
            <th scope="col">Moves</th>
          </tr>
        </thead>
        {sorted.map(([group, lines]) => (
          <tbody key={group}>
            <tr className="group-row">
              <th scope="rowgroup" colSpan={4}>
                {group}
              </th>
              <td className="num">
                {sumOrHidden(
                  lines.map(
                    (l) =>
                      l.worked_amount_cents ??
                      (l.line_type === 'F' || l.line_type === 'E' ? null : 0),
                  ),
                  c,
                )}
              </td>
              <td />
              <td className="num">
                {sumOrHidden(
                  lines.filter(live).map((l) => l.amount_cents),
                  c,
                )}
              </td>
              <td colSpan={2} />
            </tr>
            {lines.map((line) => {
              const history = invoice.adjustments.filter((a) => a.invoice_line_id === line.id);
              const isWork = line.line_type === 'F' || line.line_type === 'E';
              return (
                <tr
                  key={line.id}
                  data-line-id={line.id}
                  tabIndex={0}
                  aria-label={`Line ${line.line_number}`}
                  className={`line line-${line.disposition}`}
                >
                  <td>{line.line_number}</td>
                  <td>{line.work_date ?? '—'}</td>
                  <td className="narrative">
                    {line.description}
                    {line.internal_note && (
                      <div className="muted">Internal: {line.internal_note}</div>
                    )}
                  </td>
                  <td>
                    {[line.task_code, line.activity_code ?? line.expense_code]
                      .filter(Boolean)
                      .join(' · ') || '—'}
                  </td>
                  <td className="num">
                    {line.worked_units === null
                      ? '—'
                      : `${line.worked_units} × ${moneyOrHidden(line.worked_unit_cost_cents, c)} = ${moneyOrHidden(line.worked_amount_cents, c)}`}
                  </td>
                  <td className="num">
                    {line.units} × {moneyOrHidden(line.unit_cost_cents, c)}
                    {line.adjustment_cents !== 0 && (
                      <div className="muted">adj. {moneyOrHidden(line.adjustment_cents, c)}</div>
                    )}
                  </td>
                  <td className="num">{live(line) ? moneyOrHidden(line.amount_cents, c) : '—'}</td>
                  <td>
                    <span className={`disposition disposition-${line.disposition}`}>
                      {words(line.disposition)}
                    </span>
                    <LineHistory
                      adjustments={history}
                      currency={c}
                      reasonLabel={props.reasonLabel}
                      nameOf={props.nameOf}
                    />
                  </td>
                  <td className="row-actions">
                    {mayEdit && isWork && line.disposition === 'bill' && (
                      <>
                        <button
                          type="button"
                          onClick={() => setOpen({ action: 'edit', line })}
                          aria-label={`Edit line ${line.line_number}`}
                        >
                          Edit
                        </button>
                        <button
                          type="button"
                          onClick={() => setOpen({ action: 'adjust', line })}
                          aria-label={`Write down line ${line.line_number}`}
                        >
                          Write down
                        </button>
                      </>
                    )}
                    {mayEdit &&
                      isWork &&
                      line.disposition !== 'hold' &&
                      line.disposition !== 'moved' && (
                        <button
                          type="button"
                          onClick={() => setOpen({ action: 'disposition', line })}
                          aria-label={`Bill, no-charge, exclude or hold line ${line.line_number}`}
                        >
                          No charge / exclude / hold
                        </button>
                      )}
                    {mayEdit &&
                      isWork &&
                      (line.disposition === 'bill' || line.disposition === 'no_charge') && (
                        <button
                          type="button"
                          onClick={() => setOpen({ action: 'move', line })}
                          aria-label={`Move line ${line.line_number}`}
                        >
                          Move
                        </button>
                      )}
                    {mayAsk && line.timekeeper_id !== null && (
                      <button
                        type="button"
                        onClick={() => setOpen({ action: 'ask', line })}
                        aria-label={`Send back line ${line.line_number}`}
                      >
                        Send back
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        ))}
      </table>
      {open && (
        <Dialog title={`${ACTION_TITLES[open.action]} ${open.line.line_number}`} onClose={close}>
          <LineDialogBody
            action={open.action}
            invoice={invoice}
            line={open.line}
            onDone={(message) => {
              close();
              props.onDone(message);
            }}
          />
        </Dialog>
      )}
    </section>
  );
}

function LineDialogBody(props: {
  action: LineAction;
  invoice: Invoice;
  line: Line;
  onDone: (message: string) => void;
}) {
  switch (props.action) {
    case 'edit':
      return <EditLineForm {...props} />;
    case 'adjust':
      return <AdjustForm {...props} />;
    case 'disposition':
      return <DispositionForm {...props} />;
    case 'move':
      return <MoveForm {...props} />;
    case 'ask':
      return <AskForm {...props} />;
  }
}

const live = (line: Line) => line.disposition === 'bill' || line.disposition === 'no_charge';
const rank = (group: string) =>
  group === 'Expenses' ? 1 : group === 'Invoice adjustments' ? 2 : 0;

function sumOrHidden(values: (number | null)[], currency: string): string {
  return values.some((v) => v === null)
    ? 'hidden'
    : money(
        values.reduce<number>((sum, v) => sum + (v ?? 0), 0),
        currency,
      );
}

/** Reason codes in words, from the firm's configurable list. */
export function useReasonLabel(): (code: string | null) => string {
  const reasons = useReasons();
  return (code) => {
    if (code === null) return 'reason hidden';
    return reasons.data?.items.find((r) => r.code === code)?.label ?? words(code);
  };
}
