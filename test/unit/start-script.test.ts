import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { START_ARGS } from '../../bench/lib/server.ts';

describe('npm start', () => {
  it('is exactly what the startup benchmark measures', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      scripts: Record<string, string>;
    };
    // `exec`: the shell npm runs scripts in gives way to node, so a SIGTERM sent to npm reaches the server.
    expect(pkg.scripts.start).toBe(`exec node ${START_ARGS.join(' ')}`);
  });
});
