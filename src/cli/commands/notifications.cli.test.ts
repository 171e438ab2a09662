import { describe, expect, it } from 'vitest';
import { runCliCapturing } from '../../test/cli.js';

describe('matterflow notifications preview', () => {
  it('shows what a timekeeper must answer, with the question only in detail', async () => {
    const plain = await runCliCapturing(['notifications', 'preview', 'timekeeper_question']);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain(
      'Subject: Question for you on invoice ACME-202610-0007 (ACME-001): your answer is needed',
    );
    expect(plain.stdout).toContain('entry TE-1001 (2026-10-15, 1.50 h)');
    expect(plain.stdout).toContain('/time?question=12');
    expect(plain.stdout).not.toContain('Was this 1.5 hours?');
    const detail = await runCliCapturing([
      'notifications',
      'preview',
      'timekeeper_question',
      '--detail',
    ]);
    expect(detail.stdout).toContain('Question: Was this 1.5 hours?');
  });

  it('renders the answer for the reviewer as HTML with the invoice link', async () => {
    const html = await runCliCapturing([
      'notifications',
      'preview',
      'question_answered',
      '--html',
      '--detail',
    ]);
    expect(html.code).toBe(0);
    expect(html.stdout).toContain('<p>Answer: It was 1.0; I corrected the entry.</p>');
    expect(html.stdout).toContain('/invoices/42">Open in Matterflow</a>');
  });

  it('refuses an unknown kind as bad usage', async () => {
    const run = await runCliCapturing(['notifications', 'preview', 'no_such_kind']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('timekeeper_question');
  });
});
