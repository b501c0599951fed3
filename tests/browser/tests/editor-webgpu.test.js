// The question editor on WebGPU (headless Chromium's SwiftShader adapter, with
// --enable-unsafe-webgpu): the encoder and GPO run there, a question gets a distribution for every
// group, and the page's embedding equals native `gpo encode`. SwiftShader is slow: correctness,
// not speed. Skipped, saying why, without an adapter.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { launch, openApp, startServer } from '../lib/harness.js';
import { millis, nativeCosines, readEmbedding, readGrid, writeQuestion } from '../lib/editor.js';
import { nativeEncode } from '../lib/native.js';

const QUESTION = 'How much do you trust scientists to act in the best interests of the public?';
const OPTIONS = ['A great deal', 'A fair amount', 'Not too much', 'No confidence at all'];

function assertDistribution(probs, options, what) {
  assert.equal(probs.length, options, `${what}: one probability per option`);
  const total = probs.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(total - 1) < 1e-3, `${what} sums to ${total}`);
}

describe('question editor (WebGPU, SwiftShader)', () => {
  it('embeds and predicts on WebGPU like native gpo encode', async () => {
    const server = await startServer();
    const browser = await launch({ webgpu: true });
    try {
      const { page } = browser;
      page.setDefaultTimeout(600_000);
      await openApp(page, server.url);
      if ((await page.getByTestId('backend').getAttribute('data-gpu')) !== 'true') {
        console.log(`# editor WebGPU test skipped: ${(await page.getByTestId('notice').allTextContents()).join(' ')}`);
        return;
      }
      await page.getByTestId('tab-editor').click();
      await page.waitForSelector('[data-testid=editor-status][data-state=ready]', { timeout: 600_000 });
      assert.match(await page.getByTestId('editor-backend').textContent(), /WebGPU/);
      const key = await writeQuestion(page, QUESTION, OPTIONS);
      for (const card of await readGrid(page)) assertDistribution(card.probs, OPTIONS.length, card.label);
      const embedding = await readEmbedding(page);
      assert.equal(embedding.key, key);
      const native = await nativeEncode(embedding.texts);
      const cosines = nativeCosines(embedding, native);
      console.log(`# WebGPU page vs native embeddings: min cosine ${Math.min(...cosines).toFixed(6)}`);
      for (const c of cosines) assert.ok(c >= 0.999, `cosine ${c}`);
      // A second question: the timings after warm-up (SwiftShader: correctness, not speed).
      await writeQuestion(page, 'Should your city build more bike lanes?', ['Yes', 'No', 'Not sure']);
      console.log(
        `EDITOR-TIMING embed_ms=${await millis(page, 'editor-embed-ms')} ` +
          `group_predict_ms=${await millis(page, 'editor-group-predict-ms')} backend=webgpu-swiftshader`,
      );
      assert.deepEqual(browser.pageErrors, []);
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
