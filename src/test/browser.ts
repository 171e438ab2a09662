/**
 * Browser tests of the web app: a real Matterflow server (the demo firm on a fresh in-memory
 * PGlite, listening on a free port) serving a fresh build of the web app, driven by Debian's
 * chromium through playwright-core. No browser is ever downloaded: without a chromium binary the
 * tests are skipped with a message saying how to install one.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { build } from 'vite';
import { onTestFailed } from 'vitest';
import { openDatabase, type Database } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { buildApp } from '../http/app.js';
import { DEMO_PASSWORD, loadDemoFirm } from '../modules/demo/demo.service.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The chromium binary to drive (MATTERFLOW_CHROMIUM overrides Debian's path). */
export const CHROMIUM_PATH = process.env.MATTERFLOW_CHROMIUM ?? '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM_PATH);
export const NO_CHROMIUM_MESSAGE = `Browser tests skipped: no chromium at ${CHROMIUM_PATH} (install it with \`apt-get install -y chromium\`, or set MATTERFLOW_CHROMIUM).`;

const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Where failing tests leave their screenshots (gitignored). */
export const SCREENSHOT_DIR = join(root, 'test-results', 'web');

export interface WebHarness {
  baseUrl: string;
  database: Database;
  browser: Browser;
  /** A fresh browser context (own cookies) with a page that records console errors. */
  open(): Promise<WebPage>;
  close(): Promise<void>;
}

export interface WebPage {
  context: BrowserContext;
  page: Page;
  /** Console errors, page errors and CSP violations seen so far. */
  problems: string[];
  signIn(email: string): Promise<void>;
  /** Gzipped bytes of every JavaScript file the page has loaded so far. */
  javascriptGzipBytes(): Promise<number>;
}

/** Builds the web app, starts the server with the demo firm and launches chromium. */
export async function startWebHarness(): Promise<WebHarness> {
  const webRoot = mkdtempSync(join(tmpdir(), 'matterflow-web-'));
  // Build from the sources under test, never a stale dist/. Vite takes React's build flavour
  // from NODE_ENV, which vitest sets to "test": build what users get.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: join(root, 'web', 'vite.config.ts'),
      mode: 'production',
      logLevel: 'error',
      build: { outDir: webRoot, emptyOutDir: true },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  const database = await openDatabase({ kind: 'pglite', dataDir: null });
  await migrateToLatest(database.db);
  const ctx = { db: database.db, now: () => new Date() };
  await loadDemoFirm(ctx);
  const app: FastifyInstance = await buildApp({ ctx, webRoot });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const baseUrl = `http://127.0.0.1:${address.port}`;
  // playwright-core starts chromium on a fresh temporary user-data dir of its own and removes
  // it on close; each test's context is isolated on top of that.
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_FLAGS,
  });

  const open = async (): Promise<WebPage> => {
    const context = await browser.newContext({
      baseURL: baseUrl,
      viewport: { width: 1280, height: 800 },
    });
    const page = await context.newPage();
    const problems: string[] = [];
    const scripts = new Map<string, Promise<Buffer | null>>();
    page.on('response', (response) => {
      // Only bodies that came over the wire: a 304 revalidation has none.
      if (response.status() === 200 && /\.js(\?|$)/.test(response.url()))
        scripts.set(
          response.url(),
          response.body().catch(() => null),
        );
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() !== 'error' && message.type() !== 'warning') return;
      const text = message.text();
      // API answers of 4xx (a 401 before sign-in, a 409 for a blocked release) are shown on the
      // page in words; the browser also logs them, which is not a fault of the page.
      if (/Failed to load resource: the server responded with a status of 4\d\d/.test(text)) return;
      if (message.type() === 'warning' && !/Content.Security.Policy/i.test(text)) return;
      problems.push(`console ${message.type()}: ${text}`);
    });
    onTestFailed(async ({ task }) => {
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      const name = task.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
      await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
    });
    const signIn = async (email: string) => {
      await page.goto('/');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
    };
    const javascriptGzipBytes = async () => {
      let total = 0;
      for (const pending of scripts.values()) {
        const body = await pending;
        if (body === null) throw new Error('a script loaded without a readable body');
        total += gzipSync(body).length;
      }
      return total;
    };
    return { context, page, problems, signIn, javascriptGzipBytes };
  };

  return {
    baseUrl,
    database,
    browser,
    open,
    close: async () => {
      await browser.close();
      await app.close();
      await database.close();
      rmSync(webRoot, { recursive: true, force: true });
    },
  };
}
