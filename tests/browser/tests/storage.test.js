// What the page keeps in localStorage when the browser will not keep more, and records of
// another version: the page keeps working, one notice says what was not saved, and nothing
// stored before is lost or written over.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  answerAt,
  answerSeveral,
  openApp,
  storedAnswers,
  suiteBrowser,
  waitForPrediction,
  waitReady,
} from '../lib/harness.js';
import { openEditor, writeQuestion } from '../lib/editor.js';
import { fillStorage, freeStorage, storageEntries } from '../lib/storage.js';

describe('localStorage over its quota', () => {
  const session = suiteBrowser();

  it('answers: the page keeps working, one notice, the earlier answers stay stored', async () => {
    const { browser, server } = session;
    const { page } = browser;
    await openApp(page, server.url);
    const saved = await answerSeveral(page, 2);
    assert.deepEqual(await storedAnswers(page), saved.map(({ question, option }) => ({ question, option })));
    assert.equal(await fillStorage(page), 'QuotaExceededError');
    const before = await storageEntries(page);

    const third = await answerAt(page, 0, 1);
    await waitForPrediction(page, 3);
    const notice = page.getByTestId('unsaved');
    await notice.waitFor();
    assert.match(
      await notice.textContent(),
      /^Not saved in this browser: your answers to OpinionQA \(US groups\) — this browser's storage for the page is full\. What was saved before is unchanged/,
    );
    const fourth = await answerAt(page, 0, 2);
    await waitForPrediction(page, 4);
    assert.equal(await page.getByTestId('unsaved').count(), 1, 'one notice, however many answers');
    assert.equal(await page.getByTestId('notice').filter({ hasText: /could not be saved|full/ }).count(), 0);
    const during = await storageEntries(page);
    assert.deepEqual(during, before, 'nothing stored before was changed or lost');

    // Room again: the next answer saves everything on the page, and the notice goes.
    await freeStorage(page);
    await answerAt(page, 0, 0);
    await waitForPrediction(page, 5);
    await page.getByTestId('unsaved').waitFor({ state: 'detached' });
    const stored = (await storedAnswers(page)).map((a) => a.question);
    for (const { question } of [...saved, third, fourth]) assert.ok(stored.includes(question), question);
    assert.equal(stored.length, 5);
    await page.reload();
    await waitReady(page);
    await waitForPrediction(page, 5);
    assert.deepEqual(browser.pageErrors, []);
  });

  it('questions: saved with their embeddings until the storage is full, then one notice', async () => {
    const { browser } = session;
    const { page } = browser;
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await waitReady(page);
    await openEditor(page);
    const first = await writeQuestion(page, 'Should towns plant more trees?', ['Yes', 'No']);
    const storedQuestions = async () =>
      JSON.parse((await page.evaluate(() => localStorage.getItem('gpo.custom.v1'))) ?? '{"questions":[]}').questions;
    assert.deepEqual((await storedQuestions()).map((q) => q.key), [first]);
    const kept = await page.evaluate(() => localStorage.getItem('gpo.custom.v1'));
    assert.equal(await fillStorage(page), 'QuotaExceededError');

    const second = await writeQuestion(page, 'Should trains be free?', ['Yes', 'No', 'Only for children']);
    const notice = page.getByTestId('unsaved');
    await notice.waitFor();
    assert.match(await notice.textContent(), /your own questions \(with their embeddings\) — this browser's storage for the page is full/);
    assert.equal(await page.evaluate(() => localStorage.getItem('gpo.custom.v1')), kept, 'the stored questions are unchanged');
    assert.equal(await page.getByTestId('custom-item').count(), 2, 'the unsaved question is still on the page');

    await freeStorage(page);
    const third = await writeQuestion(page, 'Should libraries open on Sundays?', ['Yes', 'No']);
    await page.getByTestId('unsaved').waitFor({ state: 'detached' });
    assert.deepEqual((await storedQuestions()).map((q) => q.key), [first, second, third]);
    assert.ok((await storedQuestions()).every((q) => q.embedding), 'each with its embedding');
    assert.deepEqual(browser.pageErrors, []);
  });
});

describe('stored records of another version', () => {
  const session = suiteBrowser();

  it('a newer one is left untouched and never written over; an older one is refused and set aside', async () => {
    const { browser, server } = session;
    const { page } = browser;
    await openApp(page, server.url);
    const key = await page.locator('#question-list [data-testid=question]').first().getAttribute('data-key');
    const newer = {
      'gpo.answers.v1.oqa': JSON.stringify({
        format: 'gpo-answers',
        version: 2,
        survey: 'oqa',
        answers: [{ question: key, option: 0, confidence: 0.9 }],
      }),
      'gpo.custom.v1': JSON.stringify({ format: 'gpo-custom-questions', version: 3, questions: [], folders: [] }),
      'gpo.answers.v2.gd4': JSON.stringify({ layout: 'of a later page' }),
    };
    const older = JSON.stringify({ format: 'gpo-answers', survey: 'gd4', answers: [] });
    await page.evaluate(
      ([newer, older]) => {
        for (const [k, v] of Object.entries(newer)) localStorage.setItem(k, v);
        localStorage.setItem('gpo.answers.v1.gd4', older);
      },
      [newer, older],
    );
    await page.reload();
    await waitReady(page);
    const notices = page.getByTestId('notice');
    await notices.filter({ hasText: 'older than this page reads' }).first().waitFor();
    const text = (await notices.allTextContents()).join('\n');
    assert.match(text, /Your saved answers to OpinionQA \(US groups\) are version 2, written by a newer version of this page \(this one reads version 1\): they are left as they are/);
    assert.match(text, /Your saved questions are version 3, written by a newer version/);
    assert.match(text, /"gpo\.answers\.v2\.gd4" are version 2, written by a newer version/);
    assert.match(text, /version 0, older than this page reads \(version 1\), and there is no migration from it\); it was set aside/);
    let storage = await storageEntries(page);
    for (const [k, v] of Object.entries(newer)) assert.equal(storage[k], v, `${k} untouched`);
    assert.equal(storage['gpo.answers.v1.gd4'], undefined, 'the older entry was moved');
    assert.ok(Object.entries(storage).some(([k, v]) => k.startsWith('gpo.set-aside.') && v === older));

    // Answering works; the newer entry is not written over, and the page says the answer is not saved.
    await answerAt(page, 0, 1);
    await waitForPrediction(page, 1);
    const notice = page.getByTestId('unsaved');
    await notice.waitFor();
    assert.match(await notice.textContent(), /your answers to OpinionQA \(US groups\) — the entry saved there is left as it is: version 2, written by a newer version/);
    storage = await storageEntries(page);
    for (const [k, v] of Object.entries(newer)) assert.equal(storage[k], v, `${k} still untouched`);
    assert.deepEqual(browser.pageErrors, []);
  });
});
