/**
 * (d) of the rules benchmark: the entry-create endpoint under a fixed load. The HTTP app runs in
 * this process on a random port against the loaded database; a billing coordinator signs in and
 * autocannon, in a separate process, sends POST /api/v1/time-entries at a fixed rate, each request a new entry on a
 * timekeeper-day that already holds the timekeeper's other entries, so the save-time check sees
 * real neighbours.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppContext } from '../config/context.js';
import { SYSTEM_ACTOR } from '../domain/policy.js';
import { buildApp } from '../http/app.js';
import { createUser } from '../modules/users/users.service.js';
import type { LoadJob, LoadOutcome } from './save-load.js';
import type { SyntheticFirm } from './synthetic-firm.js';

/** Runs the load generator in its own process and returns what it measured. */
async function runLoadGenerator(job: LoadJob): Promise<LoadOutcome> {
  const dir = mkdtempSync(join(tmpdir(), 'matterflow-load-'));
  const jobFile = join(dir, 'job.json');
  writeFileSync(jobFile, JSON.stringify(job));
  try {
    const script = fileURLToPath(new URL('./save-load.js', import.meta.url));
    const child = spawn(process.execPath, [script, jobFile], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    if (code !== 0) throw new Error(`load generator exited with ${code}`);
    return JSON.parse(stdout) as LoadOutcome;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Requests per second and seconds of load; MATTERFLOW_BENCH_SAVE_SECONDS shortens a quick run. */
const RATE = 200;
const DURATION = Number(process.env.MATTERFLOW_BENCH_SAVE_SECONDS ?? '15');
const EMAIL = 'bench.coordinator@example.com';
const PASSWORD = 'bench-coordinator-password';

export interface SaveLatency {
  summary: string;
  p50: number;
  p99: number;
  rps: number;
  errors: number;
}

/** The n-th request's body: a 0.5 h entry by one timekeeper on one of their matters and days. */
function entryBody(firm: SyntheticFirm, n: number): string {
  const timekeeper = firm.timekeepers[n % firm.timekeepers.length]!;
  // Closed matters take no new work; the entry goes to the timekeeper's first open one.
  const open = timekeeper.matters.filter((m) => m.closedOn === null);
  const matter = open.length > 0 ? open[n % open.length]! : firm.matters.find((m) => !m.closedOn)!;
  return JSON.stringify({
    entry_id: `LOAD-${n}`,
    timekeeper_code: timekeeper.code,
    matter_code: matter.code,
    work_date: firm.workDays[n % firm.workDays.length],
    hours: '0.5',
    narrative: 'Draft responses and objections to third set of requests for admission',
    task_code: 'L310',
    activity_code: 'A103',
  });
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Drives the endpoint at RATE requests/s for DURATION seconds and summarizes the latencies. */
export async function measureSaveLatency(
  ctx: AppContext,
  firm: SyntheticFirm,
  out: (line: string) => void,
  label: string,
): Promise<SaveLatency> {
  await createUser(ctx, SYSTEM_ACTOR, {
    email: EMAIL,
    name: 'Benchmark Coordinator',
    roles: ['billing_coordinator'],
    password: PASSWORD,
  });
  // The benchmark is the bulk client the rate limit must never slow: measure without it.
  const app = await buildApp({
    ctx,
    security: { rateLimitPerMinute: null, rateLimitAnonymousPerMinute: null },
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const signIn = await fetch(`${url}/api/v1/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
    });
    const cookie = signIn.headers.get('set-cookie')?.split(';')[0];
    if (!signIn.ok || cookie === undefined) throw new Error(`sign-in failed: ${signIn.status}`);
    const { csrf_token: csrfToken } = (await signIn.json()) as { csrf_token: string };
    // One request by hand first: a broken endpoint should fail loudly, not as 3,000 errors.
    const probe = await fetch(`${url}/api/v1/time-entries`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      body: entryBody(firm, 0),
    });
    if (probe.status !== 201)
      throw new Error(`create failed: ${probe.status} ${await probe.text()}`);

    let sequence = 1;
    const load = async (connections: number, seconds: number, rate?: number) => {
      // Every request records a new entry: enough distinct bodies for the whole run.
      const count = Math.ceil((rate ?? 500) * seconds * 1.2) + 100;
      const bodies = Array.from({ length: count }, () => entryBody(firm, sequence++));
      const job: LoadJob = {
        url,
        cookie,
        csrfToken,
        path: '/api/v1/time-entries',
        bodies,
        connections,
        seconds,
        ...(rate === undefined ? {} : { rate }),
      };
      const outcome = await runLoadGenerator(job);
      return { result: outcome, latencies: outcome.latencies, failures: outcome.failures };
    };
    // One request at a time first: the cost of one save with nothing queued in front of it.
    const alone = await load(1, 5);
    out(
      `(d) ${label}: one request at a time: ${alone.latencies.length} entries in ${alone.result.duration} s, ` +
        `p50 ${percentile(alone.latencies, 50).toFixed(1)} ms, p99 ${percentile(alone.latencies, 99).toFixed(1)} ms`,
    );
    const { result, latencies, failures } = await load(10, DURATION, RATE);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    const rps = latencies.length / result.duration;
    const errors = result.errors;
    out(
      `(d) ${label}: ${latencies.length} entries created in ${result.duration} s (${rps.toFixed(0)} req/s, target ${RATE}); ` +
        `latency p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${(latencies.at(-1) ?? 0).toFixed(1)} ms; ` +
        `autocannon (corrected for coordinated omission) p50 ${result.corrected.p50} ms, p99 ${result.corrected.p99} ms; ` +
        `${errors} errors/non-2xx (${JSON.stringify(result.statusCodes)})`,
    );
    for (const failure of failures) out(`    failed: ${failure.slice(0, 300)}`);
    return {
      summary: `p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms at ${rps.toFixed(0)} req/s, ${errors} errors`,
      p50,
      p99,
      rps,
      errors,
    };
  } finally {
    await app.close();
  }
}
