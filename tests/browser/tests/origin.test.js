// The page is locked to its own origin: its Content-Security-Policy allows only same-origin
// scripts, wasm, styles and fetches, with no inline script and no eval. A long visit — answering,
// exporting and importing, the editor (which downloads the encoder), a reload — makes no request
// off the origin and triggers no policy violation; and the policy is enforced, not decorative.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { openEditor, writeQuestion } from '../lib/editor.js';
import { answerSeveral, launch, openApp, startServer, waitForPrediction } from '../lib/harness.js';

/// Collects every CSP violation of the page (before any of the page's own scripts run).
function recordViolations() {
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (event) => {
    window.__violations.push(`${event.effectiveDirective} ${event.blockedURI}`);
  });
}

describe('the page locked to its own origin', () => {
  let server;
  let browser;
  let page;
  const violations = [];
  const seen = async () => violations.push(...(await page.evaluate(() => window.__violations)));

  before(async () => {
    server = await startServer();
    browser = await launch({ initScript: recordViolations });
    page = browser.page;
    await openApp(page, server.url);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('declares a policy without inline script or eval, and loads through it', async () => {
    const policy = await page.evaluate(
      () => document.querySelector('meta[http-equiv=Content-Security-Policy]')?.getAttribute('content') ?? '',
    );
    assert.match(policy, /default-src 'none'/);
    assert.match(policy, /script-src 'self' 'wasm-unsafe-eval';/);
    assert.doesNotMatch(policy, /unsafe-inline|'unsafe-eval'|\*/);
    const inline = await page.evaluate(() => document.querySelectorAll('script:not([src])').length);
    assert.equal(inline, 0, 'no inline script in the served page');
    assert.deepEqual(await page.evaluate(() => window.__violations), [], 'loading broke no rule');
  });

  it('keeps to its origin through a long visit (answers, export, import, editor, reload)', async () => {
    await answerSeveral(page, 3);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
    const exported = await (await download.createReadStream()).toArray();
    await page
      .getByTestId('import-file')
      .setInputFiles({ name: 'answers.json', mimeType: 'application/json', buffer: Buffer.concat(exported) });
    await waitForPrediction(page, 3);
    await openEditor(page);
    await writeQuestion(page, 'Should towns plant more trees along their streets?', ['Yes', 'No']);
    await seen();
    await page.reload();
    // The address keeps the editor open, and it loads the encoder again.
    await page.waitForSelector('[data-testid=editor-status][data-state=ready]', { timeout: 180_000 });
    await seen();
    const origin = new URL(server.url).origin;
    const away = browser.requests.map((r) => r.url).filter((url) => !/^(blob|data):/.test(url) && new URL(url).origin !== origin);
    assert.deepEqual(away, [], 'every request went to the page’s own origin');
    assert.ok(browser.requests.some((r) => /minilm|tokenizer/.test(r.url)), 'the visit did load the encoder');
    assert.deepEqual(violations, [], 'no rule was broken on the way');
    assert.deepEqual(browser.pageErrors, []);
  });

  // (eval itself cannot be tried from here: DevTools' evaluation, which drives the test, is exempt
  // from the page's policy; the policy's text above allows no 'unsafe-eval'.)
  it('enforces the policy: an inline script and a foreign fetch are refused', async () => {
    const outcome = await page.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true';
      document.head.append(script);
      let fetched;
      try {
        await fetch('https://example.com/');
        fetched = 'fetched';
      } catch (error) {
        fetched = error.name;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
      return { inline: window.__inlineRan ?? false, fetched, violations: window.__violations };
    });
    assert.equal(outcome.inline, false, 'the inline script did not run');
    assert.equal(outcome.fetched, 'TypeError');
    const directives = outcome.violations.map((v) => v.split(' ')[0]);
    for (const directive of ['script-src-elem', 'connect-src']) {
      assert.ok(directives.includes(directive), `${directive} reported: ${outcome.violations.join(' | ')}`);
    }
  });
});
