import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { Empty, ErrorMessage, Loading } from '../components/states';
import { words } from '../format';

/** Administration: the firm's users and their roles. */
export default function AdminPage() {
  const users = useQuery({
    queryKey: ['users', 'all'],
    queryFn: () => unwrap(api.GET('/api/v1/users', { params: { query: { limit: 500 } } })),
  });
  return (
    <section>
      <h1>Admin</h1>
      <h2>Users and roles</h2>
      {users.isPending ? (
        <Loading what="users" />
      ) : users.isError ? (
        <ErrorMessage error={users.error} />
      ) : users.data.items.length === 0 ? (
        <Empty>No users.</Empty>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Roles</th>
              <th scope="col">Timekeeper</th>
              <th scope="col">Active</th>
            </tr>
          </thead>
          <tbody>
            {users.data.items.map((u) => (
              <tr key={u.id}>
                <td>{u.name}</td>
                <td>{u.email}</td>
                <td>{u.roles.map(words).join(', ')}</td>
                <td>{u.timekeeper_code ?? '—'}</td>
                <td>{u.active ? 'Yes' : 'No'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
