import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import type { paths } from '../api/openapi';
import { Empty, ErrorMessage, Loading } from '../components/states';
import { useUserNames } from '../components/users';
import { addDays, isoDate, when, words } from '../format';
import { useMe } from '../session';

type Exception =
  paths['/api/v1/exceptions']['get']['responses'][200]['content']['application/json']['items'][number];

/** Exceptions queue: open findings grouped by rule and owner, waived with a reason or rechecked. */
export default function ExceptionsPage() {
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const matterCode = params.get('matter_code') ?? '';
  const mine = params.get('owner') === 'me';
  const exceptions = useQuery({
    queryKey: ['exceptions', 'queue', matterCode, mine],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/exceptions', {
          params: {
            query: {
              state: 'open',
              limit: 500,
              ...(matterCode ? { matter_code: matterCode } : {}),
              ...(mine ? { owner: 'me' as const } : {}),
            },
          },
        }),
      ),
  });
  const nameOf = useUserNames(true);
  const groups = new Map<string, Exception[]>();
  for (const ex of exceptions.data?.items ?? []) {
    const key = `${ex.rule_id}\u0000${ex.owner_role}\u0000${ex.owner_user_id ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), ex]);
  }
  const mayWaive = me.roles.some((r) => r !== 'timekeeper');
  return (
    <section>
      <h1>Exceptions</h1>
      <form
        className="filters"
        aria-label="Filter exceptions"
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          const next = new URLSearchParams();
          const value = form.get('matter_code');
          const matter = (typeof value === 'string' ? value : '').trim().toUpperCase();
          if (matter) next.set('matter_code', matter);
          if (form.get('owner') === 'me') next.set('owner', 'me');
          setParams(next);
        }}
        key={`${matterCode}-${mine}`}
      >
        <label>
          Matter
          <input name="matter_code" defaultValue={matterCode} placeholder="Matter code" />
        </label>
        <label className="checkbox">
          <input type="checkbox" name="owner" value="me" defaultChecked={mine} />
          Only mine
        </label>
        <button type="submit">Filter</button>
      </form>
      {mayWaive && <RecheckForm matterCode={matterCode} />}
      {exceptions.isPending ? (
        <Loading what="exceptions" />
      ) : exceptions.isError ? (
        <ErrorMessage error={exceptions.error} retry={() => void exceptions.refetch()} />
      ) : groups.size === 0 ? (
        <Empty>
          No open exceptions{matterCode ? ` on ${matterCode}` : ''}. Nothing is blocked.
        </Empty>
      ) : (
        <>
          <p className="muted">
            {exceptions.data.items.length} open exceptions in {groups.size} groups
            {exceptions.data.next_cursor ? ' (the first 500)' : ''}.
          </p>
          {[...groups.values()].map((items) => {
            const first = items[0]!;
            return (
              <section
                key={`${first.rule_id}-${first.owner_role}-${first.owner_user_id ?? ''}`}
                className="exception-group"
                aria-label={`Rule ${first.rule_id}`}
              >
                <h2>
                  Rule {first.rule_id}{' '}
                  <span className="muted">
                    · {words(first.severity)} · owner {words(first.owner_role)} (
                    {nameOf(first.owner_user_id)}) · {items.length}
                  </span>
                </h2>
                <ul className="exception-list">
                  {items.map((ex) => (
                    <ExceptionItem key={ex.id} exception={ex} mayWaive={mayWaive} />
                  ))}
                </ul>
              </section>
            );
          })}
        </>
      )}
    </section>
  );
}

function ExceptionItem(props: { exception: Exception; mayWaive: boolean }) {
  const ex = props.exception;
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const waive = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/exceptions/{id}/waive', {
          params: { path: { id: ex.id } },
          body: { reason: reason.trim(), version: ex.version },
        }),
      ),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['exceptions'] }),
  });
  return (
    <li className={`sev-${ex.severity}`}>
      <p>
        {ex.message}{' '}
        <span className="muted">
          — {words(ex.entity_type)} {ex.entity_id} on {ex.matter_code}, open since{' '}
          {when(ex.opened_at)}
        </span>
      </p>
      {props.mayWaive &&
        (open ? (
          <form
            className="inline-form"
            aria-label={`Waive exception ${ex.id}`}
            onSubmit={(e) => {
              e.preventDefault();
              waive.mutate();
            }}
          >
            <label>
              Reason for waiving
              <input
                required
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                autoFocus
              />
            </label>
            <button type="submit" disabled={waive.isPending || reason.trim() === ''}>
              Waive
            </button>
            <button type="button" onClick={() => setOpen(false)}>
              Cancel
            </button>
            {waive.isError && <ErrorMessage error={waive.error} />}
          </form>
        ) : (
          <button
            type="button"
            onClick={() => setOpen(true)}
            aria-label={`Waive exception ${ex.id}`}
          >
            Waive…
          </button>
        ))}
    </li>
  );
}

/** Re-runs the checks over a window; fixed work resolves its exceptions. */
function RecheckForm(props: { matterCode: string }) {
  const queryClient = useQueryClient();
  const today = isoDate(new Date());
  const [from, setFrom] = useState(addDays(today, -90));
  const [to, setTo] = useState(today);
  const recheck = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/exceptions/recheck', {
          body: { from, to, ...(props.matterCode ? { matter_code: props.matterCode } : {}) },
        }),
      ),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['exceptions'] }),
  });
  return (
    <form
      className="filters"
      aria-label="Recheck"
      onSubmit={(e) => {
        e.preventDefault();
        recheck.mutate();
      }}
    >
      <label>
        Work from
        <input type="date" required value={from} onChange={(e) => setFrom(e.target.value)} />
      </label>
      <label>
        to
        <input type="date" required value={to} onChange={(e) => setTo(e.target.value)} />
      </label>
      <button type="submit" disabled={recheck.isPending}>
        Recheck{props.matterCode ? ` ${props.matterCode}` : ''}
      </button>
      {recheck.isError && <ErrorMessage error={recheck.error} />}
      {recheck.data && (
        <p role="status">
          Checked {recheck.data.entries_checked} entries and {recheck.data.expenses_checked}{' '}
          expenses: {recheck.data.resolved} resolved, {recheck.data.opened} opened.
        </p>
      )}
    </form>
  );
}
