/**
 * Guidelines: every client's guideline (and the firm-wide one) with its active version, one
 * version's rules in words and its history, and — for the roles that manage guidelines — editing
 * a new version (in its own lazy chunk) and activating one after a confirmation.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useCallback, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import type { paths } from '../api/openapi';
import { Dialog } from '../components/dialog';
import { Empty, ErrorMessage, Loading } from '../components/states';
import { when, words } from '../format';
import { useMe, type Me } from '../session';

type Version =
  paths['/api/v1/guidelines']['get']['responses'][200]['content']['application/json']['items'][number];
type VersionDetail =
  paths['/api/v1/guidelines/{key}/versions/{version}']['get']['responses'][200]['content']['application/json'];

// The editor, with its sandbox, is only downloaded by someone who opens it.
const GuidelineEditor = lazy(() => import('./guideline-editor'));

/** One guideline id with all its versions, newest first. */
interface Guideline {
  key: string;
  name: string;
  client: string;
  versions: Version[];
  active: Version | null;
}

/** Legal ops and admins add and activate versions (`import` and `update` on `guideline`). */
function mayManage(me: Me): boolean {
  return me.roles.includes('legal_ops') || me.roles.includes('admin');
}

function groupByKey(items: readonly Version[]): Guideline[] {
  const byKey = new Map<string, Version[]>();
  for (const item of items) byKey.set(item.key, [...(byKey.get(item.key) ?? []), item]);
  return [...byKey.entries()]
    .map(([key, versions]) => {
      const sorted = [...versions].sort((a, b) => b.version - a.version);
      const latest = sorted[0]!;
      return {
        key,
        name: latest.name,
        client: latest.client,
        versions: sorted,
        active: sorted.find((v) => v.status === 'active') ?? null,
      };
    })
    .sort(
      (a, b) =>
        Number(b.client === '*') - Number(a.client === '*') || a.client.localeCompare(b.client),
    );
}

function clientName(client: string): string {
  return client === '*' ? 'Firm-wide' : client;
}

/** Guidelines by client, the chosen one's history and version, kept in the address. */
export default function GuidelinesPage() {
  const me = useMe();
  const manage = mayManage(me);
  const [params, setParams] = useSearchParams();
  const key = params.get('key');
  const versionParam = Number(params.get('version'));
  const editing = params.get('edit') === '1' && manage;
  const [done, setDone] = useState('');
  const list = useQuery({
    queryKey: ['guidelines'],
    queryFn: () => unwrap(api.GET('/api/v1/guidelines')),
  });
  const select = (next: { key: string; version?: number; edit?: boolean }) => {
    const search = new URLSearchParams({ key: next.key });
    if (next.version) search.set('version', String(next.version));
    if (next.edit) search.set('edit', '1');
    setParams(search);
  };
  if (list.isPending) return <Loading what="guidelines" />;
  if (list.isError) return <ErrorMessage error={list.error} retry={() => void list.refetch()} />;
  const guidelines = groupByKey(list.data.items);
  const selected = guidelines.find((g) => g.key === key) ?? null;
  const shown =
    selected === null
      ? null
      : (selected.versions.find((v) => v.version === versionParam) ??
        selected.active ??
        selected.versions[0]!);
  return (
    <section>
      <h1>Guidelines</h1>
      {guidelines.length === 0 ? (
        <Empty>
          No guidelines yet. Import the firm-wide one or a client’s with `matterflow guidelines
          import`.
        </Empty>
      ) : (
        <table className="data">
          <caption>Each client’s guideline and the firm-wide one</caption>
          <thead>
            <tr>
              <th scope="col">Guideline</th>
              <th scope="col">Client</th>
              <th scope="col">Active version</th>
              <th scope="col" className="num">
                Versions kept
              </th>
              <th scope="col">Effective from</th>
              <th scope="col" className="num">
                Rules
              </th>
            </tr>
          </thead>
          <tbody>
            {guidelines.map((g) => (
              <tr key={g.key} aria-current={g.key === key ? 'true' : undefined}>
                <th scope="row">
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => select({ key: g.key })}
                  >
                    {g.name}
                  </button>
                  <div className="muted">{g.key}</div>
                </th>
                <td>{clientName(g.client)}</td>
                <td data-testid={`active-${g.key}`}>
                  {g.active ? `Version ${g.active.version}` : 'None active'}
                </td>
                <td className="num">{g.versions.length}</td>
                <td>{(g.active ?? g.versions[0]!).effective_from}</td>
                <td className="num">{(g.active ?? g.versions[0]!).rule_count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p role="status" className="done-status">
        {done}
      </p>
      {selected && shown && (
        <>
          <VersionHistory
            guideline={selected}
            shown={shown.version}
            manage={manage}
            onRead={(version) => select({ key: selected.key, version })}
            onActivated={(version) => {
              setDone(`Version ${version.version} of ${version.name} is now active.`);
              select({ key: selected.key, version: version.version });
            }}
          />
          <GuidelineVersion
            key={`${selected.key}-${shown.version}`}
            guideline={selected}
            version={shown.version}
            manage={manage}
            editing={editing}
            onEdit={() => select({ key: selected.key, version: shown.version, edit: true })}
            onCloseEditor={() => select({ key: selected.key, version: shown.version })}
            onSaved={(version) => {
              setDone(
                `Saved as version ${version.version} (a draft). Activate it from the history when it is ready.`,
              );
              select({ key: version.key, version: version.version });
            }}
          />
        </>
      )}
    </section>
  );
}

function VersionHistory(props: {
  guideline: Guideline;
  shown: number;
  manage: boolean;
  onRead: (version: number) => void;
  onActivated: (version: Version) => void;
}) {
  const [confirming, setConfirming] = useState<Version | null>(null);
  const close = useCallback(() => setConfirming(null), []);
  const { guideline } = props;
  return (
    <section aria-labelledby="guideline-history">
      <h2 id="guideline-history">
        {guideline.name} <span className="muted">({clientName(guideline.client)})</span>
      </h2>
      <table className="data">
        <caption>Version history, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Status</th>
            <th scope="col">Effective from</th>
            <th scope="col" className="num">
              Rules
            </th>
            <th scope="col">Imported</th>
            <th scope="col">Activated</th>
            <th scope="col">Retired</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {guideline.versions.map((v) => (
            <tr
              key={v.version}
              data-version={v.version}
              aria-current={v.version === props.shown ? 'true' : undefined}
            >
              <th scope="row">{v.version}</th>
              <td>
                <span className={`status status-guideline-${v.status}`}>{words(v.status)}</span>
              </td>
              <td>{v.effective_from}</td>
              <td className="num">{v.rule_count}</td>
              <td>
                {when(v.imported_at)} by {v.imported_by ?? 'the system'}
              </td>
              <td>
                {v.activated_at
                  ? `${when(v.activated_at)} by ${v.activated_by ?? 'the system'}`
                  : '—'}
              </td>
              <td>{when(v.retired_at)}</td>
              <td className="row-actions">
                {v.version !== props.shown && (
                  <button
                    type="button"
                    className="link-button"
                    aria-label={`Read version ${v.version}`}
                    onClick={() => props.onRead(v.version)}
                  >
                    Read
                  </button>
                )}
                {props.manage && v.status !== 'active' && (
                  <button
                    type="button"
                    aria-label={`Activate version ${v.version}`}
                    onClick={() => setConfirming(v)}
                  >
                    Activate…
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {confirming && (
        <Dialog title={`Activate version ${confirming.version}?`} onClose={close}>
          <ActivateForm
            version={confirming}
            active={guideline.active}
            onCancel={close}
            onDone={(version) => {
              close();
              props.onActivated(version);
            }}
          />
        </Dialog>
      )}
    </section>
  );
}

function ActivateForm(props: {
  version: Version;
  active: Version | null;
  onCancel: () => void;
  onDone: (version: Version) => void;
}) {
  const queryClient = useQueryClient();
  const { version } = props;
  const activate = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/guidelines/{key}/versions/{version}/activate', {
          params: { path: { key: version.key, version: version.version } },
        }),
      ),
    onSuccess: async (activated) => {
      await queryClient.invalidateQueries({ queryKey: ['guidelines'] });
      await queryClient.invalidateQueries({ queryKey: ['guideline', version.key] });
      props.onDone(activated);
    },
  });
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        activate.mutate();
      }}
    >
      <p>
        {version.name}, version {version.version} ({version.rule_count} rules, effective from{' '}
        {version.effective_from}) becomes the rules{' '}
        {version.client === '*' ? 'for every client' : `for ${version.client}`}.{' '}
        {props.active
          ? `Version ${props.active.version}, active now, is retired; it can be activated again later.`
          : 'No version is active now.'}
      </p>
      <p className="muted">
        Entries are checked against the new rules from now on; existing exceptions stay until their
        work is checked again.
      </p>
      {activate.isError && <ErrorMessage error={activate.error} />}
      <div className="actions">
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="submit" disabled={activate.isPending}>
          Activate version {version.version}
        </button>
      </div>
    </form>
  );
}

function GuidelineVersion(props: {
  guideline: Guideline;
  version: number;
  manage: boolean;
  editing: boolean;
  onEdit: () => void;
  onCloseEditor: () => void;
  onSaved: (version: Version) => void;
}) {
  const detail = useQuery({
    queryKey: ['guideline', props.guideline.key, props.version],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/guidelines/{key}/versions/{version}', {
          params: { path: { key: props.guideline.key, version: props.version } },
        }),
      ),
  });
  if (detail.isPending) return <Loading what="the guideline" />;
  if (detail.isError) return <ErrorMessage error={detail.error} />;
  const g = detail.data;
  if (props.editing)
    return (
      <Suspense fallback={<Loading what="the editor" />}>
        <GuidelineEditor
          base={g}
          active={props.guideline.active}
          onClose={props.onCloseEditor}
          onSaved={props.onSaved}
        />
      </Suspense>
    );
  return (
    <section aria-labelledby="guideline-version">
      <div className="toolbar">
        <h2 id="guideline-version">
          Version {g.version} <span className="muted">({words(g.status)})</span>
        </h2>
        {props.manage && (
          <button type="button" onClick={props.onEdit}>
            Edit as a new version
          </button>
        )}
      </div>
      <RulesTable detail={g} />
      <p>
        <a
          href={`/api/v1/guidelines/export?${new URLSearchParams({
            client: g.client,
            key: g.key,
            version: String(g.version),
          }).toString()}`}
          download
        >
          Download version {g.version} as imported
        </a>
      </p>
      <details>
        <summary>The document as imported</summary>
        <pre className="source">{g.source_text}</pre>
      </details>
    </section>
  );
}

/** A version's rules in words: what each checks, how hard, and who must act. */
function RulesTable(props: { detail: VersionDetail }) {
  const g = props.detail;
  return (
    <>
      <table className="data rules">
        <caption>
          {g.rules.length} rules
          {g.client === '*' ? '' : '; a rule with the id of a firm-wide rule replaces it'}
        </caption>
        <thead>
          <tr>
            <th scope="col">Rule</th>
            <th scope="col">Kind</th>
            <th scope="col">Params</th>
            <th scope="col">Severity</th>
            <th scope="col">Owner</th>
            <th scope="col">Enabled</th>
            <th scope="col">Message</th>
          </tr>
        </thead>
        <tbody>
          {g.rules.map((rule) => (
            <tr key={rule.id} data-rule={rule.id} className={rule.enabled ? undefined : 'muted'}>
              <th scope="row">{rule.id}</th>
              <td>{words(rule.kind).replace(/^Utbms\b/, 'UTBMS')}</td>
              <td>{rule.params_text}</td>
              <td>
                <span className={`sev-${rule.severity}`}>{words(rule.severity)}</span>
              </td>
              <td>{words(rule.owner)}</td>
              <td>{rule.enabled ? 'Yes' : 'No'}</td>
              <td>{rule.message ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {g.disabled_rule_ids.length > 0 && (
        <p>Switches off these firm-wide rules: {g.disabled_rule_ids.join(', ')}.</p>
      )}
    </>
  );
}
