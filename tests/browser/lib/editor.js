// Helpers for the question editor's tests: open it, fill the form, save, read the group grid.
import assert from 'node:assert/strict';

import { LOAD_TIMEOUT, PREDICT_TIMEOUT } from './harness.js';

/// Opens the editor tab and waits until the encoder is loaded.
export async function openEditor(page) {
  await page.getByTestId('tab-editor').click();
  await page.waitForSelector('[data-testid=editor-status][data-state=ready]', { timeout: LOAD_TIMEOUT });
}

/// Puts `text` and `options` into the form (adding or removing option rows as needed).
export async function fillForm(page, text, options, { ordinal = false } = {}) {
  await page.getByTestId('editor-question').fill(text);
  const inputs = page.getByTestId('editor-option');
  while ((await inputs.count()) < options.length) await page.getByTestId('editor-option-add').click();
  while ((await inputs.count()) > Math.max(options.length, 2)) {
    await page.getByTestId('editor-option-remove').last().click();
  }
  for (let i = 0; i < options.length; i++) await inputs.nth(i).fill(options[i]);
  const box = page.getByTestId('editor-ordinal');
  if ((await box.isChecked()) !== ordinal) await box.click();
}

/// The form's problems (validation messages).
export async function problems(page) {
  return page.getByTestId('editor-problem').allTextContents();
}

/// Waits until the grid shows every group's prediction of the selected question
/// (optionally: of question `key`, with context size `size` — a number or 'all').
export async function waitForGrid(page, { key, size, timeout = PREDICT_TIMEOUT } = {}) {
  await page.waitForFunction(
    ({ key, size }) => {
      const grid = document.querySelector('[data-testid=group-grid]');
      const selected = document.querySelector('[data-testid=editor-selected]');
      if (!grid || !selected || grid.dataset.state !== 'complete') return false;
      if (key && selected.dataset.key !== key) return false;
      if (size !== undefined && grid.dataset.contextSize !== String(size)) return false;
      return grid.dataset.key !== '' && Number(grid.dataset.count) > 0;
    },
    { key, size },
    { timeout },
  );
}

/// Writes and saves a question; returns its key once every group's prediction is shown.
export async function writeQuestion(page, text, options, opts = {}) {
  await fillForm(page, text, options, opts);
  const before = await page.getByTestId('custom-item').evaluateAll((items) => items.map((i) => i.dataset.key));
  await page.getByTestId('editor-save').click();
  let key = opts.key;
  if (!key) {
    const handle = await page.waitForFunction(
      (before) => {
        const keys = [...document.querySelectorAll('[data-testid=custom-item]')].map((i) => i.dataset.key);
        return keys.find((k) => !before.includes(k)) ?? false;
      },
      before,
      { timeout: PREDICT_TIMEOUT },
    );
    key = await handle.jsonValue();
  }
  await waitForGrid(page, { key });
  return key;
}

/// [{group, label, context, probs}] of the grid.
export async function readGrid(page) {
  return page.getByTestId('group-card').evaluateAll((cards) =>
    cards.map((card) => ({
      group: card.dataset.group,
      label: card.querySelector('[data-testid=group-name]').textContent,
      context: Number(card.dataset.context),
      probs: card.dataset.probs ? JSON.parse(card.dataset.probs) : null,
    })),
  );
}

/// The selected question's embedding as the page made it: {key, texts, vectors, truncated}.
export async function readEmbedding(page) {
  return JSON.parse(await page.getByTestId('editor-embedding-json').textContent());
}

export function cosine(a, b) {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / Math.sqrt(na * nb);
}

/// Per text: the cosine between the page's embedding (`readEmbedding`) and native `gpo encode`'s.
export function nativeCosines(embedding, native) {
  const dim = embedding.vectors.length / embedding.texts.length;
  return native.vectors.map((v, i) => cosine(embedding.vectors.slice(i * dim, (i + 1) * dim), v));
}

export async function millis(page, testId) {
  return Number(await page.getByTestId(testId).textContent());
}

/// One probability per option, summing to 1.
export function assertDistribution(probs, options, what) {
  assert.equal(probs.length, options, `${what}: one probability per option`);
  const total = probs.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(total - 1) < 1e-3, `${what} sums to ${total}`);
  assert.ok(probs.every((p) => p >= 0 && p <= 1), `${what}: ${probs}`);
}

/// A download's stream as text.
export async function streamText(stream) {
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
