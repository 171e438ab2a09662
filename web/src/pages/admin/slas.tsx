import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ApiError, unwrap } from '../../api/client';
import type { paths } from '../../api/openapi';
import { ConfirmButton, Field, FormError } from '../../components/field';
import { Empty, ErrorMessage, Loading } from '../../components/states';
import { when, words } from '../../format';
import type { StageSlaItem } from '../../stage-slas';

type StageSlas =
  paths['/api/v1/settings/stage-slas']['get']['responses'][200]['content']['application/json'];

/** Stage SLAs and the firm holidays that business-day SLAs skip. */
export default function SlasAdmin() {
  return (
    <section aria-labelledby="slas-heading">
      <h2 id="slas-heading">SLAs and holidays</h2>
      <StageSlas />
      <Holidays />
    </section>
  );
}

function StageSlas() {
  const [done, setDone] = useState('');
  const slas = useQuery({
    queryKey: ['stage-slas'],
    queryFn: () => unwrap(api.GET('/api/v1/settings/stage-slas')),
  });
  return (
    <section aria-labelledby="stage-slas-heading">
      <h3 id="stage-slas-heading">Stage SLAs</h3>
      <p className="muted">
        How long an invoice may sit in each stage before it is overdue: the queues mark it, and the
        scheduler escalates it to the next person in its routing chain. Business days skip weekends
        and the holidays below; hours run around the clock. Approval’s SLA applies to each approver
        level. A change applies to every invoice’s current stage at once.
      </p>
      {slas.isPending ? (
        <Loading what="stage SLAs" />
      ) : slas.isError ? (
        <ErrorMessage error={slas.error} retry={() => void slas.refetch()} />
      ) : (
        <SlaForm key={slas.data.version} current={slas.data} onSaved={setDone} />
      )}
      <p role="status" className="done-status">
        {done}
      </p>
    </section>
  );
}

type Unit = StageSlaItem['unit'];
type Draft = { unit: Unit; amount: string };

function slaWords(unit: Unit, amount: number | null): string {
  if (unit === 'none' || amount === null) return 'None';
  if (unit === 'hours') return `${amount} hour${amount === 1 ? '' : 's'}`;
  return `${amount} business day${amount === 1 ? '' : 's'}`;
}

function SlaForm(props: { current: StageSlas; onSaved: (message: string) => void }) {
  const { current } = props;
  const queryClient = useQueryClient();
  const [drafts, setDrafts] = useState<Record<string, Draft>>(() =>
    Object.fromEntries(
      current.items.map((i) => [
        i.stage,
        { unit: i.unit, amount: i.amount === null ? '' : String(i.amount) },
      ]),
    ),
  );
  const changed = current.items.filter((i) => {
    const d = drafts[i.stage]!;
    return d.unit !== i.unit || (d.unit !== 'none' && d.amount !== String(i.amount ?? ''));
  });
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PUT('/api/v1/settings/stage-slas', {
          body: {
            version: current.version,
            items: changed.map((i) => {
              const d = drafts[i.stage]!;
              return {
                stage: i.stage,
                unit: d.unit,
                amount: d.unit === 'none' ? null : d.amount.trim() === '' ? null : Number(d.amount),
              };
            }),
          },
        }),
      ),
    onSuccess: (saved) => {
      props.onSaved(`Stage SLAs saved: version ${saved.version}, in force for every open invoice.`);
      queryClient.setQueryData(['stage-slas'], saved);
    },
  });
  // The API reports problems as items.<n>.amount, n counting the stages sent.
  const problemsOf = (stage: string) => {
    const n = changed.findIndex((i) => i.stage === stage);
    if (!(save.error instanceof ApiError) || n < 0) return [];
    return save.error.issues
      .filter((issue) => issue.field.replace(/^body\./, '').startsWith(`items.${n}.`))
      .map((issue) => issue.message);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onSaved('');
    save.mutate();
  };
  const stale = save.error instanceof ApiError && save.error.code === 'STALE_VERSION';
  return (
    <form onSubmit={submit} noValidate aria-label="Stage SLAs">
      <table className="data">
        <caption className="visually-hidden">Stage SLAs</caption>
        <thead>
          <tr>
            <th scope="col">Stage</th>
            <th scope="col">Counted in</th>
            <th scope="col">How many</th>
            <th scope="col">Matterflow’s default</th>
          </tr>
        </thead>
        <tbody>
          {current.items.map((item) => {
            const d = drafts[item.stage]!;
            const set = (next: Partial<Draft>) =>
              setDrafts((all) => ({ ...all, [item.stage]: { ...d, ...next } }));
            const problems = problemsOf(item.stage);
            const problemId = `sla-${item.stage}-problem`;
            return (
              <tr key={item.stage}>
                <th scope="row">{words(item.stage)}</th>
                <td>
                  <select
                    aria-label={`${words(item.stage)}: counted in`}
                    value={d.unit}
                    onChange={(e) => set({ unit: e.target.value as Unit })}
                  >
                    <option value="business_days">Business days</option>
                    <option value="hours">Hours</option>
                    <option value="none">No SLA</option>
                  </select>
                </td>
                <td>
                  {d.unit !== 'none' && (
                    <input
                      className="short"
                      type="number"
                      min={1}
                      step={1}
                      inputMode="numeric"
                      aria-label={`${words(item.stage)}: how many ${d.unit === 'hours' ? 'hours' : 'business days'}`}
                      aria-invalid={problems.length > 0}
                      aria-describedby={problems.length > 0 ? problemId : undefined}
                      value={d.amount}
                      onChange={(e) => set({ amount: e.target.value })}
                    />
                  )}
                  {problems.length > 0 && (
                    <span id={problemId} className="field-problem" role="alert">
                      {' '}
                      {problems.join('; ')}
                    </span>
                  )}
                </td>
                <td className="muted">{slaWords(item.default_unit, item.default_amount)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {stale ? (
        <div className="state state-error" role="alert">
          <p>Someone else changed the stage SLAs since you opened them, so yours were not saved.</p>
          <button
            type="button"
            onClick={() => void queryClient.invalidateQueries({ queryKey: ['stage-slas'] })}
          >
            Reload the stage SLAs
          </button>
        </div>
      ) : (
        <FormError error={save.error} fields={['amount', 'stage', 'unit']} />
      )}
      <div className="actions">
        <button type="submit" disabled={changed.length === 0 || save.isPending}>
          Save the stage SLAs
        </button>
        <span className="muted">
          {changed.length === 0 ? 'No changes.' : `${changed.length} stage(s) changed.`} Last
          changed {when(current.updated_at)}
          {current.updated_by ? ` by ${current.updated_by}` : ''}.
        </span>
      </div>
    </form>
  );
}

function Holidays() {
  const holidays = useQuery({
    queryKey: ['holidays'],
    queryFn: () => unwrap(api.GET('/api/v1/calendar/holidays')),
  });
  const queryClient = useQueryClient();
  const [date, setDate] = useState('');
  const [name, setName] = useState('');
  const [done, setDone] = useState('');
  const add = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/calendar/holidays', { body: { date, name } })),
    onSuccess: async (holiday) => {
      setDate('');
      setName('');
      setDone(`${holiday.name} (${holiday.date}) added: business-day SLAs skip it.`);
      await queryClient.invalidateQueries({ queryKey: ['holidays'] });
    },
  });
  const remove = async (holiday: { date: string; name: string }) => {
    await unwrap(
      api.DELETE('/api/v1/calendar/holidays/{date}', {
        params: { path: { date: holiday.date } },
      }),
    );
    setDone(`${holiday.name} (${holiday.date}) removed: it is a working day again.`);
    await queryClient.invalidateQueries({ queryKey: ['holidays'] });
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate();
  };
  return (
    <section aria-labelledby="holidays-heading">
      <h3 id="holidays-heading">Firm holidays</h3>
      {holidays.isPending ? (
        <Loading what="holidays" />
      ) : holidays.isError ? (
        <ErrorMessage error={holidays.error} retry={() => void holidays.refetch()} />
      ) : holidays.data.items.length === 0 ? (
        <Empty>
          No firm holidays: only weekends are skipped. Add the firm’s closing days below.
        </Empty>
      ) : (
        <table className="data">
          <caption className="visually-hidden">Firm holidays</caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Holiday</th>
              <th scope="col">Set</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {holidays.data.items.map((h) => (
              <tr key={h.date}>
                <td>{h.date}</td>
                <td>{h.name}</td>
                <td>
                  {h.source === 'database' ? 'Here' : 'In MATTERFLOW_HOLIDAYS (server setting)'}
                </td>
                <td>
                  {h.source === 'database' && (
                    <ConfirmButton
                      label={`Remove ${h.date}`}
                      title={`Remove ${h.name} (${h.date})?`}
                      confirmLabel="Remove the holiday"
                      onConfirm={() => remove(h)}
                    >
                      <p>It becomes a working day again for every business-day SLA.</p>
                    </ConfirmButton>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="inline-form" onSubmit={submit} noValidate aria-label="Add a holiday">
        <Field label="Date" field="date" error={add.error}>
          {(a11y) => (
            <input
              {...a11y}
              type="date"
              value={date}
              required
              onChange={(e) => setDate(e.target.value)}
            />
          )}
        </Field>
        <Field label="Name" field="name" error={add.error}>
          {(a11y) => (
            <input {...a11y} value={name} required onChange={(e) => setName(e.target.value)} />
          )}
        </Field>
        <button type="submit" disabled={add.isPending}>
          Add the holiday
        </button>
      </form>
      <FormError error={add.error} fields={['date', 'name']} />
      <p role="status" className="done-status">
        {done}
      </p>
    </section>
  );
}
