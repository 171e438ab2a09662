import type { Command } from 'commander';
import { databaseTarget, describeTarget } from '../../config/config.js';
import { securityFromEnv } from '../../config/security.js';
import { openDatabase } from '../../db/database.js';
import { migrateToLatest } from '../../db/migrate.js';
import { buildApp } from '../../http/app.js';
import { globalOptions, UsageError } from '../runtime.js';
import { countFirm } from '../../modules/demo/demo.service.js';
import { loadDemoIfEmpty, printDemoSignIns } from './demo.js';
import { settingsFor, startWorkerInProcess } from './notifications.js';

interface ServeOptions {
  port?: string;
  host: string;
  demoIfEmpty?: boolean;
  worker: boolean;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Migrate the database and serve the API (and web app) over HTTP.')
    .option('--port <port>', 'port to listen on (env PORT; default 3000)')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--demo-if-empty', 'load the demo firm when the database has no users yet')
    .option('--no-worker', 'deliver no notifications here (run `matterflow worker` instead)')
    .action(async (options: ServeOptions, command: Command) => {
      const global = globalOptions(command);
      const port = Number(options.port ?? process.env.PORT ?? 3000);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new UsageError(`--port must be a port number, got "${options.port}".`);
      const target = (() => {
        try {
          return databaseTarget(global);
        } catch (error) {
          throw new UsageError((error as Error).message);
        }
      })();
      const security = (() => {
        try {
          return securityFromEnv();
        } catch (error) {
          throw new UsageError((error as Error).message);
        }
      })();
      const database = await openDatabase(target);
      await migrateToLatest(database.db);
      const ctx = { db: database.db, now: () => new Date(), notifications: settingsFor(global) };
      const demo = options.demoIfEmpty ? await loadDemoIfEmpty(ctx) : null;
      const app = await buildApp({
        ctx,
        logger: false,
        security,
      });
      await app.listen({ port, host: options.host });
      const url = `http://${options.host === '0.0.0.0' || options.host === '127.0.0.1' ? 'localhost' : options.host}:${port}`;
      process.stdout.write(`Matterflow is running at ${url}\n`);
      process.stdout.write(`Database: ${describeTarget(target)}\n`);
      if (demo) printDemoSignIns(demo);
      // No default account outside the demo: the operator creates the first admin.
      else if ((await countFirm(ctx)).users === 0)
        process.stdout.write(
          'No users yet. Create the first admin (the password is asked for):\n' +
            '  matterflow users create --email you@firm.example --name "Your Name" --role admin\n',
        );
      const worker = options.worker ? startWorkerInProcess(ctx) : null;
      const shutdown = async () => {
        await worker?.stop();
        await app.close();
        await database.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void shutdown());
      process.once('SIGTERM', () => void shutdown());
    });
}
