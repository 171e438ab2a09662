import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, unwrap } from '../../api/client';
import { ConfirmButton, Field, FormError } from '../../components/field';
import { Empty, ErrorMessage, Loading } from '../../components/states';
import { when } from '../../format';

/** Ethical walls: the restricted matters and who may see each one. */
export default function WallsAdmin() {
  const matters = useQuery({
    queryKey: ['matters', 'restricted'],
    queryFn: () =>
      unwrap(api.GET('/api/v1/matters', { params: { query: { restricted: 'true', limit: 500 } } })),
  });
  return (
    <section aria-labelledby="walls-heading">
      <h2 id="walls-heading">Ethical walls</h2>
      <p className="muted">
        A restricted matter is behind an ethical wall: users who are not its members do not see it
        at all — not in lists, searches, counts or reports — and its address answers “not found”.
        Administrators see the matter’s record to manage the wall, but only members see its time,
        expenses and invoices.
      </p>
      {matters.isPending ? (
        <Loading what="restricted matters" />
      ) : matters.isError ? (
        <ErrorMessage error={matters.error} retry={() => void matters.refetch()} />
      ) : matters.data.items.length === 0 ? (
        <Empty>
          No restricted matters. Mark a matter restricted (matter import or the matters API) to put
          it behind a wall.
        </Empty>
      ) : (
        matters.data.items.map((m) => (
          <Wall key={m.id} matterId={m.id} title={`${m.matter_code} — ${m.name}`} />
        ))
      )}
    </section>
  );
}

function Wall(props: { matterId: number; title: string }) {
  const { matterId } = props;
  const queryClient = useQueryClient();
  const members = useQuery({
    queryKey: ['matter-members', matterId],
    queryFn: () =>
      unwrap(api.GET('/api/v1/matters/{id}/members', { params: { path: { id: matterId } } })),
  });
  const users = useQuery({
    queryKey: ['users', 'all'],
    queryFn: () => unwrap(api.GET('/api/v1/users', { params: { query: { limit: 500 } } })),
  });
  const [userId, setUserId] = useState('');
  const [done, setDone] = useState('');
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['matter-members', matterId] });
  const add = useMutation({
    mutationFn: (id: number) =>
      unwrap(
        api.PUT('/api/v1/matters/{id}/members/{userId}', {
          params: { path: { id: matterId, userId: id } },
        }),
      ),
    onSuccess: async (member) => {
      setUserId('');
      setDone(`${member.name} may now see ${props.title}.`);
      await refresh();
    },
  });
  const remove = async (id: number, name: string) => {
    await unwrap(
      api.DELETE('/api/v1/matters/{id}/members/{userId}', {
        params: { path: { id: matterId, userId: id } },
      }),
    );
    setDone(`${name} no longer sees ${props.title}.`);
    await refresh();
  };
  const memberIds = new Set((members.data?.items ?? []).map((m) => m.user_id));
  const candidates = (users.data?.items ?? []).filter((u) => u.active && !memberIds.has(u.id));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (userId) add.mutate(Number(userId));
  };
  return (
    <section className="panel" aria-label={`Wall of ${props.title}`}>
      <h3>{props.title}</h3>
      {members.isPending ? (
        <Loading what="members" />
      ) : members.isError ? (
        <ErrorMessage error={members.error} retry={() => void members.refetch()} />
      ) : members.data.items.length === 0 ? (
        <Empty>Nobody is inside this wall yet: add the deal team below.</Empty>
      ) : (
        <table className="data">
          <caption className="visually-hidden">Members of {props.title}</caption>
          <thead>
            <tr>
              <th scope="col">Member</th>
              <th scope="col">Email</th>
              <th scope="col">Added</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {members.data.items.map((m) => (
              <tr key={m.user_id}>
                <td>
                  {m.name}
                  {!m.active && <span className="muted"> (deactivated)</span>}
                </td>
                <td>{m.email}</td>
                <td>{when(m.added_at)}</td>
                <td>
                  <ConfirmButton
                    label={`Remove ${m.name}`}
                    title={`Remove ${m.name} from the wall?`}
                    confirmLabel="Remove from the wall"
                    onConfirm={() => remove(m.user_id, m.name)}
                  >
                    <p>
                      {m.name} will no longer see {props.title}: it disappears from their lists at
                      once.
                    </p>
                  </ConfirmButton>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="inline-form" onSubmit={submit}>
        <Field label="Add a member" field="userId" error={add.error}>
          {(a11y) => (
            <select {...a11y} value={userId} onChange={(e) => setUserId(e.target.value)}>
              <option value="">Choose a user…</option>
              {candidates.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name} ({u.email})
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="submit" disabled={!userId || add.isPending}>
          Add to the wall
        </button>
      </form>
      <FormError error={add.error} fields={['userId']} />
      <p role="status" className="done-status">
        {done}
      </p>
    </section>
  );
}
