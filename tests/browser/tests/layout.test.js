// A phone-width screen (375 px) and a desktop: nothing wider than the screen, every part
// reachable; the keyboard reaches options and buttons with a visible focus ring; charts are SVG.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { launch, openApp, startServer, waitForPrediction } from '../lib/harness.js';

describe('layout and keyboard', () => {
  let server;

  before(async () => {
    server = await startServer();
  });

  after(async () => {
    await server?.close();
  });

  for (const [name, viewport] of [
    ['phone', { width: 375, height: 740 }],
    ['desktop', { width: 1280, height: 900 }],
  ]) {
    it(`fits a ${name} screen (${viewport.width} px)`, async () => {
      const browser = await launch({ viewport });
      try {
        const { page } = browser;
        await openApp(page, server.url);
        for (const task of ['oqa', 'gd4']) {
          await page.getByTestId(`survey-${task}`).check();
          await waitForPrediction(page, 0);
          const width = await page.evaluate(() => document.documentElement.scrollWidth);
          assert.ok(width <= viewport.width, `${task}: the page is ${width} px wide`);
        }
        for (const id of ['score', 'most-informative', 'closest-groups', 'export-json', 'backend', 'predict-ms']) {
          const box = await page.getByTestId(id).boundingBox();
          assert.ok(box && box.x >= 0 && box.x + box.width <= viewport.width + 1, `${id} is on screen horizontally`);
        }
        // Bars are SVG, one per option of each visible question.
        const card = page.locator('#question-list [data-testid=question]').first();
        assert.equal(
          await card.locator('svg.bar').count(),
          await card.getByTestId('option').count(),
        );
        await page.screenshot({ path: `${process.env.GPO_SCREENSHOTS ?? '/tmp'}/gpo-${name}.png`, fullPage: false });
      } finally {
        await browser.close();
      }
    });
  }

  it('is usable from the keyboard with a visible focus', async () => {
    const browser = await launch();
    try {
      const { page } = browser;
      await openApp(page, server.url);
      const reached = new Set();
      let outlineSeen = false;
      for (let i = 0; i < 60; i++) {
        await page.keyboard.press('Tab');
        const info = await page.evaluate(() => {
          const el = document.activeElement;
          const style = getComputedStyle(el);
          return { id: el.dataset.testid ?? el.tagName, outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0 };
        });
        reached.add(info.id);
        if (info.id === 'option' && info.outline) outlineSeen = true;
      }
      for (const id of ['survey-oqa', 'most-informative', 'export-json', 'clear-all', 'option', 'skip']) {
        assert.ok(reached.has(id), `Tab reaches ${id} (reached: ${[...reached].join(', ')})`);
      }
      assert.ok(outlineSeen, 'a focused option shows a focus ring');
      // Answer with the keyboard: focus an option and press Enter.
      const option = page.locator('#question-list [data-testid=question]').first().getByTestId('option').first();
      await option.focus();
      await page.keyboard.press('Enter');
      await waitForPrediction(page, 1);
      // Focus moved to the next question for the next answer.
      assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'question');
    } finally {
      await browser.close();
    }
  });
});
