import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../api/client';
import { Empty, ErrorMessage, Loading } from '../components/states';
import { when, words } from '../format';

/** Guidelines: every version by client, and one version's rules and document. */
export default function GuidelinesPage() {
  const list = useQuery({
    queryKey: ['guidelines'],
    queryFn: () => unwrap(api.GET('/api/v1/guidelines')),
  });
  const [selected, setSelected] = useState<{ key: string; version: number } | null>(null);
  if (list.isPending) return <Loading what="guidelines" />;
  if (list.isError) return <ErrorMessage error={list.error} />;
  return (
    <section>
      <h1>Guidelines</h1>
      {list.data.items.length === 0 ? (
        <Empty>No guidelines yet. Import one with `matterflow guidelines import`.</Empty>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Guideline</th>
              <th scope="col">Client</th>
              <th scope="col">Version</th>
              <th scope="col">Status</th>
              <th scope="col" className="num">
                Rules
              </th>
              <th scope="col">Effective from</th>
              <th scope="col">Activated</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((g) => (
              <tr key={g.id}>
                <td>
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => setSelected({ key: g.key, version: g.version })}
                  >
                    {g.name}
                  </button>
                </td>
                <td>{g.client === '*' ? 'Firm-wide' : g.client}</td>
                <td>{g.version}</td>
                <td>{words(g.status)}</td>
                <td className="num">{g.rule_count}</td>
                <td>{g.effective_from}</td>
                <td>
                  {g.activated_at
                    ? `${when(g.activated_at)} by ${g.activated_by ?? 'system'}`
                    : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {selected && <GuidelineVersion {...selected} />}
    </section>
  );
}

function GuidelineVersion(props: { key: string; version: number }) {
  const detail = useQuery({
    queryKey: ['guideline', props.key, props.version],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/guidelines/{key}/versions/{version}', {
          params: { path: { key: props.key, version: props.version } },
        }),
      ),
  });
  if (detail.isPending) return <Loading what="the guideline" />;
  if (detail.isError) return <ErrorMessage error={detail.error} />;
  const g = detail.data;
  return (
    <section aria-label="Guideline version">
      <h2>
        {g.name} v{g.version}
      </h2>
      <table className="data">
        <thead>
          <tr>
            <th scope="col">Rule</th>
            <th scope="col">Kind</th>
            <th scope="col">Severity</th>
            <th scope="col">Owner</th>
            <th scope="col">Message</th>
          </tr>
        </thead>
        <tbody>
          {g.rules.map((rule) => (
            <tr key={rule.id} className={rule.enabled ? undefined : 'muted'}>
              <td>{rule.id}</td>
              <td>{words(rule.kind)}</td>
              <td>{words(rule.severity)}</td>
              <td>{words(rule.owner)}</td>
              <td>{rule.message ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <details>
        <summary>The document as imported</summary>
        <pre className="source">{g.source_text}</pre>
      </details>
    </section>
  );
}
