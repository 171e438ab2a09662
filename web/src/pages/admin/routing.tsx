import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { api, ApiError, unwrap } from '../../api/client';
import type { paths } from '../../api/openapi';
import { ConfirmButton, FormError } from '../../components/field';
import { Empty, ErrorMessage, Loading } from '../../components/states';
import { money, when, words } from '../../format';

type Version =
  paths['/api/v1/routing-tables']['get']['responses'][200]['content']['application/json']['items'][number];
type Detail =
  paths['/api/v1/routing-tables/{key}/versions/{version}']['get']['responses'][200]['content']['application/json'];
type Route = Detail['table']['default'];

/** A problem in a document as the API reports it: where, and what. */
interface LineIssue {
  line?: number;
  column?: number;
  field: string;
  message: string;
}

// A starting point when the firm has no table yet: the built-in route, written out.
const STARTER = `id: firm-default
name: Firm default routing
rules:
  - id: large-invoices
    description: Invoices over 50,000.00 need the billing partner as a second level.
    match:
      min_amount: '50000.01'
    reviewer: billing_coordinator
    approvers: [responsible_attorney, billing_partner]
default:
  reviewer: billing_coordinator
  approvers: [responsible_attorney]
`;

/** "Practice area is litigation; total at least $50,000.01" from a parsed rule's conditions. */
function conditionWords(match: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(match)) {
    if (key === 'minAmountCents') parts.push(`total at least ${money(Number(value))}`);
    else if (key === 'maxAmountCents') parts.push(`total at most ${money(Number(value))}`);
    else {
      const list = Array.isArray(value) ? value.map(String) : [String(value)];
      const name = words(key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
      parts.push(`${name} ${list.length === 1 ? 'is' : 'is one of'} ${list.join(', ')}`);
    }
  }
  return parts.length === 0 ? 'Every invoice' : parts.join('; ');
}

/** "Responsible attorney" or the user's email for `user:…`. */
function who(ref: string): string {
  return ref.startsWith('user:') ? ref.slice(5) : words(ref);
}

/** Routing rules: the versions of each routing table, the active one as a table, new versions. */
export default function RoutingAdmin() {
  const versions = useQuery({
    queryKey: ['routing-tables'],
    queryFn: () => unwrap(api.GET('/api/v1/routing-tables')),
  });
  const [selected, setSelected] = useState<{ key: string; version: number } | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [done, setDone] = useState('');
  const items = versions.data?.items ?? [];
  const active = items.find((v) => v.status === 'active');
  const shown = selected ?? (active ? { key: active.key, version: active.version } : null);
  const detail = useQuery({
    queryKey: ['routing-table', shown?.key, shown?.version],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/routing-tables/{key}/versions/{version}', {
          params: { path: { key: shown!.key, version: shown!.version } },
        }),
      ),
    enabled: shown !== null,
  });
  return (
    <section aria-labelledby="routing-heading">
      <h2 id="routing-heading">Routing rules</h2>
      <p className="muted">
        The active routing table decides who reviews each invoice and who approves it, level by
        level: the first rule whose every condition holds wins, else the table’s default. With no
        active table, the billing coordinator reviews and the responsible attorney approves.
      </p>
      <p role="status" className="done-status">
        {done}
      </p>
      {versions.isPending ? (
        <Loading what="routing tables" />
      ) : versions.isError ? (
        <ErrorMessage error={versions.error} retry={() => void versions.refetch()} />
      ) : items.length === 0 ? (
        <Empty>
          No routing table yet, so the built-in route applies. Write one with “New version” below.
        </Empty>
      ) : (
        <VersionList
          items={items}
          shown={shown}
          onShow={(v) => setSelected({ key: v.key, version: v.version })}
          onActivated={(v) => {
            setSelected({ key: v.key, version: v.version });
            setDone(`${v.name} version ${v.version} is now the active routing table.`);
          }}
        />
      )}
      {shown && (
        <section aria-label="Routing table" className="panel">
          {detail.isPending ? (
            <Loading what="the routing table" />
          ) : detail.isError ? (
            <ErrorMessage error={detail.error} retry={() => void detail.refetch()} />
          ) : (
            <TableView detail={detail.data} />
          )}
        </section>
      )}
      {editing === null ? (
        <button
          type="button"
          onClick={() => setEditing(detail.data?.source_text ?? STARTER)}
          disabled={shown !== null && !detail.data}
        >
          New version
        </button>
      ) : (
        <VersionEditor
          initial={editing}
          onCancel={() => setEditing(null)}
          onImported={(v) => {
            setEditing(null);
            setSelected({ key: v.key, version: v.version });
            setDone(
              `${v.name} version ${v.version} imported as a draft with ${v.rule_count} rule(s). Activate it to put it to work.`,
            );
          }}
        />
      )}
    </section>
  );
}

function VersionList(props: {
  items: Version[];
  shown: { key: string; version: number } | null;
  onShow: (v: Version) => void;
  onActivated: (v: Version) => void;
}) {
  const queryClient = useQueryClient();
  const activate = async (v: Version) => {
    await unwrap(
      api.POST('/api/v1/routing-tables/{key}/versions/{version}/activate', {
        params: { path: { key: v.key, version: v.version } },
      }),
    );
    await queryClient.invalidateQueries({ queryKey: ['routing-tables'] });
    await queryClient.invalidateQueries({ queryKey: ['routing-table'] });
    props.onActivated(v);
  };
  const active = props.items.find((v) => v.status === 'active');
  return (
    <table className="data">
      <caption className="visually-hidden">Routing table versions</caption>
      <thead>
        <tr>
          <th scope="col">Table</th>
          <th scope="col">Version</th>
          <th scope="col">Status</th>
          <th scope="col" className="num">
            Rules
          </th>
          <th scope="col">Imported</th>
          <th scope="col">Activated</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {props.items.map((v) => {
          const isShown = props.shown?.key === v.key && props.shown.version === v.version;
          return (
            <tr key={v.id} aria-current={isShown ? 'true' : undefined}>
              <td>
                {v.name} <span className="muted">({v.key})</span>
              </td>
              <td>{v.version}</td>
              <td>{words(v.status)}</td>
              <td className="num">{v.rule_count}</td>
              <td>
                {when(v.imported_at)} <span className="muted">by {v.imported_by ?? 'system'}</span>
              </td>
              <td>
                {v.activated_at ? `${when(v.activated_at)} by ${v.activated_by ?? 'system'}` : '—'}
              </td>
              <td className="row-actions">
                <button
                  type="button"
                  aria-pressed={isShown}
                  onClick={() => props.onShow(v)}
                  aria-label={`Show ${v.key} version ${v.version}`}
                >
                  Show
                </button>
                {v.status !== 'active' && (
                  <ConfirmButton
                    label={`Activate ${v.key} version ${v.version}`}
                    title={`Activate ${v.name} version ${v.version}?`}
                    confirmLabel="Activate"
                    onConfirm={() => activate(v)}
                  >
                    <p>
                      From now on, invoices are routed by this version’s {v.rule_count} rule(s)
                      {active
                        ? `; ${active.name} version ${active.version} is retired.`
                        : ' instead of the built-in route.'}{' '}
                      Invoices already routed keep their owners until their next move.
                    </p>
                  </ConfirmButton>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function RouteCells(props: { route: Route }) {
  return (
    <>
      <td>{who(props.route.reviewer)}</td>
      <td>
        <ol className="levels">
          {props.route.approvers.map((a, i) => (
            <li key={i}>{who(a)}</li>
          ))}
        </ol>
      </td>
    </>
  );
}

function TableView(props: { detail: Detail }) {
  const { detail } = props;
  return (
    <>
      <h3>
        {detail.name} — version {detail.version} ({words(detail.status)})
      </h3>
      <table className="data">
        <caption>Rules, tried top to bottom; the first that matches decides</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Rule</th>
            <th scope="col">When</th>
            <th scope="col">Reviewer</th>
            <th scope="col">Approvers, level 1 first</th>
          </tr>
        </thead>
        <tbody>
          {detail.table.rules.map((rule, i) => (
            <tr key={rule.id}>
              <td>{i + 1}</td>
              <td>{rule.id}</td>
              <td>{conditionWords(rule.match)}</td>
              <RouteCells route={rule} />
            </tr>
          ))}
          <tr>
            <td />
            <td>Default</td>
            <td>No rule matched</td>
            <RouteCells route={detail.table.default} />
          </tr>
        </tbody>
      </table>
      <details>
        <summary>The document as imported</summary>
        <pre className="source">{detail.source_text}</pre>
      </details>
    </>
  );
}

/** Paste or edit a routing table document; problems are listed by line, each one a jump. */
function VersionEditor(props: {
  initial: string;
  onCancel: () => void;
  onImported: (v: Version) => void;
}) {
  const [text, setText] = useState(props.initial);
  const area = useRef<HTMLTextAreaElement>(null);
  const id = useId();
  const queryClient = useQueryClient();
  useEffect(() => area.current?.focus(), []);
  const save = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/routing-tables', { body: { content: text } })),
    onSuccess: async (v) => {
      await queryClient.invalidateQueries({ queryKey: ['routing-tables'] });
      props.onImported(v);
    },
  });
  const issues: LineIssue[] =
    save.error instanceof ApiError
      ? ((save.error.details as { issues?: LineIssue[] } | null)?.issues ?? [])
      : [];
  const goTo = (line: number) => {
    const el = area.current;
    if (!el) return;
    const lines = text.split('\n');
    const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
    el.focus();
    el.setSelectionRange(start, start + (lines[line - 1]?.length ?? 0));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const lineCount = text.split('\n').length;
  return (
    <form className="panel" onSubmit={submit} aria-label="New routing table version">
      <h3>New version</h3>
      <p className="muted">
        Edit the document (YAML or JSON; see docs/workflow.md, “Routing”). Importing stores it as a
        draft of the table named by its <code>id</code>; nothing routes by it until you activate it.
      </p>
      <label htmlFor={id}>Routing table document ({lineCount} lines)</label>
      <textarea
        id={id}
        ref={area}
        className="code"
        rows={Math.min(30, Math.max(12, lineCount + 1))}
        spellCheck={false}
        value={text}
        aria-invalid={issues.length > 0}
        aria-describedby={issues.length > 0 ? `${id}-issues` : undefined}
        onChange={(e) => setText(e.target.value)}
      />
      {issues.length > 0 ? (
        <div id={`${id}-issues`} className="state state-error" role="alert">
          <p>{(save.error as ApiError).message}</p>
          <ul>
            {issues.map((issue, i) => (
              <li key={i}>
                {issue.line !== undefined ? (
                  <button type="button" className="link-button" onClick={() => goTo(issue.line!)}>
                    Line {issue.line}
                    {issue.column !== undefined ? `, column ${issue.column}` : ''}
                  </button>
                ) : (
                  'Document'
                )}
                : {issue.field ? `${issue.field}: ` : ''}
                {issue.message}
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <FormError error={save.error} />
      )}
      <div className="actions">
        <button type="submit" disabled={save.isPending || text.trim() === ''}>
          Import as a draft
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
