#!/usr/bin/env node
// `npm start`: build when the sources are newer than the build, then serve with the embedded
// database, loading the demo firm on the first run. Extra arguments go to `matterflow serve`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function newest(dir) {
  let latest = 0;
  if (!existsSync(dir)) return latest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

const built = join(root, 'dist', 'cli', 'entry.js');
const builtWeb = join(root, 'dist', 'web', 'index.html');
const stale =
  !existsSync(built) ||
  !existsSync(builtWeb) ||
  newest(join(root, 'src')) > statSync(built).mtimeMs ||
  newest(join(root, 'web')) > statSync(builtWeb).mtimeMs ||
  statSync(join(root, 'package-lock.json')).mtimeMs > statSync(built).mtimeMs;
if (stale) {
  process.stdout.write('Building Matterflow…\n');
  const result = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const serve = spawnSync(
  process.execPath,
  [join(root, 'bin', 'matterflow.js'), 'serve', '--demo-if-empty', ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
);
process.exit(serve.status ?? 1);
