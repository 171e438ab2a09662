#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const entry = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli', 'entry.js');
if (!existsSync(entry)) {
  process.stderr.write(
    'Matterflow is not built yet: run `npm run build` (npm install does it too).\n',
  );
  process.exit(2);
}
await import(entry);
