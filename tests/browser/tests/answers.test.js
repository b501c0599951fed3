// A person's session: answer five questions and watch the predictions change, reload and find
// the answers, "most informative", export/import round trips (JSON, CSV), imported markup shown
// as text, and not one request after the bundle has loaded.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  answerSeveral,
  launch,
  maxDifference,
  openApp,
  readPrediction,
  startServer,
  storedAnswers,
  suiteBrowser,
  waitForPrediction,
  waitReady,
} from '../lib/harness.js';

describe('answering a survey', () => {
  let server;
  let browser;
  let page;
  // Requests made while the page was loaded (between a load finishing and the next reload).
  let quiet;
  const late = [];
  let answers;

  before(async () => {
    server = await startServer();
    browser = await launch();
    page = browser.page;
    await openApp(page, server.url);
    quiet = browser.watchRequests();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('loads the bundle and predicts every question before any answer', async () => {
    assert.equal(await page.getByTestId('load-error').count(), 0);
    assert.ok(await page.getByTestId('survey-oqa').isChecked(), 'OpinionQA is the first survey');
    const prediction = await readPrediction(page);
    assert.ok(prediction.length > 600, `every OpinionQA question is predicted (${prediction.length})`);
    for (const row of prediction.slice(0, 20)) {
      const total = row.probs.reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(total - 1) < 1e-4, `${row.key} sums to ${total}`);
      assert.equal(row.std.length, row.probs.length);
    }
    // Only the personal surveys' files; never the encoder or the other surveys.
    const fetched = browser.requests.map((r) => r.url).filter((u) => u.includes('/bundle/'));
    assert.ok(fetched.some((u) => u.endsWith('oqa.model.bpk')));
    assert.ok(!fetched.some((u) => /minilm|tokenizer|goqa/.test(u)), fetched.join('\n'));
  });

  it('re-predicts after each of five answers, and the predictions change', async () => {
    let previous = await readPrediction(page);
    answers = [];
    for (let i = 0; i < 5; i++) {
      const card = page.locator('#question-list [data-testid=question]').first();
      const key = await card.getAttribute('data-key');
      const forecastBefore = previous.find((row) => row.key === key);
      const option = (i + 1) % (await card.getByTestId('option').count());
      await card.getByTestId('option').nth(option).click();
      answers.push({ question: key, option });
      await waitForPrediction(page, i + 1);
      const next = await readPrediction(page);
      assert.equal(next.length, previous.length - 1, 'the answered question is no longer predicted');
      assert.ok(!next.some((row) => row.key === key));
      assert.ok(maxDifference(next, previous) > 1e-6, `answer ${i + 1} changed the predictions`);
      // The kept prediction scores GPO: right when its top option was the chosen one.
      const top = forecastBefore.probs.indexOf(Math.max(...forecastBefore.probs));
      const answered = page.locator(`[data-testid=question][data-key="${key}"]`);
      assert.equal(await answered.count(), 0, 'the answered card left the "to answer" list');
      previous = next;
      answers[i].right = top === option;
    }
    const right = answers.filter((a) => a.right).length;
    await assert.doesNotReject(
      page.getByTestId('score').filter({ hasText: `GPO was right ${right} of 5` }).waitFor({ timeout: 5000 }),
    );
    assert.deepEqual(
      await storedAnswers(page),
      answers.map(({ question, option }) => ({ question, option })),
    );
    const timing = Number(await page.getByTestId('predict-ms').textContent());
    assert.ok(timing > 0, `the footer shows the prediction time (${timing} ms)`);
  });

  it('sorts the questions by GPO\'s confidence', async () => {
    const confidences = async () =>
      (await page.locator('#question-list [data-testid=verdict]').allTextContents()).map((text) =>
        Number(text.match(/GPO is (\d+)% sure/)[1]),
      );
    await page.getByTestId('sort').selectOption('most-confident');
    const most = await confidences();
    assert.deepEqual(most, [...most].sort((a, b) => b - a));
    await page.getByTestId('sort').selectOption('least-confident');
    const least = await confidences();
    assert.deepEqual(least, [...least].sort((a, b) => a - b));
    assert.ok(most[0] >= least[0]);
    await page.getByTestId('sort').selectOption('survey');
  });

  it('skips a question without changing the context', async () => {
    const card = page.locator('#question-list [data-testid=question]').first();
    const key = await card.getAttribute('data-key');
    await card.getByTestId('skip').click();
    await page.getByTestId('progress').filter({ hasText: '5 answered, 1 skipped' }).waitFor({ timeout: 5000 });
    await waitForPrediction(page, 5);
    assert.ok((await readPrediction(page)).some((row) => row.key === key), 'a skipped question is still predicted');
    await page.getByTestId('show-done').check();
    const skipped = page.locator(`[data-testid=question][data-key="${key}"]`);
    assert.equal(await skipped.getAttribute('data-state'), 'skipped');
    await skipped.getByTestId('forget').click();
    await page.getByTestId('progress').filter({ hasText: '5 answered, 0 skipped' }).waitFor({ timeout: 5000 });
    await page.getByTestId('show-to-answer').check();
  });

  it('ranks the closest groups on the answered questions', async () => {
    const rows = page.getByTestId('group-row');
    assert.ok((await rows.count()) >= 1);
    // Some groups were asked fewer questions (e.g. religions): 1 to 5 shared.
    const shared = (await page.getByTestId('group-shared').allTextContents()).map((t) => Number(t.split(' ')[0]));
    assert.ok(shared.every((n) => n >= 1 && n <= 5), shared.join(' | '));
    assert.ok(shared.includes(5), shared.join(' | '));
    const scores = await page.getByTestId('group-score').allTextContents();
    assert.ok(scores.every((t) => /^alignment 0\.\d{3}$|^alignment 1\.000$/.test(t)), scores.join(' | '));
  });

  it('keeps the answers across a reload', async () => {
    late.push(...quiet.stop());
    await page.reload();
    await waitReady(page);
    quiet = browser.watchRequests();
    await waitForPrediction(page, 5);
    await page.getByTestId('show-done').check();
    const cards = page.locator('#question-list [data-testid=question]');
    await cards.first().waitFor();
    assert.equal(await cards.count(), 5);
    for (const { question, option } of answers) {
      const card = page.locator(`[data-testid=question][data-key="${question}"]`);
      assert.equal(await card.getAttribute('data-state'), 'answered');
      assert.equal(await card.getByTestId('option').nth(option).getAttribute('aria-pressed'), 'true');
    }
    await page.getByTestId('show-to-answer').check();
  });

  it('"most informative" picks an unanswered question and focuses it', async () => {
    await page.getByTestId('most-informative').click();
    const pick = page.getByTestId('informative-pick');
    await pick.waitFor();
    const key = await pick.getAttribute('data-key');
    const unanswered = (await readPrediction(page)).map((row) => row.key);
    assert.ok(unanswered.includes(key), `${key} is unanswered`);
    assert.ok(!answers.some((a) => a.question === key));
    await page.waitForFunction((k) => document.activeElement?.dataset?.key === k, key, { timeout: 5000 });
    assert.ok(await page.locator(`[data-testid=question][data-key="${key}"]`).isVisible());
  });

  async function clearAll() {
    await page.getByTestId('clear-all').click();
    await page.getByTestId('clear-confirm').click();
    await waitForPrediction(page, 0);
    assert.deepEqual(await storedAnswers(page), []);
  }

  async function importFile(name, mimeType, text) {
    await page.getByTestId('import-file').setInputFiles({ name, mimeType, buffer: Buffer.from(text) });
  }

  it('exports JSON and imports it back', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
    const text = await streamText(await download.createReadStream());
    const file = JSON.parse(text);
    assert.equal(file.format, 'gpo-answers');
    assert.equal(file.survey, 'oqa');
    assert.equal(file.answers.length, 5);
    await clearAll();
    await importFile('answers.json', 'application/json', text);
    await waitForPrediction(page, 5);
    assert.deepEqual(
      await storedAnswers(page),
      answers.map(({ question, option }) => ({ question, option })),
    );
    // The kept predictions came back too: the score is unchanged.
    const right = answers.filter((a) => a.right).length;
    assert.match(await page.getByTestId('score').textContent(), new RegExp(`right ${right} of 5`));
  });

  it('exports CSV (survey, key, text, option index, option text) and imports it back', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    const text = await streamText(await download.createReadStream());
    const lines = text.trim().split(/\r?\n/);
    assert.equal(lines[0], 'survey,question_key,question_text,option_index,option_text');
    assert.equal(lines.length, 6);
    await clearAll();
    await importFile('answers.csv', 'text/csv', text);
    await waitForPrediction(page, 5);
    assert.deepEqual(
      (await storedAnswers(page)).map(({ question, option }) => `${question}=${option}`).sort(),
      answers.map(({ question, option }) => `${question}=${option}`).sort(),
    );
  });

  it('shows imported markup as text and never runs it', async () => {
    const payload = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
    const file = {
      format: 'gpo-answers',
      version: 1,
      survey: 'oqa',
      answers: [{ question: payload, option: 0 }, ...answers.map(({ question, option }) => ({ question, option }))],
    };
    await importFile('payload.json', 'application/json', JSON.stringify(file));
    const notice = page.getByTestId('notice').filter({ hasText: '<script>window.__pwned=2</script>' });
    await notice.waitFor({ timeout: 10_000 });
    assert.ok((await notice.textContent()).includes(payload), 'the payload is shown verbatim');
    const csv = `survey,question_key,question_text,option_index,option_text\n${JSON.stringify(payload).replaceAll('\\"', '""')},x,y,0,z\n`;
    await importFile('payload.csv', 'text/csv', csv);
    await page.getByTestId('notice').filter({ hasText: 'unknown survey' }).first().waitFor({ timeout: 10_000 });
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.equal(await page.locator('.notices img, .notices script').count(), 0);
    assert.equal(await page.locator('img').count(), 0, 'no element was made from the payload');
  });

  it('made no request after the bundle had loaded', async () => {
    late.push(...quiet.stop());
    // Downloads are local blob: URLs; anything with a network scheme is a leak.
    assert.deepEqual(late.filter((url) => !/^(blob|data):/.test(url)), []);
    assert.deepEqual(browser.pageErrors, []);
  });
});

describe('a corrupted or foreign localStorage entry', () => {
  const session = suiteBrowser();

  it('is reported, set aside under another key, and the page works', async () => {
    const { browser, server } = session;
    const { page } = browser;
    await openApp(page, server.url);
    await page.evaluate(() => {
      localStorage.setItem('gpo.answers.v1.oqa', '{"format": "gpo-answers", "version": 1, "survey": "oqa", "answ');
      localStorage.setItem('gpo.answers.v1.gd4', JSON.stringify({ something: 'else' }));
      localStorage.setItem('gpo.answers.v1.xyz', '<b>not ours</b>');
      localStorage.setItem('gpo.backend', 'quantum');
    });
    await page.reload();
    await waitReady(page);
    const notices = page.getByTestId('notice');
    await notices.filter({ hasText: 'OpinionQA' }).first().waitFor();
    const text = (await notices.allTextContents()).join('\n');
    assert.match(text, /set aside/);
    assert.match(text, /gpo\.answers\.v1\.xyz/);
    assert.match(text, /<b>|backend/);
    const storage = await page.evaluate(() => Object.fromEntries(Object.entries(localStorage)));
    assert.equal(storage['gpo.answers.v1.oqa'], undefined, 'the corrupted entry was moved');
    const aside = Object.entries(storage).filter(([key]) => key.startsWith('gpo.set-aside.'));
    assert.ok(
      aside.some(([, value]) => value.endsWith('"answ')),
      `the corrupted text is kept under another key: ${aside.map(([k]) => k).join(', ')}`,
    );
    assert.ok(aside.some(([, value]) => value === '<b>not ours</b>'));
    // Still fully usable.
    await page.locator('#question-list [data-testid=question]').first().getByTestId('option').first().click();
    await waitForPrediction(page, 1);
    assert.equal(await page.getByTestId('crash').count(), 0);
    assert.deepEqual(browser.pageErrors, []);
  });
});

async function streamText(stream) {
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
