import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, unwrap } from '../../api/client';
import { ConfirmButton, Field, FormError } from '../../components/field';
import { Empty, ErrorMessage, Loading } from '../../components/states';
import { words } from '../../format';
import { INVOICE_STATES } from '../../workflow';
import { DEFAULT_STAGE_SLAS } from '../../../../src/domain/workflow/sla';

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
  return (
    <section aria-labelledby="stage-slas-heading">
      <h3 id="stage-slas-heading">Stage SLAs</h3>
      <p className="muted">
        How long an invoice may sit in each stage before it is overdue and escalated. Business days
        skip weekends and the holidays below; hours run around the clock. Approval’s SLA applies to
        each approver level. These are the firm’s defaults, set in Matterflow’s code; they cannot be
        changed here yet.
      </p>
      <table className="data">
        <caption className="visually-hidden">Stage SLAs</caption>
        <thead>
          <tr>
            <th scope="col">Stage</th>
            <th scope="col">SLA</th>
          </tr>
        </thead>
        <tbody>
          {INVOICE_STATES.map((state) => {
            const sla = DEFAULT_STAGE_SLAS[state];
            return (
              <tr key={state}>
                <td>{words(state)}</td>
                <td>
                  {sla === null
                    ? 'None (nobody has to act)'
                    : 'hours' in sla
                      ? `${sla.hours} hours`
                      : `${sla.businessDays} business day${sla.businessDays === 1 ? '' : 's'}`}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
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
