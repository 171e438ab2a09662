import { useId, useState, type ReactNode } from 'react';
import { ApiError } from '../api/client';
import { Dialog } from './dialog';

/** The last segment of an API field path: "body.roles.0" → "roles" ("0" is an index). */
function fieldOf(path: string): string {
  const parts = path.split('.').filter((part) => !/^\d+$/.test(part));
  return parts.pop() ?? path;
}

/** The problems the API reported for one field. */
export function problemsFor(error: unknown, field: string): string[] {
  if (!(error instanceof ApiError)) return [];
  return error.issues.filter((issue) => fieldOf(issue.field) === field).map((i) => i.message);
}

/** A labelled field with the API's problems for it below, tied by aria-describedby. */
export function Field(props: {
  label: string;
  field: string;
  error: unknown;
  hint?: string;
  children: (a11y: {
    id: string;
    'aria-invalid': boolean;
    'aria-describedby'?: string;
  }) => ReactNode;
}) {
  const id = useId();
  const problems = problemsFor(props.error, props.field);
  const describedBy = problems.length > 0 ? `${id}-problem` : props.hint ? `${id}-hint` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.children({
        id,
        'aria-invalid': problems.length > 0,
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
      })}
      {props.hint && problems.length === 0 && (
        <span id={`${id}-hint`} className="muted field-hint">
          {props.hint}
        </span>
      )}
      {problems.length > 0 && (
        <span id={`${id}-problem`} className="field-problem" role="alert">
          {problems.join('; ')}
        </span>
      )}
    </div>
  );
}

/**
 * The error of a write in words, leaving the problems shown at their fields out; a stale
 * version (409) says someone else changed the record.
 */
export function FormError(props: { error: unknown; fields?: string[]; what?: string }) {
  const { error } = props;
  if (!error) return null;
  if (!(error instanceof ApiError))
    return (
      <div className="state state-error" role="alert">
        <p>Something went wrong in the page. Reload to try again.</p>
      </div>
    );
  const fields = props.fields ?? [];
  const elsewhere = error.issues.filter((i) => !fields.includes(fieldOf(i.field)));
  const message =
    error.status === 409 && error.code === 'STALE_VERSION'
      ? `Someone else changed ${props.what ?? 'this record'} since you opened it, so your change was not saved. Close and try again on the latest version.`
      : error.status === 403
        ? `You may not do this: ${error.message}`
        : error.message;
  return (
    <div className="state state-error" role="alert">
      <p>{message}</p>
      {elsewhere.length > 0 && (
        <ul>
          {elsewhere.map((i) => (
            <li key={i.field}>
              {fieldOf(i.field).replaceAll('_', ' ')}: {i.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * A button that asks before an action that cannot be undone from here: a dialog saying what
 * will happen, with the action and Cancel. The dialog stays open with the error if it fails.
 */
export function ConfirmButton(props: {
  label: string;
  title: string;
  confirmLabel: string;
  children: ReactNode;
  onConfirm: () => Promise<unknown>;
  disabled?: boolean;
}) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  return (
    <>
      <button type="button" disabled={props.disabled} onClick={() => setOpen(true)}>
        {props.label}
      </button>
      {open && (
        <Dialog
          title={props.title}
          onClose={() => {
            setOpen(false);
            setError(null);
          }}
        >
          {props.children}
          <FormError error={error} />
          <div className="actions">
            <button type="button" onClick={() => setOpen(false)}>
              Cancel
            </button>
            <button
              type="button"
              className="danger"
              disabled={busy}
              onClick={() => {
                setBusy(true);
                setError(null);
                props
                  .onConfirm()
                  .then(() => setOpen(false))
                  .catch((e: unknown) => setError(e))
                  .finally(() => setBusy(false));
              }}
            >
              {props.confirmLabel}
            </button>
          </div>
        </Dialog>
      )}
    </>
  );
}
