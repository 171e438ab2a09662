import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, unwrap } from '../../api/client';
import type { paths } from '../../api/openapi';
import { Dialog } from '../../components/dialog';
import { Field, FormError } from '../../components/field';
import { Empty, ErrorMessage, Loading } from '../../components/states';

type Reason =
  paths['/api/v1/adjustment-reasons']['get']['responses'][200]['content']['application/json']['items'][number];

/** Reason codes that write-downs, write-ups and other pre-bill changes cite. */
export default function ReasonsAdmin() {
  const reasons = useQuery({
    queryKey: ['adjustment-reasons', 'all'],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/adjustment-reasons', { params: { query: { include_inactive: 'true' } } }),
      ),
  });
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<Reason | null>(null);
  const [done, setDone] = useState('');
  const finish = (message: string) => {
    setAdding(false);
    setEditing(null);
    setDone(message);
  };
  return (
    <section aria-labelledby="reasons-heading">
      <h2 id="reasons-heading">Reason codes</h2>
      <p className="muted">
        Every pre-bill change cites one of these reasons. Codes are never deleted, so past
        adjustments keep their meaning; disable a code to stop it being cited.
      </p>
      <div className="toolbar">
        <button type="button" onClick={() => setAdding(true)}>
          New reason code
        </button>
        <p role="status" className="done-status">
          {done}
        </p>
      </div>
      {reasons.isPending ? (
        <Loading what="reason codes" />
      ) : reasons.isError ? (
        <ErrorMessage error={reasons.error} retry={() => void reasons.refetch()} />
      ) : reasons.data.items.length === 0 ? (
        <Empty>No reason codes. Add one with “New reason code” before writing anything down.</Empty>
      ) : (
        <table className="data">
          <caption className="visually-hidden">Reason codes</caption>
          <thead>
            <tr>
              <th scope="col">Code</th>
              <th scope="col">Label</th>
              <th scope="col">Needs a note</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {reasons.data.items.map((r) => (
              <tr key={r.code}>
                <td>
                  <code>{r.code}</code>
                </td>
                <td>{r.label}</td>
                <td>{r.requires_note ? 'Yes' : 'No'}</td>
                <td>{r.active ? 'In use' : 'Disabled'}</td>
                <td>
                  <button
                    type="button"
                    aria-label={`Edit reason ${r.code}`}
                    onClick={() => setEditing(r)}
                  >
                    Edit
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {adding && <ReasonForm onClose={() => setAdding(false)} onDone={finish} />}
      {editing && <ReasonForm reason={editing} onClose={() => setEditing(null)} onDone={finish} />}
    </section>
  );
}

function ReasonForm(props: {
  reason?: Reason;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const { reason } = props;
  const [code, setCode] = useState(reason?.code ?? '');
  const [label, setLabel] = useState(reason?.label ?? '');
  const [requiresNote, setRequiresNote] = useState(reason?.requires_note ?? false);
  const [active, setActive] = useState(reason?.active ?? true);
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: () =>
      reason
        ? unwrap(
            api.PATCH('/api/v1/adjustment-reasons/{code}', {
              params: { path: { code: reason.code } },
              body: { label, requires_note: requiresNote, active },
            }),
          )
        : unwrap(
            api.POST('/api/v1/adjustment-reasons', {
              body: { code, label, requires_note: requiresNote },
            }),
          ),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: ['adjustment-reasons'] });
      props.onDone(`Reason “${saved.label}” (${saved.code}) saved.`);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <Dialog
      title={reason ? `Edit reason ${reason.code}` : 'New reason code'}
      onClose={props.onClose}
    >
      <form onSubmit={submit} noValidate>
        {!reason && (
          <Field
            label="Code"
            field="code"
            error={save.error}
            hint="2 to 40 lower-case letters, digits or _, e.g. scope_creep; it cannot change later."
          >
            {(a11y) => (
              <input {...a11y} value={code} required onChange={(e) => setCode(e.target.value)} />
            )}
          </Field>
        )}
        <Field label="Label" field="label" error={save.error}>
          {(a11y) => (
            <input {...a11y} value={label} required onChange={(e) => setLabel(e.target.value)} />
          )}
        </Field>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={requiresNote}
            onChange={(e) => setRequiresNote(e.target.checked)}
          />
          A change citing this reason needs a note
        </label>
        {reason && (
          <label className="checkbox">
            <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />
            In use (may be cited on new changes)
          </label>
        )}
        <FormError error={save.error} fields={['code', 'label']} what="this reason code" />
        <div className="actions">
          <button type="submit" disabled={save.isPending}>
            {reason ? 'Save the reason' : 'Add the reason'}
          </button>
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
