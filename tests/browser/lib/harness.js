// Shared test helpers: the served dist/, a fresh Debian Chromium per test file (never a
// downloaded browser), request recording, and the page's test hooks (data-testid).
import { chromium } from 'playwright-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';

import { serve } from './server.js';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(here, '../../..');
export const DIST = resolve(process.env.GPO_DIST ?? join(ROOT, 'dist'));
export const CHROMIUM = process.env.GPO_CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];
/// Loading the bundle and the first prediction (generous: 2 cores, a debug build, or SwiftShader).
export const LOAD_TIMEOUT = 180_000;
export const PREDICT_TIMEOUT = Number(process.env.GPO_PREDICT_TIMEOUT ?? 120_000);

export async function startServer() {
  return serve(DIST);
}

/// A served dist/ and a fresh browser shared by the tests of the enclosing `describe`, closed
/// after them: `{ server, browser }` once its `before` has run.
export function suiteBrowser() {
  const session = {};
  before(async () => {
    session.server = await startServer();
    session.browser = await launch();
  });
  after(async () => {
    await session.browser?.close();
    await session.server?.close();
  });
  return session;
}

/// A fresh browser profile; `webgpu` adds --enable-unsafe-webgpu (SwiftShader headless).
export async function launch({ webgpu = false, viewport = { width: 1280, height: 900 }, initScript } = {}) {
  const profile = await mkdtemp(join(tmpdir(), 'gpo-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...FLAGS, ...(webgpu ? ['--enable-unsafe-webgpu'] : [])],
    viewport,
    acceptDownloads: true,
  });
  if (initScript) await context.addInitScript(initScript);
  const requests = [];
  const watchers = new Set();
  context.on('request', (request) => {
    requests.push({ url: request.url(), at: Date.now() });
    for (const watcher of watchers) watcher.push(request.url());
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  page.on('console', (message) => {
    if (process.env.GPO_CONSOLE) console.log(`[console.${message.type()}] ${message.text()}`);
  });
  return {
    context,
    page,
    requests,
    pageErrors,
    /// Collects every request from now until stop() (which returns their URLs).
    watchRequests() {
      const seen = [];
      watchers.add(seen);
      return {
        stop() {
          watchers.delete(seen);
          return seen;
        },
      };
    },
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/// Opens the page and waits until the bundle is loaded and a first prediction is on screen.
export async function openApp(page, url) {
  await page.goto(url);
  await waitReady(page);
}

export async function waitReady(page) {
  await page.waitForSelector('[data-testid=question]', { timeout: LOAD_TIMEOUT });
  await page.waitForFunction(
    () => {
      const pre = document.querySelector('[data-testid=prediction-json]');
      return pre && pre.dataset.context !== '' && pre.dataset.busy === 'false';
    },
    null,
    { timeout: LOAD_TIMEOUT },
  );
}

/// Waits until the latest prediction used `context` answers and nothing more is queued.
export async function waitForPrediction(page, context, timeout = PREDICT_TIMEOUT) {
  await page.waitForFunction(
    (expected) => {
      const pre = document.querySelector('[data-testid=prediction-json]');
      return pre && pre.dataset.context === String(expected) && pre.dataset.busy === 'false';
    },
    context,
    { timeout },
  );
}

/// The page's latest full prediction: [{key, probs, std}].
export async function readPrediction(page) {
  const text = await page.getByTestId('prediction-json').textContent();
  return JSON.parse(text);
}

/// Answers the card at `position` of the current list with `option` (modulo its options);
/// returns {question, option}.
export async function answerAt(page, position, option) {
  const card = page.locator('#question-list [data-testid=question]').nth(position);
  const key = await card.getAttribute('data-key');
  const buttons = card.getByTestId('option');
  const count = await buttons.count();
  const chosen = option % count;
  await buttons.nth(chosen).click();
  return { question: key, option: chosen };
}

/// Answers `count` questions one after another (each waiting for its re-prediction).
export async function answerSeveral(page, count, start = 0) {
  const answers = [];
  for (let i = 0; i < count; i++) {
    answers.push(await answerAt(page, 0, i + 1));
    await waitForPrediction(page, start + i + 1);
  }
  return answers;
}

export async function storedAnswers(page, task = 'oqa') {
  const text = await page.evaluate((key) => localStorage.getItem(key), `gpo.answers.v1.${task}`);
  return text ? JSON.parse(text).answers.map(({ question, option }) => ({ question, option })) : [];
}

export async function numberOf(page, testId) {
  return Number(await page.getByTestId(testId).textContent());
}

/// Largest |a - b| over two predictions' probabilities (keys must match).
export function maxDifference(a, b, field = 'probs') {
  const byKey = new Map(b.map((row) => [row.key, row]));
  let worst = 0;
  for (const row of a) {
    const other = byKey.get(row.key);
    if (!other) throw new Error(`question ${row.key} missing`);
    row[field].forEach((value, i) => {
      worst = Math.max(worst, Math.abs(value - other[field][i]));
    });
  }
  return worst;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
