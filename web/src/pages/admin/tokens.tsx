import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, unwrap } from '../../api/client';
import type { paths } from '../../api/openapi';
import { Dialog } from '../../components/dialog';
import { ConfirmButton, Field, FormError } from '../../components/field';
import { Empty, ErrorMessage, Loading } from '../../components/states';
import { when } from '../../format';

type Token =
  paths['/api/v1/api-tokens']['get']['responses'][200]['content']['application/json']['items'][number];
type Created = paths['/api/v1/api-tokens']['post']['responses'][201]['content']['application/json'];
type Scope = Token['scopes'][number];

const SCOPES: readonly { scope: Scope; what: string }[] = [
  { scope: 'read', what: 'read anything you may read' },
  { scope: 'write', what: 'create and change records' },
  { scope: 'import', what: 'import CSV and documents' },
  { scope: 'export', what: 'export LEDES and reports' },
  { scope: 'submit', what: 'record e-billing submissions' },
  { scope: 'admin', what: 'everything your roles allow' },
];

function tokenState(t: Token, now = Date.now()): string {
  if (t.revoked_at) return `Revoked ${when(t.revoked_at)}`;
  if (t.expires_at && Date.parse(t.expires_at) <= now) return `Expired ${when(t.expires_at)}`;
  return t.expires_at ? `Active until ${when(t.expires_at)}` : 'Active, no expiry';
}

/** API tokens: the signed-in admin's own tokens for integrations. */
export default function TokensAdmin() {
  const tokens = useQuery({
    queryKey: ['api-tokens'],
    queryFn: () => unwrap(api.GET('/api/v1/api-tokens')),
  });
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<Created | null>(null);
  const [done, setDone] = useState('');
  const revoke = async (t: Token) => {
    await unwrap(api.POST('/api/v1/api-tokens/{id}/revoke', { params: { path: { id: t.id } } }));
    await queryClient.invalidateQueries({ queryKey: ['api-tokens'] });
    setCreated(null);
    setDone(`Token “${t.name}” revoked: it no longer works.`);
  };
  return (
    <section aria-labelledby="tokens-heading">
      <h2 id="tokens-heading">API tokens</h2>
      <p className="muted">
        An API token lets an integration call the Matterflow API as you (
        <code>Authorization: Bearer …</code>), limited to the token’s scopes and your roles. These
        are your own tokens; revoke one the moment it may have leaked.
      </p>
      <div className="toolbar">
        <button type="button" onClick={() => setCreating(true)}>
          New API token
        </button>
        <p role="status" className="done-status">
          {done}
        </p>
      </div>
      {created && <NewSecret token={created} onDismiss={() => setCreated(null)} />}
      {tokens.isPending ? (
        <Loading what="API tokens" />
      ) : tokens.isError ? (
        <ErrorMessage error={tokens.error} retry={() => void tokens.refetch()} />
      ) : tokens.data.items.length === 0 ? (
        <Empty>No API tokens. Create one with “New API token” to connect an integration.</Empty>
      ) : (
        <table className="data">
          <caption className="visually-hidden">API tokens</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Starts with</th>
              <th scope="col">Scopes</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">State</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.data.items.map((t) => (
              <tr key={t.id}>
                <td>{t.name}</td>
                <td>
                  <code>{t.token_prefix}…</code>
                </td>
                <td>{t.scopes.join(', ')}</td>
                <td>{when(t.created_at)}</td>
                <td>{t.last_used_at ? when(t.last_used_at) : 'Never'}</td>
                <td>{tokenState(t)}</td>
                <td>
                  {!t.revoked_at && (
                    <ConfirmButton
                      label={`Revoke ${t.name}`}
                      title={`Revoke the token “${t.name}”?`}
                      confirmLabel="Revoke the token"
                      onConfirm={() => revoke(t)}
                    >
                      <p>
                        Every call made with it will be refused from now on. This cannot be undone:
                        an integration that uses it needs a new token.
                      </p>
                    </ConfirmButton>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {creating && (
        <TokenForm
          onClose={() => setCreating(false)}
          onCreated={(token) => {
            setCreating(false);
            setDone('');
            setCreated(token);
          }}
        />
      )}
    </section>
  );
}

/** The new token's secret, shown this once, with a copy button. */
function NewSecret(props: { token: Created; onDismiss: () => void }) {
  const [copied, setCopied] = useState('');
  const copy = () =>
    navigator.clipboard
      .writeText(props.token.token)
      .then(() => setCopied('Copied to the clipboard.'))
      .catch(() => setCopied('The browser refused to copy: select the token and copy it.'));
  return (
    <div className="panel secret" role="region" aria-label="New API token">
      <h3>Token “{props.token.name}” created</h3>
      <p className="tag-warn">
        Copy this token now and keep it somewhere safe. Matterflow stores only a hash of it: it will
        not be shown again.
      </p>
      <p>
        <code data-testid="token-secret" className="secret-value">
          {props.token.token}
        </code>
      </p>
      <div className="actions">
        <button type="button" onClick={() => void copy()}>
          Copy the token
        </button>
        <button type="button" onClick={props.onDismiss}>
          I have stored it
        </button>
        <span role="status">{copied}</span>
      </div>
    </div>
  );
}

function TokenForm(props: { onClose: () => void; onCreated: (token: Created) => void }) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['read']);
  const [expires, setExpires] = useState('');
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/api-tokens', {
          body: {
            name,
            scopes,
            // The end of the chosen day, UTC: a token "until 31 Dec" works through 31 Dec.
            expires_at: expires ? `${expires}T23:59:59Z` : null,
          },
        }),
      ),
    onSuccess: (token) => {
      void queryClient.invalidateQueries({ queryKey: ['api-tokens'] });
      props.onCreated(token);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  const toggle = (scope: Scope, on: boolean) =>
    setScopes((now) => (on ? [...now, scope] : now.filter((s) => s !== scope)));
  return (
    <Dialog title="New API token" onClose={props.onClose}>
      <form onSubmit={submit} noValidate>
        <Field
          label="Name"
          field="name"
          error={create.error}
          hint="What uses it, e.g. “Portal sync”."
        >
          {(a11y) => (
            <input {...a11y} value={name} required onChange={(e) => setName(e.target.value)} />
          )}
        </Field>
        <fieldset>
          <legend>Scopes</legend>
          {SCOPES.map(({ scope, what }) => (
            <label key={scope} className="checkbox">
              <input
                type="checkbox"
                checked={scopes.includes(scope)}
                onChange={(e) => toggle(scope, e.target.checked)}
              />
              {scope} <span className="muted">({what})</span>
            </label>
          ))}
        </fieldset>
        <Field label="Expires on (optional)" field="expires_at" error={create.error}>
          {(a11y) => (
            <input
              {...a11y}
              type="date"
              value={expires}
              onChange={(e) => setExpires(e.target.value)}
            />
          )}
        </Field>
        <FormError error={create.error} fields={['name', 'expires_at']} />
        <div className="actions">
          <button type="submit" disabled={create.isPending}>
            Create the token
          </button>
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
