import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, unwrap } from '../../api/client';
import type { paths } from '../../api/openapi';
import { Dialog } from '../../components/dialog';
import { ConfirmButton, Field, FormError, problemsFor } from '../../components/field';
import { Empty, ErrorMessage, Loading } from '../../components/states';
import { when, words } from '../../format';

type Subscription =
  paths['/api/v1/webhook-subscriptions']['get']['responses'][200]['content']['application/json']['items'][number];
type Created =
  paths['/api/v1/webhook-subscriptions']['post']['responses'][201]['content']['application/json'];
type Kind = NonNullable<
  paths['/api/v1/webhook-subscriptions']['post']['requestBody']['content']['application/json']['kinds']
>[number];

// The notification kinds (docs/notifications.md), in the order a billing admin meets them.
const KINDS: readonly Kind[] = [
  'draft_ready',
  'exception_alert',
  'submission_update',
  'time_entry_reminder',
  'deadline_escalation',
  'manager_digest',
  'activity_summary',
  'timekeeper_question',
  'question_answered',
];

function deliveryWords(d: Subscription['deliveries']): string {
  const parts = [`${d.delivered} delivered`];
  if (d.pending > 0) parts.push(`${d.pending} waiting`);
  if (d.parked > 0) parts.push(`${d.parked} failed for good`);
  return parts.join(', ');
}

/** Webhooks: where the signed-in user's notifications are also posted. */
export default function WebhooksAdmin() {
  const subscriptions = useQuery({
    queryKey: ['webhook-subscriptions'],
    queryFn: () => unwrap(api.GET('/api/v1/webhook-subscriptions')),
  });
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<Created | null>(null);
  const [done, setDone] = useState('');
  const stop = async (s: Subscription) => {
    await unwrap(
      api.DELETE('/api/v1/webhook-subscriptions/{id}', { params: { path: { id: s.id } } }),
    );
    await queryClient.invalidateQueries({ queryKey: ['webhook-subscriptions'] });
    setDone(`Nothing more is sent to ${s.url}.`);
  };
  const active = (subscriptions.data?.items ?? []).filter((s) => s.active);
  return (
    <section aria-labelledby="webhooks-heading">
      <h2 id="webhooks-heading">Webhooks</h2>
      <p className="muted">
        Your notifications, also posted as signed JSON (<code>X-Matterflow-Signature</code>, an
        HMAC-SHA256 of the body with the subscription’s secret) to a URL of yours. Failed posts are
        retried; after the last retry they wait in the outbox for an operator.
      </p>
      <div className="toolbar">
        <button type="button" onClick={() => setCreating(true)}>
          New webhook
        </button>
        <p role="status" className="done-status">
          {done}
        </p>
      </div>
      {created && (
        <div className="panel secret" role="region" aria-label="New webhook secret">
          <h3>Webhook to {created.url} created</h3>
          <p className="tag-warn">
            Copy the signing secret now: it will not be shown again. Your receiver checks each
            post’s signature with it.
          </p>
          <p>
            <code data-testid="webhook-secret" className="secret-value">
              {created.secret}
            </code>
          </p>
          <button type="button" onClick={() => setCreated(null)}>
            I have stored it
          </button>
        </div>
      )}
      {subscriptions.isPending ? (
        <Loading what="webhooks" />
      ) : subscriptions.isError ? (
        <ErrorMessage error={subscriptions.error} retry={() => void subscriptions.refetch()} />
      ) : active.length === 0 ? (
        <Empty>No webhooks. Add one with “New webhook” to receive notifications at a URL.</Empty>
      ) : (
        <table className="data">
          <caption className="visually-hidden">Webhooks</caption>
          <thead>
            <tr>
              <th scope="col">URL</th>
              <th scope="col">Events</th>
              <th scope="col">Created</th>
              <th scope="col">Deliveries</th>
              <th scope="col">Last delivered</th>
              <th scope="col">Last error</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {active.map((s) => (
              <tr key={s.id}>
                <td>{s.url}</td>
                <td>{s.kinds === null ? 'All' : s.kinds.map(words).join(', ')}</td>
                <td>{when(s.created_at)}</td>
                <td>{deliveryWords(s.deliveries)}</td>
                <td>{when(s.deliveries.last_delivered_at)}</td>
                <td>{s.deliveries.last_error ?? '—'}</td>
                <td>
                  <ConfirmButton
                    label={`Delete webhook ${s.id}`}
                    title={`Stop posting to ${s.url}?`}
                    confirmLabel="Delete the webhook"
                    onConfirm={() => stop(s)}
                  >
                    <p>Notifications will no longer be posted to this URL.</p>
                  </ConfirmButton>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {creating && (
        <WebhookForm
          onClose={() => setCreating(false)}
          onCreated={(subscription) => {
            setCreating(false);
            setDone('');
            setCreated(subscription);
          }}
        />
      )}
    </section>
  );
}

function WebhookForm(props: { onClose: () => void; onCreated: (s: Created) => void }) {
  const [url, setUrl] = useState('');
  const [kinds, setKinds] = useState<Kind[]>([]);
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/webhook-subscriptions', {
          body: { url, ...(kinds.length > 0 ? { kinds } : {}) },
        }),
      ),
    onSuccess: (subscription) => {
      void queryClient.invalidateQueries({ queryKey: ['webhook-subscriptions'] });
      props.onCreated(subscription);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  const toggle = (kind: Kind, on: boolean) =>
    setKinds((now) => (on ? [...now, kind] : now.filter((k) => k !== kind)));
  const kindProblems = problemsFor(create.error, 'kinds');
  return (
    <Dialog title="New webhook" onClose={props.onClose}>
      <form onSubmit={submit} noValidate>
        <Field
          label="URL"
          field="url"
          error={create.error}
          hint="http or https, e.g. https://hooks.example.com/matterflow"
        >
          {(a11y) => (
            <input
              {...a11y}
              type="url"
              value={url}
              required
              onChange={(e) => setUrl(e.target.value)}
            />
          )}
        </Field>
        <fieldset>
          <legend>Events (none chosen: all of them)</legend>
          {KINDS.map((kind) => (
            <label key={kind} className="checkbox">
              <input
                type="checkbox"
                checked={kinds.includes(kind)}
                onChange={(e) => toggle(kind, e.target.checked)}
              />
              {words(kind)}
            </label>
          ))}
          {kindProblems.length > 0 && (
            <span className="field-problem" role="alert">
              {kindProblems.join('; ')}
            </span>
          )}
        </fieldset>
        <FormError error={create.error} fields={['url', 'kinds']} />
        <div className="actions">
          <button type="submit" disabled={create.isPending}>
            Create the webhook
          </button>
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
