// The editor when its encoder download fails: an interrupted or cut-off transfer is tried again
// by itself; a download that keeps failing says why, and "Try again" loads it — both without a
// reload.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { DIST, LOAD_TIMEOUT, launch, openApp, startServer } from '../lib/harness.js';

describe('question editor: encoder download fails', () => {
  it('says why, and loads on "Try again"', async () => {
    const server = await startServer();
    const browser = await launch();
    try {
      const { page, context } = browser;
      await openApp(page, server.url);
      // A corrupted download: the checksum against the manifest fails.
      await context.route('**/bundle/minilm.f16.safetensors', (route) =>
        route.fulfill({ status: 200, contentType: 'application/octet-stream', body: Buffer.alloc(1000) }),
      );
      await page.getByTestId('tab-editor').click();
      await page.waitForSelector('[data-testid=editor-status][data-state=failed]', { timeout: 60_000 });
      assert.match(await page.getByTestId('editor-error').textContent(), /minilm\.f16\.safetensors is truncated: 1000 of \d+ bytes/);
      assert.equal(await page.getByTestId('editor-save').count(), 1);
      assert.ok(await page.getByTestId('editor-save').isDisabled(), 'nothing to save with until the encoder is ready');
      await context.unroute('**/bundle/minilm.f16.safetensors');
      await page.getByTestId('editor-retry').click();
      await page.waitForSelector('[data-testid=editor-status][data-state=ready]', { timeout: 180_000 });
      assert.deepEqual(browser.pageErrors, []);
    } finally {
      await browser.close();
      await server.close();
    }
  });

  it('an interrupted, then a cut-off download is tried again by itself, without a reload', async () => {
    const server = await startServer();
    const browser = await launch();
    try {
      const { page, context } = browser;
      await openApp(page, server.url);
      await page.evaluate(() => {
        window.gpoSameDocument = true;
      });
      const weights = await readFile(join(DIST, 'bundle/minilm.f16.safetensors'));
      let tries = 0;
      await context.route('**/bundle/minilm.f16.safetensors', (route) => {
        tries += 1;
        // The connection drops; then the transfer ends half way; then it goes through.
        if (tries === 1) return route.abort('connectionreset');
        if (tries === 2) {
          return route.fulfill({
            status: 200,
            contentType: 'application/octet-stream',
            body: weights.subarray(0, weights.length >> 1),
          });
        }
        return route.fallback();
      });
      await page.getByTestId('tab-editor').click();
      await page.waitForSelector('[data-testid=editor-status][data-state=ready]', { timeout: LOAD_TIMEOUT });
      assert.equal(tries, 3, 'three requests: two failed, one whole');
      assert.equal(await page.getByTestId('editor-error').count(), 0);
      assert.equal(await page.evaluate(() => window.gpoSameDocument), true, 'the page was not reloaded');
      assert.ok(await page.getByTestId('editor-question').isEditable(), 'the editor can be used');
      assert.deepEqual(browser.pageErrors, []);
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
