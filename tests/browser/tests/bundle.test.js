// A broken bundle (wrong version, failed checksum, truncated file, missing file) shows one
// clear message on the page: no panic, no blank screen. The progress bar shows meanwhile.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { DIST, LOAD_TIMEOUT, launch, startServer } from '../lib/harness.js';

async function manifest() {
  return JSON.parse(await readFile(join(DIST, 'bundle', 'manifest.json'), 'utf8'));
}

describe('bundle failures', () => {
  let server;
  let browser;

  before(async () => {
    server = await startServer();
  });

  after(async () => {
    await server?.close();
  });

  async function expectError(route, pattern) {
    browser = await launch();
    try {
      const { page } = browser;
      await route(page);
      await page.goto(server.url);
      const error = page.getByTestId('load-error');
      await error.waitFor({ timeout: LOAD_TIMEOUT });
      const text = await error.textContent();
      assert.match(text, pattern);
      assert.equal(await page.getByTestId('load-error').count(), 1, 'one message');
      assert.equal(await page.getByTestId('question').count(), 0);
      assert.equal(await page.getByTestId('crash').count(), 0, 'no panic');
      assert.deepEqual(browser.pageErrors, []);
      return text;
    } finally {
      await browser.close();
    }
  }

  it('shows a progress bar while the bundle loads', async () => {
    browser = await launch();
    try {
      const { page } = browser;
      // Hold the model file back so the progress bar can be seen.
      let release;
      const held = new Promise((done) => (release = done));
      await page.route('**/bundle/gd4.model.bpk', async (route) => {
        await held;
        await route.continue();
      });
      await page.goto(server.url);
      const progress = page.getByTestId('load-progress');
      await progress.waitFor({ timeout: LOAD_TIMEOUT });
      await page.waitForFunction(() => Number(document.querySelector('[data-testid=load-progress]')?.value) > 0);
      assert.ok(Number(await progress.getAttribute('max')) > 1_000_000);
      release();
      await page.getByTestId('question').first().waitFor({ timeout: LOAD_TIMEOUT });
      assert.equal(await page.getByTestId('load-progress').count(), 0);
    } finally {
      await browser.close();
    }
  });

  it('a wrong bundle version', async () => {
    const body = JSON.stringify({ ...(await manifest()), version: 99 });
    const text = await expectError(
      (page) => page.route('**/bundle/manifest.json', (route) => route.fulfill({ contentType: 'application/json', body })),
      /version 99/,
    );
    assert.match(text, /gpo export-web/);
  });

  it('a file that fails its checksum', async () => {
    const name = 'oqa.survey.json';
    const bytes = await readFile(join(DIST, 'bundle', name));
    bytes[100] ^= 0x01;
    await expectError(
      (page) => page.route(`**/bundle/${name}`, (route) => route.fulfill({ contentType: 'application/json', body: bytes })),
      /oqa\.survey\.json: checksum mismatch/,
    );
  });

  it('a truncated file', async () => {
    const name = 'oqa.model.bpk';
    const bytes = await readFile(join(DIST, 'bundle', name));
    await expectError(
      (page) => page.route(`**/bundle/${name}`, (route) => route.fulfill({ body: bytes.subarray(0, 1000) })),
      /oqa\.model\.bpk is truncated: 1000 of \d+ bytes/,
    );
  });

  it('a missing file (a real 404)', async () => {
    await expectError(
      (page) => page.route('**/bundle/gd4.emb', (route) => route.fulfill({ status: 404, body: 'not found' })),
      /gd4\.emb: the server answered HTTP 404/,
    );
  });

  it('not a manifest at all', async () => {
    await expectError(
      (page) => page.route('**/bundle/manifest.json', (route) => route.fulfill({ contentType: 'text/html', body: '<html>' })),
      /not a GPO bundle manifest/,
    );
  });
});
