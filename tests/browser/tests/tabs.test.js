// Two tabs of the page answering at once (two pages of one browser context, one localStorage):
// each tab's answers reach the other (the `storage` event), and a tab that has not heard of the
// other's latest answer still does not write over it (saves merge into what is stored).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { answerAt, launch, openApp, startServer, storedAnswers, waitForPrediction } from '../lib/harness.js';

/// Answers the first card of `page`'s list whose question is not one of `avoid`.
async function answerOther(page, avoid, option) {
  const keys = await page
    .locator('#question-list [data-testid=question]')
    .evaluateAll((cards) => cards.map((card) => card.dataset.key));
  const position = keys.findIndex((key) => !avoid.includes(key));
  return answerAt(page, position, option);
}

describe('two tabs at once', () => {
  let server;
  let browser;
  let a;
  let b;

  before(async () => {
    server = await startServer();
    browser = await launch();
    a = browser.page;
    b = await browser.context.newPage();
    b.on('pageerror', (error) => browser.pageErrors.push(String(error)));
    // A switch to make tab b deaf to the other tab: registered before the page's own listener,
    // so stopping the event there keeps it from the page.
    await b.addInitScript(() => {
      window.addEventListener(
        'storage',
        (event) => {
          if (window.gpoDeaf) event.stopImmediatePropagation();
        },
        true,
      );
    });
    await openApp(a, server.url);
    await openApp(b, server.url);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it("each tab's answers reach the other, and the other predicts with them", async () => {
    const first = await answerAt(a, 0, 1);
    await waitForPrediction(a, 1);
    await waitForPrediction(b, 1);
    await b.getByTestId('notice').filter({ hasText: 'Answers changed in another tab' }).waitFor();
    const second = await answerOther(b, [first.question], 2);
    await waitForPrediction(b, 2);
    await waitForPrediction(a, 2);
    const stored = await storedAnswers(a);
    assert.deepEqual(stored.map((s) => s.question).sort(), [first.question, second.question].sort());
    assert.deepEqual(stored, await storedAnswers(b));
    // The other tab's answer shows as answered: no longer in this tab's "to answer" list.
    assert.equal(await a.locator(`#question-list [data-testid=question][data-key="${second.question}"]`).count(), 0);
  });

  it("a tab that missed the other's latest answer does not write over it", async () => {
    // Tab b stops hearing of a's changes.
    await b.evaluate(() => {
      window.gpoDeaf = true;
    });
    const before = (await storedAnswers(a)).map((s) => s.question);
    const third = await answerOther(a, before, 0);
    await waitForPrediction(a, 3);
    await b.waitForTimeout(500);
    assert.equal(await b.getByTestId('prediction-json').getAttribute('data-context'), '2', 'tab b did not hear of it');
    const fourth = await answerOther(b, [...before, third.question], 1);
    await waitForPrediction(b, 3);
    const stored = (await storedAnswers(a)).map((s) => s.question);
    assert.deepEqual(stored.sort(), [...before, third.question, fourth.question].sort(), 'all four answers are stored');
    // Tab a heard of b's answer.
    await waitForPrediction(a, 4);
    assert.deepEqual(browser.pageErrors, []);
  });
});
