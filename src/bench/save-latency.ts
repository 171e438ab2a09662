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
import { createApiToken } from '../modules/auth/auth.service.js';
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

/** Seconds of load; MATTERFLOW_BENCH_SAVE_SECONDS shortens a quick run. */
export const LOAD_SECONDS = Number(process.env.MATTERFLOW_BENCH_SAVE_SECONDS ?? '15');
const EMAIL = 'bench.coordinator@example.com';
const PASSWORD = 'bench-coordinator-password';

export interface SaveLatency {
  summary: string;
  /** Entries saved. */
  count: number;
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

/** A Matterflow server on a random port, and the load it has been sent so far. */
export interface SaveServer {
  url: string;
  authorization: string;
  /** Sends new entries at `rate` per second (or as fast as `connections` allow) and measures. */
  drive(options: { connections: number; seconds: number; rate?: number }): Promise<SaveLatency>;
  close(): Promise<void>;
}

/**
 * Starts the HTTP app in this process against the loaded database, with a billing
 * coordinator's API token (bearer tokens are what integrations and bulk clients use). Every
 * request records a new entry on a timekeeper-day that already holds the timekeeper's other
 * entries, so the save-time check sees real neighbours.
 */
export async function startSaveServer(ctx: AppContext, firm: SyntheticFirm): Promise<SaveServer> {
  const user = await createUser(ctx, SYSTEM_ACTOR, {
    email: EMAIL,
    name: 'Benchmark Coordinator',
    roles: ['billing_coordinator'],
    password: PASSWORD,
  });
  const actor = {
    userId: String(user.id),
    email: EMAIL,
    roles: ['billing_coordinator'] as const,
    timekeeperId: null,
    via: 'session' as const,
  };
  const token = await createApiToken(ctx, actor, {
    name: 'benchmark',
    scopes: ['read', 'write'],
    expiresAt: null,
  });
  const authorization = `Bearer ${token.token}`;
  // The benchmark is the bulk client the rate limit must never slow: measure without it.
  const app = await buildApp({
    ctx,
    security: { rateLimitPerMinute: null, rateLimitAnonymousPerMinute: null },
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  // One request by hand first: a broken endpoint should fail loudly, not as 3,000 errors.
  const probe = await fetch(`${url}/api/v1/time-entries`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: entryBody(firm, 0),
  });
  if (probe.status !== 201) {
    await app.close();
    throw new Error(`create failed: ${probe.status} ${await probe.text()}`);
  }
  let sequence = 1;
  return {
    url,
    authorization,
    close: () => app.close(),
    async drive({ connections, seconds, rate }) {
      // Every request records a new entry: enough distinct bodies for the whole run.
      const count = Math.ceil((rate ?? 2000) * seconds * 1.2) + 100;
      const bodies = Array.from({ length: count }, () => entryBody(firm, sequence++));
      const result = await runLoadGenerator({
        url,
        authorization,
        path: '/api/v1/time-entries',
        bodies,
        connections,
        seconds,
        ...(rate === undefined ? {} : { rate }),
      });
      const latencies = result.latencies;
      const p50 = percentile(latencies, 50);
      const p99 = percentile(latencies, 99);
      const rps = latencies.length / result.duration;
      const summary =
        `${latencies.length} entries in ${result.duration} s (${rps.toFixed(0)}/s); p50 ${p50.toFixed(1)} ms, ` +
        `p99 ${p99.toFixed(1)} ms, max ${(latencies.at(-1) ?? 0).toFixed(1)} ms; autocannon (corrected for ` +
        `coordinated omission) p99 ${result.corrected.p99} ms; ${result.errors} errors/non-2xx ` +
        `(${JSON.stringify(result.statusCodes)})${result.failures.map((f) => `\n    failed: ${f.slice(0, 300)}`).join('')}`;
      return {
        summary,
        count: latencies.length,
        p50,
        p99,
        rps,
        errors: result.errors,
      };
    },
  };
}

/** (d): the endpoint one request at a time, then at 200 requests/s. */
export async function measureSaveLatency(
  ctx: AppContext,
  firm: SyntheticFirm,
  out: (line: string) => void,
  label: string,
): Promise<SaveLatency> {
  const server = await startSaveServer(ctx, firm);
  try {
    // One request at a time first: the cost of one save with nothing queued in front of it.
    const alone = await server.drive({ connections: 1, seconds: 5 });
    out(`(d) ${label}: one request at a time: ${alone.summary}`);
    const loaded = await server.drive({ connections: 10, seconds: LOAD_SECONDS, rate: 200 });
    out(`(d) ${label}: at 200 requests/s: ${loaded.summary}`);
    const { p50, p99, rps, errors } = loaded;
    return {
      count: loaded.count,
      summary: `p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms at ${rps.toFixed(0)} req/s, ${errors} errors`,
      p50,
      p99,
      rps,
      errors,
    };
  } finally {
    await server.close();
  }
}
