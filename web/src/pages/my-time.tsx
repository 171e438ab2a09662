import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { api, ApiError, unwrap } from '../api/client';
import type { paths } from '../api/openapi';
import { FindingList, findingsOf, type Finding } from '../components/findings';
import { Empty, ErrorMessage, Loading } from '../components/states';
import { QuestionsPanel } from '../components/questions-panel';
import { UtbmsPicker } from '../components/utbms-picker';
import { addDays, isoDate, mondayOf, words } from '../format';
import { useMe } from '../session';

type TimeEntry =
  paths['/api/v1/time-entries']['get']['responses'][200]['content']['application/json']['items'][number];
type View = { kind: 'week'; monday: string } | { kind: 'drafts' };

/** My time: the week's entries, fast entry, inline edit, findings on save and release. */
export default function MyTimePage() {
  const me = useMe();
  const timekeeper = useQuery({
    queryKey: ['timekeeper', me.timekeeper_id],
    queryFn: () =>
      unwrap(api.GET('/api/v1/timekeepers/{id}', { params: { path: { id: me.timekeeper_id! } } })),
    enabled: me.timekeeper_id !== null,
  });
  const [view, setView] = useState<View>({ kind: 'week', monday: mondayOf(isoDate(new Date())) });
  const [search] = useSearchParams();
  const asked = Number(search.get('question'));

  if (me.timekeeper_id === null)
    return (
      <section>
        <h1>My time</h1>
        <Empty>Your user is not linked to a timekeeper, so you have no time to record.</Empty>
      </section>
    );
  if (timekeeper.isPending) return <Loading what="your timekeeper" />;
  if (timekeeper.isError) return <ErrorMessage error={timekeeper.error} />;
  const code = timekeeper.data.timekeeper_code;

  return (
    <section>
      <h1>My time</h1>
      <p className="muted">
        {timekeeper.data.first_name} {timekeeper.data.last_name} ({code})
      </p>
      <QuestionsPanel focusId={Number.isInteger(asked) && asked > 0 ? asked : null} />
      <div className="toolbar" role="group" aria-label="Which entries">
        <button
          type="button"
          aria-pressed={view.kind === 'week'}
          onClick={() => setView({ kind: 'week', monday: mondayOf(isoDate(new Date())) })}
        >
          This week
        </button>
        {view.kind === 'week' && (
          <>
            <button
              type="button"
              onClick={() => setView({ kind: 'week', monday: addDays(view.monday, -7) })}
            >
              ← Previous week
            </button>
            <span className="week-label">
              Week of {view.monday} to {addDays(view.monday, 6)}
            </span>
            <button
              type="button"
              onClick={() => setView({ kind: 'week', monday: addDays(view.monday, 7) })}
            >
              Next week →
            </button>
          </>
        )}
        <button
          type="button"
          aria-pressed={view.kind === 'drafts'}
          onClick={() => setView({ kind: 'drafts' })}
        >
          All unreleased drafts
        </button>
      </div>
      <NewEntryForm defaultDate={view.kind === 'week' ? view.monday : isoDate(new Date())} />
      <EntryList timekeeperCode={code} view={view} />
    </section>
  );
}

function useEntries(timekeeperCode: string, view: View) {
  const query =
    view.kind === 'week'
      ? { timekeeper_code: timekeeperCode, from: view.monday, to: addDays(view.monday, 6) }
      : { timekeeper_code: timekeeperCode, status: 'draft' as const };
  return useQuery({
    queryKey: ['time-entries', query],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/time-entries', {
          params: { query: { ...query, active: 'true', limit: 500 } },
        }),
      ),
  });
}

function EntryList(props: { timekeeperCode: string; view: View }) {
  const entries = useEntries(props.timekeeperCode, props.view);
  const [released, setReleased] = useState<string | null>(null);
  // Open findings on my work, so entries show what stands in the way before I touch them.
  const exceptions = useQuery({
    queryKey: ['exceptions', 'mine-open'],
    queryFn: () =>
      unwrap(api.GET('/api/v1/exceptions', { params: { query: { state: 'open', limit: 500 } } })),
  });
  if (entries.isPending) return <Loading what="time entries" />;
  if (entries.isError)
    return <ErrorMessage error={entries.error} retry={() => void entries.refetch()} />;
  const items = [...entries.data.items].sort((a, b) =>
    a.work_date === b.work_date ? a.id - b.id : a.work_date < b.work_date ? -1 : 1,
  );
  if (items.length === 0)
    return (
      <Empty>
        {props.view.kind === 'week'
          ? 'No time recorded this week. Add an entry above, or look at another week.'
          : 'No unreleased drafts: all your time is released.'}
      </Empty>
    );
  const openByEntry = new Map<number, string[]>();
  for (const ex of exceptions.data?.items ?? []) {
    if (ex.time_entry_id === null) continue;
    openByEntry.set(ex.time_entry_id, [...(openByEntry.get(ex.time_entry_id) ?? []), ex.message]);
  }
  const total = items.reduce((sum, e) => sum + Math.round(Number(e.hours) * 100), 0);
  return (
    <>
      {released && (
        <p role="status" className="notice">
          {released}
        </p>
      )}
      <table className="data">
        <caption>
          {items.length} entries, {(total / 100).toFixed(2)} hours
        </caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Matter</th>
            <th scope="col" className="num">
              Hours
            </th>
            <th scope="col">Narrative</th>
            <th scope="col">Task</th>
            <th scope="col">Activity</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        {items.map((entry) => (
          <EntryRow
            key={entry.id}
            entry={entry}
            openIssues={openByEntry.get(entry.id) ?? []}
            onReleased={() =>
              setReleased(`Released the entry of ${entry.work_date} on ${entry.matter_code}.`)
            }
          />
        ))}
      </table>
    </>
  );
}

interface Draft {
  matter_code: string;
  work_date: string;
  hours: string;
  narrative: string;
  task_code: string;
  activity_code: string;
  billable: boolean;
}

function draftOf(entry: TimeEntry): Draft {
  return {
    matter_code: entry.matter_code,
    work_date: entry.work_date,
    hours: entry.hours,
    narrative: entry.narrative,
    task_code: entry.task_code ?? '',
    activity_code: entry.activity_code ?? '',
    billable: entry.billable,
  };
}

function EntryRow(props: { entry: TimeEntry; openIssues: string[]; onReleased: () => void }) {
  const { entry } = props;
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<Draft>(() => draftOf(entry));
  const [findings, setFindings] = useState<{ title: string; items: Finding[] } | null>(null);
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ['time-entries'] });
    void queryClient.invalidateQueries({ queryKey: ['exceptions'] });
  };
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PATCH('/api/v1/time-entries/{id}', {
          params: { path: { id: entry.id } },
          body: {
            matter_code: draft.matter_code,
            work_date: draft.work_date,
            hours: draft.hours,
            narrative: draft.narrative,
            task_code: draft.task_code || null,
            activity_code: draft.activity_code || null,
            billable: draft.billable,
            version: entry.version,
          },
        }),
      ),
    onSuccess: (saved) => {
      setEditing(false);
      setFindings({
        title:
          saved.findings.length === 0
            ? 'Saved. The guidelines find nothing to fix.'
            : 'Saved. The guidelines say:',
        items: saved.findings,
      });
      refresh();
    },
  });
  const release = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/time-entries/{id}/release', {
          params: { path: { id: entry.id } },
          body: { version: entry.version },
        }),
      ),
    onSuccess: (released) => {
      props.onReleased();
      setFindings(
        released.findings.length > 0
          ? { title: 'Released. Noted for billing:', items: released.findings }
          : null,
      );
      refresh();
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'RELEASE_BLOCKED')
        setFindings({
          title: 'Not released. Fix these first:',
          items: findingsOf(error.details).filter((f) => f.severity === 'block'),
        });
    },
  });
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const formId = `edit-${entry.id}`;
  const mayChange = entry.status === 'draft' || entry.status === 'released';

  return (
    <tbody className="entry">
      {editing ? (
        <tr>
          <td colSpan={8}>
            <form
              id={formId}
              className="entry-form"
              onSubmit={submit}
              aria-label={`Edit entry ${entry.entry_id}`}
            >
              <EntryFields draft={draft} set={set} />
              <div className="actions">
                <button type="submit" disabled={save.isPending}>
                  Save
                </button>
                <button
                  type="button"
                  onClick={() => {
                    setEditing(false);
                    setDraft(draftOf(entry));
                    save.reset();
                  }}
                >
                  Cancel
                </button>
              </div>
              {save.isError && <ErrorMessage error={save.error} />}
            </form>
          </td>
        </tr>
      ) : (
        <tr>
          <td>{entry.work_date}</td>
          <td>{entry.matter_code}</td>
          <td className="num">{entry.hours}</td>
          <td className="narrative">
            {entry.narrative || <em className="muted">no narrative</em>}
            {!entry.billable && <span className="tag">no charge</span>}
          </td>
          <td>{entry.task_code ?? <em className="muted">none</em>}</td>
          <td>{entry.activity_code ?? <em className="muted">none</em>}</td>
          <td>
            <span className={`status status-${entry.status}`}>{words(entry.status)}</span>
            {props.openIssues.length > 0 && (
              <span className="tag tag-warn" title={props.openIssues.join('\n')}>
                {props.openIssues.length} open finding{props.openIssues.length === 1 ? '' : 's'}
              </span>
            )}
          </td>
          <td className="row-actions">
            {mayChange && (
              <button
                type="button"
                onClick={() => {
                  setDraft(draftOf(entry));
                  setEditing(true);
                }}
                aria-label={`Edit entry of ${entry.work_date} on ${entry.matter_code}`}
              >
                Edit
              </button>
            )}
            {entry.status === 'draft' && (
              <button
                type="button"
                disabled={release.isPending}
                onClick={() => release.mutate()}
                aria-label={`Release entry of ${entry.work_date} on ${entry.matter_code}`}
              >
                Release
              </button>
            )}
          </td>
        </tr>
      )}
      {(findings || props.openIssues.length > 0 || (release.isError && !findings)) && !editing && (
        <tr className="entry-notes">
          <td colSpan={8}>
            {findings ? (
              findings.items.length > 0 ? (
                <FindingList findings={findings.items} title={findings.title} />
              ) : (
                <p role="status">{findings.title}</p>
              )
            ) : release.isError ? (
              <ErrorMessage error={release.error} />
            ) : (
              <ul className="open-issues">
                {props.openIssues.map((message) => (
                  <li key={message}>{message}</li>
                ))}
              </ul>
            )}
          </td>
        </tr>
      )}
    </tbody>
  );
}

function EntryFields(props: { draft: Draft; set: (patch: Partial<Draft>) => void }) {
  const { draft, set } = props;
  return (
    <div className="fields">
      <label>
        Date
        <input
          type="date"
          required
          value={draft.work_date}
          onChange={(e) => set({ work_date: e.target.value })}
        />
      </label>
      <label>
        Matter
        <input
          required
          value={draft.matter_code}
          onChange={(e) => set({ matter_code: e.target.value.toUpperCase() })}
          placeholder="Matter code"
        />
      </label>
      <label>
        Hours
        <input
          required
          inputMode="decimal"
          pattern="\d{1,3}(\.\d{1,2})?"
          title="Hours such as 1.5"
          value={draft.hours}
          onChange={(e) => set({ hours: e.target.value })}
          className="short"
        />
      </label>
      <label className="wide">
        Narrative
        <textarea
          value={draft.narrative}
          rows={2}
          onChange={(e) => set({ narrative: e.target.value })}
        />
      </label>
      <UtbmsPicker
        label="Task code"
        kind="task"
        value={draft.task_code}
        onChange={(task_code) => set({ task_code })}
      />
      <UtbmsPicker
        label="Activity code"
        kind="activity"
        value={draft.activity_code}
        onChange={(activity_code) => set({ activity_code })}
      />
      <label className="checkbox">
        <input
          type="checkbox"
          checked={draft.billable}
          onChange={(e) => set({ billable: e.target.checked })}
        />
        Billable
      </label>
    </div>
  );
}

function NewEntryForm(props: { defaultDate: string }) {
  const queryClient = useQueryClient();
  const empty = (): Draft => ({
    matter_code: '',
    work_date: props.defaultDate,
    hours: '',
    narrative: '',
    task_code: '',
    activity_code: '',
    billable: true,
  });
  const [draft, setDraft] = useState<Draft>(empty);
  const [findings, setFindings] = useState<Finding[] | null>(null);
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/time-entries', {
          body: {
            matter_code: draft.matter_code,
            work_date: draft.work_date,
            hours: draft.hours,
            narrative: draft.narrative,
            task_code: draft.task_code || null,
            activity_code: draft.activity_code || null,
            billable: draft.billable,
          },
        }),
      ),
    onSuccess: (saved) => {
      setFindings(saved.findings);
      setDraft({ ...empty(), work_date: draft.work_date, matter_code: draft.matter_code });
      void queryClient.invalidateQueries({ queryKey: ['time-entries'] });
      void queryClient.invalidateQueries({ queryKey: ['exceptions'] });
    },
  });
  return (
    <form
      className="entry-form new-entry"
      aria-label="New time entry"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate();
      }}
    >
      <h2>New entry</h2>
      <EntryFields draft={draft} set={(patch) => setDraft((d) => ({ ...d, ...patch }))} />
      <div className="actions">
        <button type="submit" disabled={create.isPending}>
          Add entry
        </button>
      </div>
      {create.isError && <ErrorMessage error={create.error} />}
      {findings &&
        (findings.length === 0 ? (
          <p role="status">Added. The guidelines find nothing to fix.</p>
        ) : (
          <FindingList findings={findings} title="Added as a draft. The guidelines say:" />
        ))}
    </form>
  );
}
