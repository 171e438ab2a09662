/**
 * The load generator of the save-latency benchmark, run as its own process so that sending
 * requests does not compete with the server for the same event loop (the two still share the
 * machine's cores, as a client and server on one box do). Reads a job file, drives autocannon,
 * prints the result as one JSON line on stdout.
 */
import { readFileSync } from 'node:fs';
import autocannon, { type Result } from 'autocannon';

/** What the benchmark asks the load generator to do. */
export interface LoadJob {
  url: string;
  authorization: string;
  path: string;
  bodies: string[];
  connections: number;
  seconds: number;
  rate?: number;
}

/** What the load generator reports back. */
export interface LoadOutcome {
  duration: number;
  latencies: number[];
  errors: number;
  statusCodes: Record<string, number>;
  failures: string[];
  corrected: { p50: number; p99: number };
}

async function run(job: LoadJob): Promise<LoadOutcome> {
  let sequence = 0;
  const latencies: number[] = [];
  const failures: string[] = [];
  const result = await new Promise<Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: job.url,
        connections: job.connections,
        duration: job.seconds,
        ...(job.rate === undefined ? {} : { overallRate: job.rate }),
        headers: { 'content-type': 'application/json', authorization: job.authorization },
        requests: [
          {
            method: 'POST',
            path: job.path,
            setupRequest: (request) => ({
              ...request,
              body: job.bodies[sequence++ % job.bodies.length],
            }),
            onResponse: (status: number, body: string) => {
              if (status >= 300 && failures.length < 3) failures.push(`${status} ${body}`);
            },
          },
        ],
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      if (status < 300) latencies.push(ms);
    });
  });
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats)) statusCodes[code] = stat.count;
  return {
    duration: result.duration,
    latencies: latencies.sort((a, b) => a - b),
    errors: result.errors + result.timeouts + result.non2xx,
    statusCodes,
    failures,
    corrected: { p50: result.latency.p50, p99: result.latency.p99 },
  };
}

const jobFile = process.argv[2];
if (jobFile === undefined) {
  process.stderr.write('usage: save-load <job.json>\n');
  process.exit(2);
}
const outcome = await run(JSON.parse(readFileSync(jobFile, 'utf8')) as LoadJob);
process.stdout.write(`${JSON.stringify(outcome)}\n`);
