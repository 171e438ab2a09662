/**
 * Editing a guideline as a new version: the document in a numbered text editor, the API's
 * problems shown beside their lines (the first one focused), Validate and Save as new version
 * (which never activates), and the sandbox: the draft run over a period of past work against
 * the active rules, with the findings it adds and drops.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState, type FormEvent, type Ref } from 'react';
import { api, unwrap } from '../api/client';
import type { paths } from '../api/openapi';
import { Empty, ErrorMessage } from '../components/states';
import { addDays, isoDate, words } from '../format';
import {
  documentProblems,
  lineCount,
  offsetOf,
  problemsByLine,
  problemText,
  type DocumentProblem,
} from '../guidelines/editing';

type Version =
  paths['/api/v1/guidelines']['get']['responses'][200]['content']['application/json']['items'][number];
type VersionDetail =
  paths['/api/v1/guidelines/{key}/versions/{version}']['get']['responses'][200]['content']['application/json'];
type SandboxReport =
  paths['/api/v1/guidelines/sandbox']['post']['responses'][200]['content']['application/json'];
type SandboxFinding = SandboxReport['added'][number];

/** Pixels per editor line: the gutter and the margin notes line up with the text by it. */
const LINE_HEIGHT = 20;
/** Findings listed per table; the counts per rule always cover them all. */
const FINDINGS_SHOWN = 200;

/** The two calendar months before this one: the work a bill run would have seen lately. */
function defaultPeriod(today = new Date()): { from: string; to: string } {
  const firstOfMonth = new Date(today.getFullYear(), today.getMonth(), 1, 12);
  const from = new Date(today.getFullYear(), today.getMonth() - 2, 1, 12);
  return { from: isoDate(from), to: addDays(isoDate(firstOfMonth), -1) };
}

export default function GuidelineEditor(props: {
  base: VersionDetail;
  active: Version | null;
  onClose: () => void;
  onSaved: (version: Version) => void;
}) {
  const queryClient = useQueryClient();
  const [text, setText] = useState(props.base.source_text);
  const [problems, setProblems] = useState<DocumentProblem[]>([]);
  const [checked, setChecked] = useState('');
  const editor = useRef<HTMLTextAreaElement>(null);
  const unchangedHint = useId();
  // Saving the same text again would only add a version that changes nothing.
  const unchanged = text === props.base.source_text;

  /** Shows a refusal's problems at their lines and puts the caret on the first one. */
  const showProblems = (error: unknown) => {
    const found = documentProblems(error);
    setProblems(found);
    setChecked('');
    const first = found.find((p) => p.line !== null);
    const area = editor.current;
    if (!first || !area) return;
    const at = offsetOf(area.value, first.line!, first.column ?? 1);
    area.focus();
    area.setSelectionRange(at, at);
    area.scrollTop = Math.max(0, (first.line! - 4) * LINE_HEIGHT);
  };

  const validate = useMutation({
    mutationFn: () =>
      unwrap(api.POST('/api/v1/guidelines/validate', { body: { content: editor.current!.value } })),
    onMutate: () => setChecked(''),
    onSuccess: (result) => {
      setProblems([]);
      setChecked(
        `No problems: ${result.rule_count} rules. Saving makes version ${result.next_version} of ${result.key}.`,
      );
    },
    onError: showProblems,
  });
  const save = useMutation({
    mutationFn: () =>
      unwrap(api.POST('/api/v1/guidelines', { body: { content: editor.current!.value } })),
    onSuccess: async (version) => {
      setProblems([]);
      await queryClient.invalidateQueries({ queryKey: ['guidelines'] });
      props.onSaved(version);
    },
    onError: showProblems,
  });
  const otherError = [validate, save].find(
    (m) => m.isError && documentProblems(m.error).length === 0,
  )?.error;

  return (
    <section aria-labelledby="guideline-editor" className="guideline-editor">
      <div className="toolbar">
        <h2 id="guideline-editor">
          New version of {props.base.name}{' '}
          <span className="muted">(from version {props.base.version})</span>
        </h2>
        <button type="button" className="link-button" onClick={props.onClose}>
          Close the editor
        </button>
      </div>
      <p className="muted">
        Saving stores the document as a new draft version; the active rules change only when a
        version is activated.
      </p>
      <CodeEditor
        ref={editor}
        label="Guideline document (YAML)"
        text={text}
        onChange={setText}
        problems={problems}
      />
      <div className="actions">
        <button
          type="button"
          disabled={validate.isPending || save.isPending}
          onClick={() => validate.mutate()}
        >
          Validate
        </button>
        <button
          type="button"
          className="primary"
          disabled={validate.isPending || save.isPending || unchanged}
          aria-describedby={unchanged ? unchangedHint : undefined}
          onClick={() => save.mutate()}
        >
          Save as new version
        </button>
        {unchanged && (
          <span id={unchangedHint} className="muted">
            The document is the same as version {props.base.version}; change it to save a new
            version.
          </span>
        )}
      </div>
      <p role="status" className="done-status">
        {checked}
      </p>
      {otherError !== undefined && <ErrorMessage error={otherError} />}
      <Sandbox
        draft={() => editor.current?.value ?? text}
        active={props.active}
        onProblems={showProblems}
      />
    </section>
  );
}

/**
 * A plain textarea with line numbers in a gutter and each problem's message in a margin beside
 * its line; the list under it says every problem in words for screen readers and keyboards
 * (each item puts the caret on its line).
 */
function CodeEditor(props: {
  ref: Ref<HTMLTextAreaElement>;
  label: string;
  text: string;
  onChange: (text: string) => void;
  problems: readonly DocumentProblem[];
}) {
  const id = useId();
  const area = useRef<HTMLTextAreaElement | null>(null);
  const gutter = useRef<HTMLDivElement>(null);
  const notes = useRef<HTMLDivElement>(null);
  const byLine = problemsByLine(props.problems);
  const lines = lineCount(props.text);
  const setRef = (node: HTMLTextAreaElement | null) => {
    area.current = node;
    if (typeof props.ref === 'function') props.ref(node);
    else if (props.ref) props.ref.current = node;
  };
  const syncScroll = () => {
    const top = area.current?.scrollTop ?? 0;
    if (gutter.current) gutter.current.scrollTop = top;
    if (notes.current) notes.current.scrollTop = top;
  };
  const goTo = (problem: DocumentProblem) => {
    const node = area.current;
    if (!node || problem.line === null) return;
    const at = offsetOf(node.value, problem.line, problem.column ?? 1);
    node.focus();
    node.setSelectionRange(at, at);
    node.scrollTop = Math.max(0, (problem.line - 4) * LINE_HEIGHT);
    syncScroll();
  };
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <div className="code-editor">
        <div className="code-gutter" ref={gutter} aria-hidden="true">
          {Array.from({ length: lines }, (_, i) => (
            <div key={i} className={byLine.has(i + 1) ? 'code-line has-problem' : 'code-line'}>
              {i + 1}
            </div>
          ))}
        </div>
        <textarea
          id={id}
          ref={setRef}
          value={props.text}
          onChange={(event) => props.onChange(event.target.value)}
          onScroll={syncScroll}
          wrap="off"
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          aria-invalid={props.problems.length > 0}
          aria-describedby={props.problems.length > 0 ? `${id}-problems` : undefined}
        />
        <div className="code-notes" ref={notes} aria-hidden="true">
          {Array.from({ length: lines }, (_, i) => {
            const here = byLine.get(i + 1);
            return (
              <div
                key={i}
                className="code-line"
                data-line={i + 1}
                title={here?.map(problemText).join('\n')}
              >
                {here?.map((p) => p.message).join('; ')}
              </div>
            );
          })}
        </div>
      </div>
      {props.problems.length > 0 && (
        <div id={`${id}-problems`} className="state state-error" role="alert">
          <p>
            {props.problems.length === 1
              ? 'The document has a problem; nothing was saved.'
              : `The document has ${props.problems.length} problems; nothing was saved.`}
          </p>
          <ul className="problem-list">
            {props.problems.map((problem, index) => (
              <li key={index}>
                {problem.line === null ? (
                  problemText(problem)
                ) : (
                  <button type="button" className="link-button" onClick={() => goTo(problem)}>
                    Line {problem.line}
                    {problem.column === null ? '' : `, column ${problem.column}`}
                  </button>
                )}
                {problem.line !== null && `: ${problemText(problem)}`}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

/** Runs the draft over past work and shows what it would change against the active rules. */
function Sandbox(props: {
  draft: () => string;
  active: Version | null;
  onProblems: (error: unknown) => void;
}) {
  const initial = defaultPeriod();
  const [from, setFrom] = useState(initial.from);
  const [to, setTo] = useState(initial.to);
  const run = useMutation({
    mutationFn: (period: { from: string; to: string }) =>
      unwrap(
        api.POST('/api/v1/guidelines/sandbox', { body: { content: props.draft(), ...period } }),
      ),
    onError: (error) => {
      if (documentProblems(error).length > 0) props.onProblems(error);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    run.mutate({ from, to });
  };
  return (
    <section aria-labelledby="guideline-sandbox" className="sandbox">
      <h2 id="guideline-sandbox">Try the draft on past work</h2>
      <p className="muted">
        Runs the draft over the work dated in the period and compares its findings with those of the
        active rules{props.active ? ` (version ${props.active.version})` : ''}. Nothing is stored.
      </p>
      <form className="inline-form" onSubmit={submit}>
        <label>
          From
          <input type="date" required value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          To
          <input type="date" required value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <button type="submit" disabled={run.isPending}>
          {run.isPending ? 'Running…' : 'Run the sandbox'}
        </button>
      </form>
      {run.isError && documentProblems(run.error).length === 0 && (
        <ErrorMessage error={run.error} />
      )}
      {run.isError && documentProblems(run.error).length > 0 && (
        <p className="state state-error">Fix the document’s problems above, then run again.</p>
      )}
      {run.data && <SandboxResult report={run.data} />}
    </section>
  );
}

function SandboxResult(props: { report: SandboxReport }) {
  const r = props.report;
  const changed = r.rules.filter((rule) => rule.active !== rule.draft || rule.change !== 'kept');
  const unchanged = r.rules.length - changed.length;
  return (
    <div className="report">
      <p role="status">
        Checked {r.entries_checked} time entries and {r.expenses_checked} expenses from{' '}
        {r.window.from} to {r.window.to}: the draft adds {r.added.length} findings and drops{' '}
        {r.gone.length}.
      </p>
      {changed.length === 0 && r.added.length === 0 && r.gone.length === 0 ? (
        <Empty>
          The draft changes nothing in this period: it finds exactly what the active rules find. Try
          a longer period, or one with more work.
        </Empty>
      ) : (
        <>
          <table className="data sandbox-rules">
            <caption>
              Findings per rule, active rules against the draft
              {unchanged > 0 ? ` (${unchanged} rules with the same findings not shown)` : ''}
            </caption>
            <thead>
              <tr>
                <th scope="col">Rule</th>
                <th scope="col" className="num">
                  Active
                </th>
                <th scope="col" className="num">
                  Draft
                </th>
                <th scope="col" className="num">
                  Difference
                </th>
                <th scope="col">Rule change</th>
              </tr>
            </thead>
            <tbody>
              {changed.map((rule) => (
                <tr key={rule.rule_id} data-rule={rule.rule_id}>
                  <th scope="row">{rule.rule_id}</th>
                  <td className="num">{rule.active}</td>
                  <td className="num">{rule.draft}</td>
                  <td className="num">{signed(rule.draft - rule.active)}</td>
                  <td>{CHANGE_WORDS[rule.change]}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <FindingsTable title="Findings the draft adds" findings={r.added} />
          <FindingsTable title="Findings the draft no longer makes" findings={r.gone} />
        </>
      )}
    </div>
  );
}

const CHANGE_WORDS: Record<SandboxReport['rules'][number]['change'], string> = {
  added: 'New in the draft',
  removed: 'Dropped by the draft',
  kept: 'In both',
};

function signed(n: number): string {
  return n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '0';
}

const ENTITY_WORDS: Record<string, string> = {
  time_entry: 'Time entry',
  expense: 'Expense',
  invoice: 'Invoice',
};

function FindingsTable(props: { title: string; findings: readonly SandboxFinding[] }) {
  if (props.findings.length === 0) return <p className="muted">{props.title}: none.</p>;
  const shown = props.findings.slice(0, FINDINGS_SHOWN);
  return (
    // A long list scrolls in its own box, so the rest of the screen stays in reach.
    <div
      className="findings-scroll"
      tabIndex={0}
      role="region"
      aria-label={`${props.title}, scrollable`}
    >
      <table className="data findings-diff" aria-label={props.title}>
        <caption>
          {props.title}: {props.findings.length}
          {shown.length < props.findings.length ? ` (the first ${shown.length} listed)` : ''}
        </caption>
        <thead>
          <tr>
            <th scope="col">Rule</th>
            <th scope="col">Matter</th>
            <th scope="col">Work</th>
            <th scope="col">Severity</th>
            <th scope="col">Finding</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((f) => (
            <tr key={`${f.rule_id}-${f.entity}-${f.entity_id}`}>
              <td>{f.rule_id}</td>
              <td>{f.matter}</td>
              <td>
                {ENTITY_WORDS[f.entity] ?? words(f.entity)} {f.entity_id}
              </td>
              <td>
                <span className={`sev-${f.severity}`}>{words(f.severity)}</span>
              </td>
              <td>{f.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
