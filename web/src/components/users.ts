import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';

/** Names users by id (for owners), for roles that may read users; otherwise shows the id. */
export function useUserNames(enabled: boolean): (id: number | null) => string {
  const users = useQuery({
    queryKey: ['users', 'all'],
    queryFn: () => unwrap(api.GET('/api/v1/users', { params: { query: { limit: 500 } } })),
    enabled,
    staleTime: 300_000,
  });
  return (id) => {
    if (id === null) return 'unassigned';
    const user = users.data?.items.find((u) => u.id === id);
    return user ? user.name : `user ${id}`;
  };
}
