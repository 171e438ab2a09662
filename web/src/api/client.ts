import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './openapi';

/** The error body every Matterflow API error carries. */
export interface ApiErrorBody {
  code: string;
  message: string;
  details: unknown;
}

/** An API call that failed: the status, the server's code and its plain-words message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown,
  ) {
    super(message);
  }

  /** Field-level problems from a 400, as "field: message" pairs. */
  get issues(): { field: string; message: string }[] {
    const issues = (this.details as { issues?: unknown } | null)?.issues;
    return Array.isArray(issues) ? (issues as { field: string; message: string }[]) : [];
  }
}

let csrfToken: string | null = null;

/** Remembers the CSRF token handed out at sign-in and by /auth/me (null after sign-out). */
export function setCsrfToken(token: string | null | undefined): void {
  csrfToken = token ?? null;
}

// Cookie-authenticated writes must prove they come from this app.
const csrf: Middleware = {
  onRequest({ request }) {
    if (csrfToken && request.method !== 'GET' && request.method !== 'HEAD')
      request.headers.set('X-CSRF-Token', csrfToken);
    return request;
  },
};

/** The typed client for the public API; every screen goes through it. */
export const api = createClient<paths>({
  baseUrl: typeof window === 'undefined' ? 'http://localhost' : window.location.origin,
  credentials: 'same-origin',
});
api.use(csrf);

/** Returns the data of a call, or throws an ApiError with the server's message. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch {
    throw new ApiError(
      0,
      'NETWORK',
      'Matterflow could not be reached. Check your connection.',
      null,
    );
  }
  const { data, error, response } = result;
  if (response.ok) return data as T;
  const body = (error ?? {}) as Partial<ApiErrorBody>;
  throw new ApiError(
    response.status,
    body.code ?? `HTTP_${response.status}`,
    body.message ?? `The server answered ${response.status}.`,
    body.details ?? null,
  );
}
