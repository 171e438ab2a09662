import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, unwrap } from '../api/client';
import type { paths } from '../api/openapi';
import { ErrorMessage } from './states';
import { when } from '../format';

type Question =
  paths['/api/v1/invoice-questions/mine']['get']['responses'][200]['content']['application/json']['items'][number];

/**
 * The questions reviewers sent me about my entries on a pre-bill, each with an answer box. The
 * link in the notification (`/time?question=<id>`) brings that question into view and focus;
 * a question already answered says so instead of disappearing silently.
 */
export function QuestionsPanel(props: { focusId: number | null }) {
  const questions = useQuery({
    queryKey: ['questions', 'mine'],
    queryFn: () => unwrap(api.GET('/api/v1/invoice-questions/mine')),
  });
  if (questions.isPending) return null;
  if (questions.isError) return <ErrorMessage error={questions.error} />;
  const open = questions.data.items.filter((q) => q.state === 'open');
  const focused =
    props.focusId === null ? undefined : questions.data.items.find((q) => q.id === props.focusId);
  if (open.length === 0 && focused === undefined) return null;
  return (
    <section className="questions" aria-labelledby="questions-heading">
      <h2 id="questions-heading">
        {open.length === 0
          ? 'No questions waiting for you'
          : open.length === 1
            ? 'A question for you'
            : `${open.length} questions for you`}
      </h2>
      {focused !== undefined && focused.state !== 'open' && (
        <p className="state" role="status">
          The question on invoice {focused.invoice_number} was{' '}
          {focused.state === 'answered' ? 'answered' : 'withdrawn'}
          {focused.answered_at ? ` on ${when(focused.answered_at)}` : ''}; nothing is waiting on you
          there.
        </p>
      )}
      {props.focusId !== null && focused === undefined && (
        <p className="state" role="status">
          That question is not one of yours, or it no longer exists.
        </p>
      )}
      <ul>
        {open.map((q) => (
          <QuestionItem key={q.id} question={q} focus={q.id === props.focusId} />
        ))}
      </ul>
    </section>
  );
}

function QuestionItem(props: { question: Question; focus: boolean }) {
  const { question } = props;
  const queryClient = useQueryClient();
  const [answer, setAnswer] = useState('');
  const box = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (!props.focus) return;
    box.current?.scrollIntoView({ block: 'center' });
    box.current?.focus();
  }, [props.focus]);
  const send = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/invoice-questions/{id}/answer', {
          params: { path: { id: question.id } },
          body: { version: question.version, answer: answer.trim() },
        }),
      ),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['questions'] });
      void queryClient.invalidateQueries({ queryKey: ['inbox'] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (answer.trim() !== '') send.mutate();
  };
  const boxId = `answer-${question.id}`;
  return (
    <li className={props.focus ? 'question question-focus' : 'question'}>
      <p className="muted">
        Invoice {question.invoice_number} · matter {question.matter_code}
        {question.entry_id === null ? '' : ` · entry ${question.entry_id}`} · asked{' '}
        {when(question.asked_at)}
      </p>
      <blockquote>{question.question}</blockquote>
      <form onSubmit={submit}>
        <label htmlFor={boxId}>Your answer</label>
        <textarea
          id={boxId}
          ref={box}
          rows={3}
          maxLength={4000}
          value={answer}
          onChange={(e) => setAnswer(e.target.value)}
        />
        <p className="muted">
          Correct the entry in the list below first if the reviewer asked you to; the invoice goes
          back to review when every question on it is answered.
        </p>
        {send.isError && <ErrorMessage error={send.error} />}
        <button type="submit" disabled={answer.trim() === '' || send.isPending}>
          Send answer
        </button>
      </form>
    </li>
  );
}
