import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, type ReactNode } from 'react';
import { api, ApiError, setCsrfToken, unwrap } from './api/client';
import type { paths } from './api/openapi';

export type Me = paths['/api/v1/auth/me']['get']['responses'][200]['content']['application/json'];
export type Role = Me['roles'][number];

const SessionContext = createContext<Me | null>(null);

/** The signed-in user; only used below <RequireSession>. */
export function useMe(): Me {
  const me = useContext(SessionContext);
  if (!me) throw new Error('useMe outside a session');
  return me;
}

/** Keeps the CSRF token from a sign-in or /auth/me answer for the writes that follow. */
export function rememberCsrf(me: Me): void {
  setCsrfToken(me.csrf_token);
}

/** Loads who is signed in; renders the sign-in form when nobody is. */
export function SessionGate(props: { signIn: ReactNode; children: ReactNode }) {
  const me = useQuery({
    queryKey: ['me'],
    queryFn: async () => {
      try {
        const result = await unwrap(api.GET('/api/v1/auth/me'));
        rememberCsrf(result);
        return result;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: Infinity,
  });
  if (me.isPending) return <p className="page-status">Loading…</p>;
  if (me.isError)
    return (
      <p className="page-status" role="alert">
        {me.error.message}
      </p>
    );
  if (!me.data) return <>{props.signIn}</>;
  return <SessionContext.Provider value={me.data}>{props.children}</SessionContext.Provider>;
}

/** Signs out and forgets everything cached for this user. */
export function useSignOut(): () => Promise<void> {
  const queryClient = useQueryClient();
  return async () => {
    try {
      await unwrap(api.POST('/api/v1/auth/sign-out'));
    } finally {
      setCsrfToken(null);
      queryClient.clear();
      queryClient.setQueryData(['me'], null);
    }
  };
}
