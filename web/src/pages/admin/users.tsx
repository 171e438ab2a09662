import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, unwrap } from '../../api/client';
import type { paths } from '../../api/openapi';
import { Dialog } from '../../components/dialog';
import { ConfirmButton, Field, FormError, problemsFor } from '../../components/field';
import { Empty, ErrorMessage, Loading } from '../../components/states';
import { words } from '../../format';
import { useMe } from '../../session';

type User =
  paths['/api/v1/users']['get']['responses'][200]['content']['application/json']['items'][number];
type Role = User['roles'][number];

const ROLES: readonly { role: Role; what: string }[] = [
  { role: 'admin', what: 'users, walls, routing, settings' },
  { role: 'legal_ops', what: 'guidelines, routing, the dashboard' },
  { role: 'billing_coordinator', what: 'bill runs, pre-bills, e-billing' },
  { role: 'approver', what: 'signs pre-bills off' },
  { role: 'timekeeper', what: 'records time' },
];

function useUsers() {
  return useQuery({
    queryKey: ['users', 'all'],
    queryFn: () => unwrap(api.GET('/api/v1/users', { params: { query: { limit: 500 } } })),
  });
}

function useTimekeepers() {
  return useQuery({
    queryKey: ['timekeepers', 'all'],
    queryFn: () => unwrap(api.GET('/api/v1/timekeepers', { params: { query: { limit: 500 } } })),
    staleTime: 300_000,
  });
}

/** Users and roles: list, create, change roles, deactivate or reactivate. */
export default function UsersAdmin() {
  const users = useUsers();
  const me = useMe();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<User | null>(null);
  const [done, setDone] = useState('');
  const [failed, setFailed] = useState<unknown>(null);
  const queryClient = useQueryClient();
  const setActive = async (user: User, active: boolean) => {
    if (active)
      await unwrap(
        api.PATCH('/api/v1/users/{id}', {
          params: { path: { id: user.id } },
          body: { active: true, version: user.version },
        }),
      );
    else
      await unwrap(
        api.POST('/api/v1/users/{id}/deactivate', {
          params: { path: { id: user.id } },
          body: { version: user.version },
        }),
      );
    await queryClient.invalidateQueries({ queryKey: ['users'] });
    setDone(`${user.name} ${active ? 'reactivated' : 'deactivated'}.`);
  };
  return (
    <section aria-labelledby="users-heading">
      <h2 id="users-heading">Users and roles</h2>
      <div className="toolbar">
        <button type="button" onClick={() => setCreating(true)}>
          New user
        </button>
        <p role="status" className="done-status">
          {done}
        </p>
      </div>
      <FormError error={failed} what="this user" />
      {users.isPending ? (
        <Loading what="users" />
      ) : users.isError ? (
        <ErrorMessage error={users.error} retry={() => void users.refetch()} />
      ) : users.data.items.length === 0 ? (
        <Empty>No users yet. Add the first one with “New user”.</Empty>
      ) : (
        <table className="data">
          <caption className="visually-hidden">Users</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Roles</th>
              <th scope="col">Timekeeper</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {users.data.items.map((u) => (
              <tr key={u.id}>
                <td>{u.name}</td>
                <td>{u.email}</td>
                <td>{u.roles.map(words).join(', ')}</td>
                <td>{u.timekeeper_code ?? '—'}</td>
                <td>
                  {u.active
                    ? u.has_password
                      ? 'Active'
                      : 'Active, no password yet'
                    : 'Deactivated'}
                </td>
                <td className="row-actions">
                  <button
                    type="button"
                    aria-label={`Change roles of ${u.name}`}
                    onClick={() => setEditing(u)}
                  >
                    Change roles
                  </button>
                  {u.active ? (
                    <ConfirmButton
                      label="Deactivate"
                      title={`Deactivate ${u.name}?`}
                      confirmLabel="Deactivate the user"
                      disabled={u.id === me.user_id}
                      onConfirm={() => setActive(u, false)}
                    >
                      <p>
                        {u.name} ({u.email}) will no longer be able to sign in, and their sessions
                        and API tokens stop working. Their history stays.
                      </p>
                    </ConfirmButton>
                  ) : (
                    <button
                      type="button"
                      onClick={() => {
                        setFailed(null);
                        setActive(u, true).catch((e: unknown) => setFailed(e));
                      }}
                    >
                      Reactivate
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {creating && (
        <UserForm
          onClose={() => setCreating(false)}
          onDone={(message) => {
            setCreating(false);
            setDone(message);
          }}
        />
      )}
      {editing && (
        <UserForm
          user={editing}
          onClose={() => setEditing(null)}
          onDone={(message) => {
            setEditing(null);
            setDone(message);
          }}
        />
      )}
    </section>
  );
}

/** Creates a user, or changes an existing user's name, roles and timekeeper. */
function UserForm(props: { user?: User; onClose: () => void; onDone: (message: string) => void }) {
  const { user } = props;
  const [name, setName] = useState(user?.name ?? '');
  const [email, setEmail] = useState(user?.email ?? '');
  const [roles, setRoles] = useState<Role[]>(user?.roles ?? []);
  const [timekeeper, setTimekeeper] = useState(user?.timekeeper_code ?? '');
  const [password, setPassword] = useState('');
  const timekeepers = useTimekeepers();
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: () =>
      user
        ? unwrap(
            api.PATCH('/api/v1/users/{id}', {
              params: { path: { id: user.id } },
              body: {
                name,
                email,
                roles,
                timekeeper_code: timekeeper || null,
                version: user.version,
              },
            }),
          )
        : unwrap(
            api.POST('/api/v1/users', {
              body: {
                name,
                email,
                roles,
                timekeeper_code: timekeeper || null,
                ...(password ? { password } : {}),
              },
            }),
          ),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: ['users'] });
      props.onDone(
        user
          ? `${saved.name} saved: ${saved.roles.map(words).join(', ')}.`
          : `${saved.name} added.`,
      );
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const toggle = (role: Role, on: boolean) =>
    setRoles((now) => (on ? [...now, role] : now.filter((r) => r !== role)));
  return (
    <Dialog title={user ? `Change ${user.name}` : 'New user'} onClose={props.onClose}>
      <form onSubmit={submit} noValidate>
        <Field label="Name" field="name" error={save.error}>
          {(a11y) => (
            <input {...a11y} value={name} required onChange={(e) => setName(e.target.value)} />
          )}
        </Field>
        <Field label="Email" field="email" error={save.error}>
          {(a11y) => (
            <input
              {...a11y}
              type="email"
              value={email}
              required
              onChange={(e) => setEmail(e.target.value)}
            />
          )}
        </Field>
        <fieldset aria-describedby="roles-problem">
          <legend>Roles</legend>
          {ROLES.map(({ role, what }) => (
            <label key={role} className="checkbox">
              <input
                type="checkbox"
                checked={roles.includes(role)}
                onChange={(e) => toggle(role, e.target.checked)}
              />
              {words(role)} <span className="muted">({what})</span>
            </label>
          ))}
          <RolesProblem error={save.error} />
        </fieldset>
        <Field
          label="Records time as timekeeper (optional)"
          field="timekeeper_code"
          error={save.error}
        >
          {(a11y) => (
            <select {...a11y} value={timekeeper} onChange={(e) => setTimekeeper(e.target.value)}>
              <option value="">None</option>
              {(timekeepers.data?.items ?? []).map((t) => (
                <option key={t.id} value={t.timekeeper_code}>
                  {t.timekeeper_code} — {t.first_name} {t.last_name}
                </option>
              ))}
            </select>
          )}
        </Field>
        {!user && (
          <Field
            label="Password (optional)"
            field="password"
            error={save.error}
            hint="At least 10 characters; leave empty to set one later."
          >
            {(a11y) => (
              <input
                {...a11y}
                type="password"
                autoComplete="new-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            )}
          </Field>
        )}
        <FormError
          error={save.error}
          fields={['name', 'email', 'roles', 'timekeeper_code', 'password']}
          what="this user"
        />
        <div className="actions">
          <button type="submit" disabled={save.isPending}>
            {user ? 'Save the user' : 'Add the user'}
          </button>
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function RolesProblem(props: { error: unknown }) {
  const problems = problemsFor(props.error, 'roles');
  if (problems.length === 0) return null;
  return (
    <span id="roles-problem" className="field-problem" role="alert">
      {problems.join('; ')}
    </span>
  );
}
