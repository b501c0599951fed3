// The question editor: the encoder loads only when the editor is first opened (progress bar);
// a written question gets a predicted distribution for every group; two groups side by side;
// the context size changes the prediction; bad input gets a clear message; the page's embedding
// equals native `gpo encode`; questions survive a reload, export/import, and are answerable in
// the personal survey. Prints the editor's timings (EDITOR-TIMING …) for docs/BENCHMARKS.md.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  launch,
  median,
  openApp,
  readPrediction,
  startServer,
  storedAnswers,
  waitForPrediction,
} from '../lib/harness.js';
import {
  assertDistribution,
  fillForm,
  millis,
  nativeCosines,
  problems,
  readEmbedding,
  readGrid,
  streamText,
  waitForGrid,
  writeQuestion,
} from '../lib/editor.js';
import { join } from 'node:path';

import { DIST } from '../lib/harness.js';
import { gpo, nativeEncode, nativeGroupPredict } from '../lib/native.js';

const QUESTION = 'How much do you trust scientists to act in the best interests of the public?';
const OPTIONS = ['A great deal', 'A fair amount', 'Not too much', 'No confidence at all'];
// The contexts the slider offers, by position.
const SIZES = ['5', '10', '20', '50', '100', '200', 'all'];

describe('question editor (CPU)', () => {
  let server;
  let browser;
  let page;
  let key;
  const embedMs = [];

  before(async () => {
    server = await startServer();
    browser = await launch();
    page = browser.page;
    await openApp(page, server.url);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('loads the encoder only when the editor is first opened, with a progress bar', async () => {
    const fetched = () => browser.requests.map((r) => r.url).filter((u) => /minilm|tokenizer/.test(u));
    assert.deepEqual(fetched(), [], 'nothing of the encoder before the editor is opened');
    // Every state the encoder's status shows, and whether its progress bar moved.
    await page.evaluate(() => {
      window.__editorSeen = { states: [], progress: [] };
      new MutationObserver(() => {
        const status = document.querySelector('[data-testid=editor-status]');
        const bar = document.querySelector('[data-testid=editor-progress]');
        if (status && window.__editorSeen.states.at(-1) !== status.dataset.state) window.__editorSeen.states.push(status.dataset.state);
        if (bar) window.__editorSeen.progress.push(Number(bar.value) / Number(bar.max));
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    await page.getByTestId('tab-editor').click();
    await page.waitForSelector('[data-testid=editor-status][data-state=ready]', { timeout: 180_000 });
    const seen = await page.evaluate(() => window.__editorSeen);
    assert.deepEqual(seen.states, ['loading', 'ready']);
    assert.ok(seen.progress.some((p) => p > 0 && p < 1), `the progress bar moved (${seen.progress.length} updates)`);
    const files = fetched();
    assert.ok(files.some((u) => u.endsWith('minilm.f16.safetensors')), files.join('\n'));
    assert.ok(files.some((u) => u.endsWith('tokenizer.json')), files.join('\n'));
    assert.equal(await page.getByTestId('editor-survey').inputValue(), 'oqa');
    assert.match(await page.getByTestId('editor-context-value').textContent(), /20 answers per group/);
  });

  it('refuses an empty question or option, one option and thirteen, each with a message', async () => {
    await page.getByTestId('editor-save').click();
    assert.deepEqual(await problems(page), ['Write the question.', 'Option 1 is empty.', 'Option 2 is empty.']);
    await fillForm(page, QUESTION, ['Yes', '  ']);
    await page.getByTestId('editor-save').click();
    assert.deepEqual(await problems(page), ['Option 2 is empty.']);
    // Two options is the least: removing one more is refused.
    await page.getByTestId('editor-option-remove').first().click();
    assert.deepEqual(await problems(page), ['A question needs at least 2 options.']);
    assert.equal(await page.getByTestId('editor-option').count(), 2);
    await fillForm(page, QUESTION, ['Yes', 'yes ']);
    await page.getByTestId('editor-save').click();
    assert.deepEqual(await problems(page), ['Options 1 and 2 are the same.']);
    // Twelve is the most: a thirteenth is refused.
    const twelve = Array.from({ length: 12 }, (_, i) => `Choice ${i + 1}`);
    await fillForm(page, QUESTION, twelve);
    await page.getByTestId('editor-option-add').click();
    assert.deepEqual(await problems(page), ['A question has at most 12 options.']);
    assert.equal(await page.getByTestId('editor-option').count(), 12);
    assert.equal(await page.getByTestId('custom-item').count(), 0, 'nothing was saved');
  });

  it('reorders options with the arrows', async () => {
    await fillForm(page, QUESTION, ['first', 'second', 'third']);
    await page.getByTestId('editor-option-down').first().click();
    assert.deepEqual(await page.getByTestId('editor-option').evaluateAll((i) => i.map((x) => x.value)), [
      'second',
      'first',
      'third',
    ]);
    await page.getByTestId('editor-option-up').last().click();
    assert.deepEqual(await page.getByTestId('editor-option').evaluateAll((i) => i.map((x) => x.value)), [
      'second',
      'third',
      'first',
    ]);
  });

  it('writes a question and shows a distribution for every OpinionQA group', async () => {
    key = await writeQuestion(page, QUESTION, OPTIONS, { ordinal: true });
    embedMs.push(await millis(page, 'editor-embed-ms'));
    const grid = await readGrid(page);
    assert.equal(grid.length, 39, 'every OpinionQA group');
    for (const card of grid) {
      assertDistribution(card.probs, OPTIONS.length, card.label);
      assert.ok(card.context > 0 && card.context <= 20, `${card.label}: ${card.context} answers as context`);
    }
    assert.ok(grid.some((c) => c.label.startsWith('Party: ')), grid.map((c) => c.label).join(', '));
    // How far apart the groups are (a model trained briefly, as in CI, barely separates them).
    const spread = Math.max(...OPTIONS.map((_, o) => Math.max(...grid.map((c) => c.probs[o])) - Math.min(...grid.map((c) => c.probs[o]))));
    console.log(`# ${grid.length} groups; largest difference between two groups' shares of an option: ${spread.toExponential(2)}`);
    assert.equal(await page.getByTestId('editor-selected').textContent(), QUESTION);
    assert.equal(await page.getByTestId('custom-item').count(), 1);
    // The form is empty again for the next question.
    assert.equal(await page.getByTestId('editor-question').inputValue(), '');
  });

  it('compares two groups side by side', async () => {
    const grid = await readGrid(page);
    const [a, b] = [grid.find((c) => c.label === 'Party: Democrat'), grid.find((c) => c.label === 'Party: Republican')];
    assert.ok(a && b, grid.map((c) => c.label).join(', '));
    await page.getByTestId('compare-a').selectOption(a.group);
    await page.getByTestId('compare-b').selectOption(b.group);
    const columns = page.getByTestId('compare-column');
    await page.waitForFunction(
      ([a, b]) => {
        const cols = [...document.querySelectorAll('[data-testid=compare-column]')].map((c) => c.dataset.group);
        return cols[0] === a && cols[1] === b;
      },
      [a.group, b.group],
    );
    const shown = await columns.evaluateAll((cols) => cols.map((c) => JSON.parse(c.dataset.probs)));
    assert.deepEqual(shown, [a.probs, b.probs]);
    assert.match(await columns.nth(0).textContent(), /Party: Democrat/);
    assert.match(await columns.nth(1).textContent(), /Party: Republican/);
    assert.equal(await columns.nth(0).locator('svg.bar').count(), OPTIONS.length);
  });

  it('predicts every group like native gpo predict --question, from the prior its text implies', async () => {
    const grid = await readGrid(page);
    const native = await nativeGroupPredict('oqa', QUESTION, OPTIONS, 20);
    assert.equal(native.length, grid.length);
    let worst = 0;
    for (const card of grid) {
      const theirs = native.find((n) => n.group === card.group);
      assert.ok(theirs, `native has no group ${card.group}`);
      assert.equal(card.context, theirs.context, `${card.label}: same context`);
      for (let o = 0; o < OPTIONS.length; o++) worst = Math.max(worst, Math.abs(card.probs[o] - theirs.probs[o]));
    }
    console.log(`# page vs native, every group: max |Δp| ${worst.toExponential(2)}`);
    assert.ok(worst < 2e-3, `page and native differ by ${worst}`);
    // A new question has no survey prior: its prior is estimated from its text, so even a
    // briefly trained model's predictions are not uniform.
    const skew = Math.max(...grid.flatMap((c) => c.probs.map((p) => Math.abs(p - 1 / OPTIONS.length))));
    assert.ok(skew > 0.02, `predictions are near uniform (largest departure ${skew})`);
  });

  it('names the survey questions its estimate drew on, as native gpo predict --similar does', async () => {
    const box = page.getByTestId('editor-similar');
    await box.waitFor();
    const native = JSON.parse(
      await gpo(['predict', '--bundle', join(DIST, 'bundle'), '--task', 'oqa', '--question', QUESTION,
        ...OPTIONS.flatMap((o) => ['--option', o]), '--similar', '3', '--device', 'cpu']),
    );
    assert.equal(native.length, 3);
    console.log(`# similar questions: ${native.map((n) => `${n.similarity.toFixed(3)} ${n.text.slice(0, 60)}`).join(' | ')}`);
    // A question about trust in scientists has close relatives among Pew's questions.
    assert.equal(await box.getAttribute('data-case'), native[0].similarity >= 0.5 ? 'close' : 'typical');
    if (native[0].similarity >= 0.5) {
      const shown = await page.getByTestId('editor-similar-question').allTextContents();
      const wanted = native.filter((n) => n.similarity >= 0.5);
      assert.equal(shown.length, wanted.length);
      wanted.forEach((n, i) => assert.ok(shown[i].startsWith(n.text), `${shown[i]} vs ${n.text}`));
    }
    // A question unlike any of the survey's: the option scale's typical answer, said so.
    const odd = await writeQuestion(page, 'Zyx qwv plonk frabble?', ['Glorp', 'Snib', 'Trandle']);
    await page.locator('[data-testid="editor-similar"][data-case="typical"]').waitFor();
    // Deleted again, and the first question shown, for the tests that follow.
    const item = page.locator(`[data-testid=custom-item][data-key="${odd}"]`);
    await item.getByTestId('custom-delete').click();
    await item.getByTestId('custom-delete-confirm').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=custom-item]').length === 1);
    await page.locator(`[data-testid=custom-item][data-key="${key}"]`).getByTestId('custom-show').click();
    await waitForGrid(page, { key });
  });

  it('predicts again from more or fewer of each group\'s real answers', async () => {
    const at20 = await readGrid(page);
    const slider = page.getByTestId('editor-context');
    await slider.fill('0');
    await waitForGrid(page, { key, size: 5 });
    assert.match(await page.getByTestId('editor-context-value').textContent(), /5 answers per group/);
    const at5 = await readGrid(page);
    assert.ok(at5.every((c) => c.context <= 5));
    assert.ok(at5.some((c, i) => c.context < at20[i].context), 'fewer answers as context');
    for (const card of at5) assertDistribution(card.probs, OPTIONS.length, `${card.label} (5 answers)`);
    const moved = at5.map((c, i) => Math.max(...c.probs.map((p, o) => Math.abs(p - at20[i].probs[o]))));
    console.log(`# context 20 → 5: largest change of a share ${Math.max(...moved).toExponential(2)}`);
    await slider.fill('4');
    await waitForGrid(page, { key, size: 100 });
    const at100 = await readGrid(page);
    assert.ok(at100.some((c) => c.context > 20));
    await slider.fill(String(SIZES.length - 1));
    await waitForGrid(page, { key, size: 'all', timeout: 600_000 });
    const all = await readGrid(page);
    for (const card of all) assertDistribution(card.probs, OPTIONS.length, `${card.label} (all answers)`);
    assert.ok(Math.max(...all.map((c) => c.context)) > 600, 'all: every answer of the most complete group');
    console.log(`# context "all": ${await millis(page, 'editor-group-predict-ms')} ms for ${all.length} groups`);
    await slider.fill('2');
    await waitForGrid(page, { key, size: 20 });
    assert.deepEqual(await readGrid(page), at20, 'the same context size gives the same prediction');
  });

  it('embeds the question exactly like native gpo encode (cosine ≥ 0.999)', async () => {
    const embedding = await readEmbedding(page);
    assert.equal(embedding.key, key);
    assert.deepEqual(embedding.texts, OPTIONS.map((o) => `${QUESTION}\nAnswer: ${o}`), 'core\'s "qa" text format');
    const native = await nativeEncode(embedding.texts);
    assert.equal(embedding.vectors.length, OPTIONS.length * 384);
    const cosines = nativeCosines(embedding, native);
    console.log(`# page vs native embeddings: min cosine ${Math.min(...cosines).toFixed(6)}`);
    for (const c of cosines) assert.ok(c >= 0.999, `cosine ${c}`);
  });

  it('trims a text over the token limit with a visible notice', async () => {
    const long = `${'Thinking about the many different ways that public policy might change in the coming years, '.repeat(30)}what do you expect?`;
    await writeQuestion(page, long, ['Better', 'Worse', 'About the same']);
    const notes = (await page.getByTestId('editor-note').allTextContents()).join(' ');
    assert.match(notes, /too long for the encoder/);
    const embedding = await readEmbedding(page);
    assert.ok(embedding.texts[0].length < long.length, 'the question was shortened');
    assert.ok(embedding.texts.every((t, i) => t.endsWith(`Answer: ${['Better', 'Worse', 'About the same'][i]}`)));
    const native = await nativeEncode(embedding.texts);
    assert.deepEqual(native.truncated, [], 'what was embedded fits the token limit');
    const cosines = nativeCosines(embedding, native);
    for (const c of cosines) assert.ok(c >= 0.999, `trimmed text: cosine ${c}`);
    // An option over the limit is cut at its end, and said so.
    const option = 'Something else entirely, '.repeat(80);
    await writeQuestion(page, 'Which describes you best?', ['This', option]);
    assert.match((await page.getByTestId('editor-note').allTextContents()).join(' '), /Option 2 is too long/);
    const grid = await readGrid(page);
    for (const card of grid) assertDistribution(card.probs, 2, card.label);
  });

  it('handles emoji and right-to-left scripts', async () => {
    const text = '¿Qué opinas? 🤔 ما رأيك في العمل من المنزل؟ מה דעתך?';
    await writeQuestion(page, text, ['👍 نعم', '👎 לא', 'Peut-être 🤷']);
    assert.equal(await page.getByTestId('editor-selected').textContent(), text);
    assert.match((await page.getByTestId('editor-note').allTextContents()).join(' '), /unknown to the encoder/);
    for (const card of await readGrid(page)) assertDistribution(card.probs, 3, card.label);
    const native = await nativeEncode((await readEmbedding(page)).texts);
    const embedding = await readEmbedding(page);
    const cosines = nativeCosines(embedding, native);
    for (const c of cosines) assert.ok(c >= 0.999, `emoji/RTL: cosine ${c}`);
    assert.deepEqual(browser.pageErrors, []);
  });

  it('measures embedding and every-group prediction after warm-up (CPU): EDITOR-TIMING', async () => {
    const questions = [
      ['Should your city build more bike lanes?', ['Yes', 'No', 'Not sure']],
      ['How often do you read a printed newspaper?', ['Every day', 'A few times a week', 'Rarely', 'Never']],
      ['How important is religion in your life?', ['Very important', 'Somewhat important', 'Not too important', 'Not at all important']],
      ['Do you think artificial intelligence will do more good than harm?', ['More good', 'More harm', 'About equal']],
    ];
    const predictMs = [];
    for (const [text, options] of questions) {
      await writeQuestion(page, text, options);
      embedMs.push(await millis(page, 'editor-embed-ms'));
      predictMs.push(await millis(page, 'editor-group-predict-ms'));
    }
    // The group predictions again for the same question, a few times.
    for (const size of ['1', '2', '1', '2']) {
      await page.getByTestId('editor-context').fill(size);
      await waitForGrid(page, { size: SIZES[Number(size)] });
      if (size === '2') predictMs.push(await millis(page, 'editor-group-predict-ms'));
    }
    const backend = (await page.getByTestId('backend').getAttribute('data-gpu')) === 'true' ? 'webgpu' : 'cpu';
    const embed = median(embedMs.slice(1));
    const predict = median(predictMs);
    console.log(
      `EDITOR-TIMING embed_ms=${embed.toFixed(1)} group_predict_ms=${predict.toFixed(1)} backend=${backend} ` +
        `survey=oqa groups=39 context=20 (embed all: ${embedMs.map((v) => v.toFixed(0)).join(', ')}; ` +
        `predict all: ${predictMs.map((v) => v.toFixed(0)).join(', ')})`,
    );
    assert.equal(backend, 'cpu');
    assert.ok([...embedMs, ...predictMs].every((v) => Number.isFinite(v) && v > 0), 'timings are shown');
    // The targets (≤ 300 ms to embed, ≤ 200 ms for every group) are recorded in docs/BENCHMARKS.md;
    // a timing on a shared CI machine is not a test, unless a limit is asked for.
    if (process.env.GPO_MAX_EMBED_MS) assert.ok(embed <= Number(process.env.GPO_MAX_EMBED_MS), `embedding median ${embed} ms`);
    if (process.env.GPO_MAX_GROUP_PREDICT_MS) {
      assert.ok(predict <= Number(process.env.GPO_MAX_GROUP_PREDICT_MS), `group prediction median ${predict} ms`);
    }
  });

  it('makes the question answerable in the personal survey, where it becomes context', async () => {
    await page.getByTestId('tab-survey').click();
    await waitForPrediction(page, 0);
    assert.ok((await readPrediction(page)).some((row) => row.key === key), 'GPO predicts the custom question');
    await page.getByTestId('search').fill('trust scientists to act');
    const card = page.locator(`[data-testid=question][data-key="${key}"]`);
    await card.waitFor();
    assert.equal(await card.getAttribute('data-custom'), 'true');
    await card.getByTestId('option').nth(1).click();
    await waitForPrediction(page, 1);
    assert.deepEqual(await storedAnswers(page), [{ question: key, option: 1 }]);
    await page.getByTestId('search').fill('');
    // Back in the editor, "you" is predicted from that answer.
    await page.getByTestId('tab-editor').click();
    const others = await page.getByTestId('custom-item').evaluateAll((i) => i.map((x) => x.dataset.key));
    await page.locator(`[data-testid=custom-item][data-key="${others.at(-1)}"]`).getByTestId('custom-show').click();
    await waitForGrid(page, { key: others.at(-1) });
    const you = page.getByTestId('editor-you');
    assert.equal(await you.getAttribute('data-answers'), '1');
    const mine = JSON.parse(await you.getAttribute('data-probs'));
    assertDistribution(mine, 3, 'you');
    // The same prediction as the survey's own for that question (same answers, same model).
    const row = (await readPrediction(page)).find((r) => r.key === others.at(-1));
    assert.ok(Math.max(...mine.map((p, o) => Math.abs(p - row.probs[o]))) < 1e-6, `${mine} vs ${row.probs}`);
    assert.deepEqual(browser.pageErrors, []);
  });

  it('finds the questions and the answer again after a reload', async () => {
    const saved = await page.getByTestId('custom-item').evaluateAll((i) => i.map((x) => x.dataset.key));
    await page.reload();
    // The address kept the editor open (and it loads the encoder again).
    await page.waitForSelector('[data-testid=editor-status][data-state=ready]', { timeout: 180_000 });
    assert.deepEqual(await page.getByTestId('custom-item').evaluateAll((i) => i.map((x) => x.dataset.key)), saved);
    await page.locator(`[data-testid=custom-item][data-key="${key}"]`).getByTestId('custom-show').click();
    await waitForGrid(page, { key });
    assert.equal(await page.getByTestId('editor-selected').textContent(), QUESTION);
    await page.getByTestId('tab-survey').click();
    await waitForPrediction(page, 1);
    await page.getByTestId('show-done').check();
    const card = page.locator(`[data-testid=question][data-key="${key}"]`);
    assert.equal(await card.getAttribute('data-state'), 'answered');
    assert.equal(await card.getByTestId('option').nth(1).getAttribute('aria-pressed'), 'true');
    await page.getByTestId('show-to-answer').check();
  });

  it('edits a question (its answer is cleared) and deletes one', async () => {
    await page.getByTestId('tab-editor').click();
    const item = page.locator(`[data-testid=custom-item][data-key="${key}"]`);
    await item.getByTestId('custom-edit').click();
    assert.equal(await page.getByTestId('editor-question').inputValue(), QUESTION);
    assert.equal(await page.getByTestId('editor-ordinal').isChecked(), true);
    await page.getByTestId('editor-option').nth(3).fill('None at all');
    await page.getByTestId('editor-save').click();
    await page.getByTestId('notice').filter({ hasText: 'answers to changed or deleted questions were cleared' }).waitFor();
    await waitForGrid(page, { key });
    assert.deepEqual(await storedAnswers(page), []);
    assert.match(await page.getByTestId('compare').textContent(), /None at all/);
    const count = await page.getByTestId('custom-item').count();
    const last = page.getByTestId('custom-item').last();
    const lastKey = await last.getAttribute('data-key');
    await last.getByTestId('custom-delete').click();
    await last.getByTestId('custom-delete-confirm').click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=custom-item]').length === n, count - 1);
    await waitForPrediction(page, 0);
    assert.ok(!(await readPrediction(page)).some((row) => row.key === lastKey), 'gone from the survey');
  });

  it('exports the questions as JSON and imports them back; bad files get a message', async () => {
    const before = await page.getByTestId('custom-item').evaluateAll((i) => i.map((x) => x.textContent));
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('custom-export').click()]);
    const text = await streamText(await download.createReadStream());
    const file = JSON.parse(text);
    assert.equal(file.format, 'gpo-custom-questions');
    assert.equal(file.questions.length, before.length);
    assert.ok(!text.includes('vectors'), 'the export holds no embeddings');
    assert.deepEqual(file.questions[0].options, [...OPTIONS.slice(0, 3), 'None at all']);
    assert.equal(file.questions[0].ordinal, true);
    // Delete them all, then import the file.
    while ((await page.getByTestId('custom-item').count()) > 0) {
      const item = page.getByTestId('custom-item').first();
      await item.getByTestId('custom-delete').click();
      await item.getByTestId('custom-delete-confirm').click();
    }
    await page.getByTestId('editor-empty').waitFor();
    const importFile = (name, body) =>
      page.getByTestId('custom-import').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(body) });
    await importFile('questions.json', text);
    await page.getByTestId('notice').filter({ hasText: `Imported ${before.length} questions from "questions.json"` }).waitFor({ timeout: 120_000 });
    assert.deepEqual(await page.getByTestId('custom-item').evaluateAll((i) => i.map((x) => x.textContent)), before);
    await waitForGrid(page);
    // Importing the same file again adds nothing.
    await importFile('again.json', text);
    await page.getByTestId('notice').filter({ hasText: `${before.length} already saved were skipped` }).waitFor({ timeout: 120_000 });
    assert.equal(await page.getByTestId('custom-item').count(), before.length);
    // Bad files: each refused with one message, nothing changed.
    const bad = [
      ['not-json.json', 'hello', /"not-json.json" could not be imported: not JSON/],
      ['answers.json', JSON.stringify({ format: 'gpo-answers', version: 1 }), /not a "gpo-custom-questions" file/],
      ['future.json', JSON.stringify({ format: 'gpo-custom-questions', version: 9, questions: [] }), /version 9/],
      [
        'thirteen.json',
        JSON.stringify({
          format: 'gpo-custom-questions',
          version: 1,
          questions: [{ key: 'x', text: 'Too many?', options: Array.from({ length: 13 }, (_, i) => `o${i}`) }],
        }),
        /question 1: A question has at most 12 options/,
      ],
    ];
    for (const [name, body, message] of bad) {
      await importFile(name, body);
      await page.getByTestId('notice').filter({ hasText: message }).waitFor({ timeout: 30_000 });
    }
    assert.equal(await page.getByTestId('custom-item').count(), before.length);
    assert.deepEqual(browser.pageErrors, []);
  });

  it('predicts the GlobalOpinionQA countries (downloaded when chosen)', async () => {
    await page.getByTestId('custom-show').first().click();
    await waitForGrid(page);
    await page.getByTestId('editor-survey').selectOption('goqa');
    await page.waitForFunction(
      () => document.querySelector('[data-testid=group-grid]')?.dataset.task === 'goqa' &&
        document.querySelector('[data-testid=group-grid]')?.dataset.state === 'complete',
      null,
      { timeout: 180_000 },
    );
    const grid = await readGrid(page);
    assert.ok(grid.length > 100, `${grid.length} countries`);
    assert.ok(grid.every((c) => c.label.startsWith('Country: ')));
    for (const card of grid) assertDistribution(card.probs, card.probs.length, card.label);
    assert.ok(browser.requests.some((r) => r.url.endsWith('goqa.model.bpk')));
    // Once more, now that the survey is loaded (the first run includes nothing else, but warms up).
    await page.getByTestId('editor-context').fill('1');
    await waitForGrid(page, { size: 10 });
    await page.getByTestId('editor-context').fill('2');
    await waitForGrid(page, { size: 20 });
    console.log(
      `EDITOR-TIMING group_predict_ms=${(await millis(page, 'editor-group-predict-ms')).toFixed(1)} backend=cpu ` +
        `survey=goqa groups=${grid.length} context=20`,
    );
    assert.deepEqual(browser.pageErrors, []);
  });

  it('fits a phone screen (375 px) and a desktop', async () => {
    for (const viewport of [{ width: 375, height: 740 }, { width: 1280, height: 900 }]) {
      await page.setViewportSize(viewport);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= viewport.width, `the editor is ${width} px wide on a ${viewport.width} px screen`);
      for (const id of ['editor-question', 'editor-save', 'editor-context', 'group-grid', 'compare', 'custom-export']) {
        const box = await page.getByTestId(id).boundingBox();
        assert.ok(box && box.x >= 0 && box.x + box.width <= viewport.width + 1, `${id} is on screen horizontally`);
      }
      await page.screenshot({ path: `${process.env.GPO_SCREENSHOTS ?? '/tmp'}/gpo-editor-${viewport.width}.png`, fullPage: true });
    }
  });
});
