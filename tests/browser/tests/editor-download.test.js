// The editor when its encoder download fails: the page says why, and "Try again" loads it
// without a reload.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { launch, openApp, startServer } from '../lib/harness.js';

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
});
