// The native command line as the reference the page must equal: GPO's predictions
// (`gpo predict`: same bundle, same answers) and MiniLM embeddings (`gpo encode`: same texts).
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { DIST } from './harness.js';

const run = promisify(execFile);
export const GPO = process.env.GPO_BIN ?? join(homedir(), '.cache/gpo/target/debug/gpo');

/// [{key, probs, std}] for every unanswered question given `answers` [{question, option}]
/// (from the bundle the page is served, or another one).
export async function nativePredict(task, answers, bundle = join(DIST, 'bundle')) {
  const dir = await mkdtemp(join(tmpdir(), 'gpo-native-'));
  try {
    const file = join(dir, 'answers.json');
    await writeFile(file, JSON.stringify(answers));
    const { stdout } = await run(
      GPO,
      ['predict', '--bundle', bundle, '--task', task, '--answers', file, '--device', 'cpu'],
      { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? '/tmp' } },
    );
    return JSON.parse(stdout);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/// Native `gpo predict --question`: every group's prediction for a new question from its first
/// `context` real answers (the page's order): [{group, label, context, probs, std}].
export async function nativeGroupPredict(task, question, options, context) {
  const args = ['predict', '--bundle', join(DIST, 'bundle'), '--task', task, '--question', question];
  args.push(...options.flatMap((o) => ['--option', o]), '--context', String(context), '--device', 'cpu');
  const { stdout } = await run(GPO, args, {
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? '/tmp' },
  });
  return JSON.parse(stdout);
}

/// Runs `gpo` with `args`; its stdout.
export async function gpo(args) {
  const { stdout } = await run(GPO, args, {
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? '/tmp' },
  });
  return stdout;
}

/// Native `gpo encode` of `texts`: {vectors: [[…384]], truncated: [indices]}.
export async function nativeEncode(texts) {
  const args = ['encode', '--device', 'cpu', ...texts.flatMap((text) => ['--text', text])];
  const { stdout } = await run(GPO, args, {
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? '/tmp' },
  });
  return JSON.parse(stdout);
}
