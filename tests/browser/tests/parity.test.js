// The page's CPU backend computes the same predictions as native `gpo predict` (same bundle,
// same answers) to 1e-4, and how fast it re-predicts the whole OpinionQA survey.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  answerSeveral,
  launch,
  maxDifference,
  median,
  openApp,
  readPrediction,
  startServer,
  waitForPrediction,
} from '../lib/harness.js';
import { nativePredict } from '../lib/native.js';

const TOLERANCE = 1e-4;

describe('CPU backend', () => {
  let server;
  let browser;

  before(async () => {
    server = await startServer();
    browser = await launch();
    await openApp(browser.page, server.url);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('runs on the CPU in a browser without WebGPU, and says so', async () => {
    const backend = browser.page.getByTestId('backend');
    assert.equal(await backend.getAttribute('data-gpu'), 'false');
    assert.match(await backend.textContent(), /CPU/);
    await browser.page.getByTestId('notice').filter({ hasText: 'WebGPU' }).first().waitFor();
  });

  for (const task of ['oqa', 'gd4']) {
    it(`${task}: the page's prediction equals native gpo predict (1e-4)`, async () => {
      const { page } = browser;
      await page.getByTestId(`survey-${task}`).check();
      await waitForPrediction(page, 0);
      const empty = await readPrediction(page);
      const native0 = await nativePredict(task, []);
      assert.equal(empty.length, native0.length);
      assert.ok(maxDifference(empty, native0) <= TOLERANCE, `no answers: ${maxDifference(empty, native0)}`);
      const answers = await answerSeveral(page, 5);
      const inPage = await readPrediction(page);
      const native = await nativePredict(task, answers);
      assert.equal(inPage.length, native.length);
      assert.deepEqual(inPage.map((r) => r.key), native.map((r) => r.key));
      const probs = maxDifference(inPage, native, 'probs');
      const std = maxDifference(inPage, native, 'std');
      console.log(`# ${task}: ${inPage.length} questions, max |Δp| = ${probs.toExponential(2)}, max |Δstd| = ${std.toExponential(2)}`);
      assert.ok(probs <= TOLERANCE, `probabilities differ by ${probs}`);
      assert.ok(std <= TOLERANCE, `stds differ by ${std}`);
    });
  }

  it('re-predicts the whole OpinionQA survey quickly after warm-up (CPU)', async () => {
    const { page } = browser;
    await page.getByTestId('survey-oqa').check();
    await waitForPrediction(page, 5);
    const predict = [];
    const render = [];
    for (let i = 0; i < 6; i++) {
      await answerSeveral(page, 1, 5 + i);
      predict.push(Number(await page.getByTestId('predict-ms').textContent()));
      render.push(Number(await page.getByTestId('render-ms').textContent()));
    }
    const targets = (await readPrediction(page)).reduce((n, row) => n + row.probs.length, 0);
    const ready = Number(await page.getByTestId('ready-ms').textContent());
    // The first answers warm up; the median of the rest is the figure.
    const warm = predict.slice(2);
    console.log(
      `# OpinionQA on the CPU: ${targets} target tokens; re-predict median ${median(warm).toFixed(1)} ms ` +
        `(all: ${predict.map((v) => v.toFixed(0)).join(', ')}); on screen median ${median(render.slice(2)).toFixed(1)} ms; ` +
        `interactive after ${ready.toFixed(0)} ms`,
    );
    // The targets (≤ 200 ms to re-predict, ≤ 50 ms on screen) are recorded in docs/BENCHMARKS.md;
    // a timing on a shared CI machine is not a test, so limits are asserted only when set.
    assert.ok(predict.every((v) => Number.isFinite(v) && v >= 0), 'timings are shown');
    if (process.env.GPO_MAX_PREDICT_MS) {
      assert.ok(median(warm) <= Number(process.env.GPO_MAX_PREDICT_MS), `median ${median(warm)} ms`);
    }
    if (process.env.GPO_MAX_RENDER_MS) {
      assert.ok(median(render.slice(2)) <= Number(process.env.GPO_MAX_RENDER_MS), `on screen ${median(render.slice(2))} ms`);
    }
  });
});
