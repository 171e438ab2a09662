import type { ReactNode } from 'react';
import { ApiError } from '../api/client';

/** Shown while data loads. */
export function Loading(props: { what?: string }) {
  return (
    <p className="state state-loading" role="status">
      Loading {props.what ?? ''}…
    </p>
  );
}

/** An error in plain words, with field problems listed; never the raw response. */
export function ErrorMessage(props: { error: unknown; retry?: () => void }) {
  const error = props.error;
  const message =
    error instanceof ApiError
      ? error.status === 403
        ? `You may not do this: ${error.message}`
        : error.message
      : 'Something went wrong in the page. Reload to try again.';
  const issues = error instanceof ApiError ? error.issues : [];
  return (
    <div className="state state-error" role="alert">
      <p>{message}</p>
      {issues.length > 0 && (
        <ul>
          {issues.map((issue) => (
            <li key={issue.field}>
              {fieldName(issue.field)}: {issue.message}
            </li>
          ))}
        </ul>
      )}
      {props.retry && (
        <button type="button" onClick={props.retry}>
          Try again
        </button>
      )}
    </div>
  );
}

function fieldName(path: string): string {
  const last = path.split('.').pop() ?? path;
  return last.replaceAll('_', ' ');
}

/** Shown when a list has nothing in it, saying what would appear there. */
export function Empty(props: { children: ReactNode }) {
  return <p className="state state-empty">{props.children}</p>;
}
