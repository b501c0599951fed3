// With --enable-unsafe-webgpu headless Chromium offers SwiftShader's WebGPU adapter: the page
// must run there and equal native `gpo predict`; forcing the CPU re-initialises (and is
// remembered); losing the device while in use falls back to the CPU with a notice.
// SwiftShader is slow: generous timeouts. Skipped, with the reason, when no adapter is given.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  answerSeveral,
  launch,
  maxDifference,
  openApp,
  readPrediction,
  startServer,
  waitForPrediction,
  waitReady,
} from '../lib/harness.js';
import { nativePredict } from '../lib/native.js';

const TOLERANCE = 1e-4;
const SLOW = 600_000;

// Keeps the page's GPUDevice reachable so the test can lose it on purpose.
function captureDevices() {
  if (typeof GPUAdapter === 'undefined') return;
  const requestDevice = GPUAdapter.prototype.requestDevice;
  GPUAdapter.prototype.requestDevice = async function (...args) {
    const device = await requestDevice.apply(this, args);
    (window.__gpoDevices ??= []).push(device);
    return device;
  };
}

describe('WebGPU adapter refused', () => {
  it('falls back to the CPU and says so when the device request fails', async () => {
    const server = await startServer();
    const browser = await launch({
      webgpu: true,
      initScript: () => {
        if (typeof GPUAdapter === 'undefined') return;
        GPUAdapter.prototype.requestDevice = () => Promise.reject(new Error('refused by the test'));
      },
    });
    try {
      const { page } = browser;
      page.setDefaultTimeout(SLOW);
      await openApp(page, server.url);
      assert.equal(await page.getByTestId('backend').getAttribute('data-gpu'), 'false');
      const notices = (await page.getByTestId('notice').allTextContents()).join(' ');
      assert.match(notices, /WebGPU is not available in this browser \(.*refused.*\); GPO runs on the CPU/s);
    console.log(`# refused: ${notices}`);
      assert.deepEqual(browser.pageErrors, []);
    } finally {
      await browser.close();
      await server.close();
    }
  });
});

describe('WebGPU backend (SwiftShader)', () => {
  let server;
  let browser;
  let page;
  let noAdapter = null;
  let answers = [];

  before(async () => {
    server = await startServer();
    browser = await launch({ webgpu: true, initScript: captureDevices });
    page = browser.page;
    page.setDefaultTimeout(SLOW);
    await openApp(page, server.url);
    if ((await page.getByTestId('backend').getAttribute('data-gpu')) !== 'true') {
      noAdapter = (await page.getByTestId('notice').allTextContents()).join(' ') || 'no WebGPU adapter';
      console.log(`# WebGPU tests skipped: ${noAdapter}`);
    }
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('equals native gpo predict on WebGPU (1e-4)', async (t) => {
    if (noAdapter) return t.skip(noAdapter);
    const adapter = await page.getByTestId('backend').textContent();
    console.log(`# adapter: ${adapter}`);
    assert.match(adapter, /^WebGPU: \S/, 'the footer names the adapter');
    answers = await answerSeveral(page, 2);
    const inPage = await readPrediction(page);
    const native = await nativePredict('oqa', answers);
    assert.deepEqual(inPage.map((r) => r.key), native.map((r) => r.key));
    const probs = maxDifference(inPage, native, 'probs');
    const std = maxDifference(inPage, native, 'std');
    const ms = await page.getByTestId('predict-ms').textContent();
    console.log(`# WebGPU: max |Δp| = ${probs.toExponential(2)}, max |Δstd| = ${std.toExponential(2)}, ${ms} ms per prediction (SwiftShader)`);
    assert.ok(probs <= TOLERANCE, `probabilities differ by ${probs}`);
    assert.ok(std <= TOLERANCE, `stds differ by ${std}`);
  });

  it('forcing the CPU re-initialises, is remembered, and predicts the same', async (t) => {
    if (noAdapter) return t.skip(noAdapter);
    const count = Number(await page.getByTestId('predict-ms').getAttribute('data-count'));
    await page.getByTestId('force-cpu').check();
    await page.waitForFunction(
      (before) => Number(document.querySelector('[data-testid=predict-ms]').dataset.count) > before,
      count,
    );
    await waitForPrediction(page, answers.length);
    assert.equal(await page.getByTestId('backend').getAttribute('data-gpu'), 'false');
    assert.equal(await page.evaluate(() => localStorage.getItem('gpo.backend')), 'cpu');
    const native = await nativePredict('oqa', answers);
    assert.ok(maxDifference(await readPrediction(page), native) <= TOLERANCE);
    await page.reload();
    await waitReady(page);
    assert.equal(await page.getByTestId('backend').getAttribute('data-gpu'), 'false', 'still the CPU after a reload');
    assert.ok(await page.getByTestId('force-cpu').isChecked());
    await page.getByTestId('force-cpu').uncheck();
    await page.waitForFunction(() => document.querySelector('[data-testid=backend]').dataset.gpu === 'true');
    await waitForPrediction(page, answers.length);
  });

  it('falls back to the CPU, with a notice, when the device is lost while in use', async (t) => {
    if (noAdapter) return t.skip(noAdapter);
    const destroyed = await page.evaluate(() => {
      (window.__gpoDevices ?? []).forEach((device) => device.destroy());
      return (window.__gpoDevices ?? []).length;
    });
    assert.ok(destroyed > 0, 'the page asked for a GPUDevice');
    await page.waitForTimeout(200);
    answers.push(...(await answerSeveral(page, 1, answers.length)));
    const lost = page.getByTestId('notice').filter({ hasText: 'WebGPU stopped working' }).first();
    await lost.waitFor();
    console.log(`# device lost: ${await lost.textContent()}`);
    await page.waitForFunction(() => document.querySelector('[data-testid=backend]').dataset.gpu === 'false');
    await waitForPrediction(page, answers.length);
    const native = await nativePredict('oqa', answers);
    assert.ok(maxDifference(await readPrediction(page), native) <= TOLERANCE);
    assert.equal(await page.getByTestId('crash').count(), 0);
  });
});
