import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const CACHE_MODULE = fileURLToPath(new URL('../../bin/transpile-cache.js', import.meta.url));
const STARTUP_MODE = fileURLToPath(new URL('../../src/platform/startup-mode.ts', import.meta.url));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'siaga-ts-cache-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Starts a Node process as the launcher does: cache hook first, then the TypeScript entry. */
function run(cacheDir: string, entry: string) {
  const script = `
    const { cacheTypeStrippedSources } = await import(${JSON.stringify(pathToFileURL(CACHE_MODULE).href)});
    cacheTypeStrippedSources(${JSON.stringify(cacheDir)});
    const { answer } = await import(${JSON.stringify(pathToFileURL(entry).href)});
    console.log(answer);
  `;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  return { out: child.stdout.trim(), err: child.stderr, status: child.status };
}

const entries = (cacheDir: string) => readdirSync(cacheDir).filter((f) => f.endsWith('.js'));

describe('the launcher’s cache of type-stripped sources', () => {
  it('strips a source once and runs the cached text on later starts', () => {
    const cache = path.join(dir, 'cache');
    const entry = path.join(dir, 'answer.ts');
    writeFileSync(entry, 'const value: number = 41;\nexport const answer: number = value + 1;\n');

    const first = run(cache, entry);
    expect(first).toMatchObject({ out: '42', status: 0 });
    expect(first.err).not.toMatch(/ExperimentalWarning/);
    const [stored] = entries(cache);
    expect(stored).toMatch(/^[0-9a-f]{64}\.js$/);
    const text = readFileSync(path.join(cache, stored ?? ''), 'utf8');
    expect(text).not.toContain(': number');
    // Types become blanks, so every line and column (and every stack trace) stays where it was in the source.
    expect(text.split('\n').map((l) => l.length)).toEqual(
      readFileSync(entry, 'utf8')
        .split('\n')
        .map((l) => l.length),
    );

    // The next start takes the cached text as it is: what it says is what runs.
    writeFileSync(path.join(cache, stored ?? ''), 'export const answer = "from the cache";\n');
    expect(run(cache, entry).out).toBe('from the cache');
  });

  it('misses for an edited source, so a stale entry never runs', () => {
    const cache = path.join(dir, 'cache');
    const entry = path.join(dir, 'answer.ts');
    writeFileSync(entry, 'export const answer: string = "before";\n');
    expect(run(cache, entry).out).toBe('before');
    writeFileSync(entry, 'export const answer: string = "after";\n');
    expect(run(cache, entry).out).toBe('after');
    expect(entries(cache)).toHaveLength(2);
  });

  it('still runs when the cache folder cannot be written', () => {
    const blocker = path.join(dir, 'a-file');
    writeFileSync(blocker, '');
    const entry = path.join(dir, 'answer.ts');
    writeFileSync(entry, 'export const answer: number = 7;\n');
    expect(run(path.join(blocker, 'cache'), entry)).toMatchObject({ out: '7', status: 0 });
  });
});

describe('start-up mode', () => {
  it('is left for V8’s normal mode, which takes effect at once', () => {
    const script = `
      const { enterStartupMode, leaveStartupMode } = await import(${JSON.stringify(pathToFileURL(STARTUP_MODE).href)});
      enterStartupMode();
      const during = %IsEfficiencyModeEnabled();
      leaveStartupMode();
      console.log(during, %IsEfficiencyModeEnabled());
    `;
    const child = spawnSync(
      process.execPath,
      ['--allow-natives-syntax', '--input-type=module', '-e', script],
      {
        encoding: 'utf8',
      },
    );
    expect(child.stderr).toBe('');
    expect(child.stdout.trim()).toBe('true false');
  });
});
