import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { START_ARGS } from '../../bench/lib/server.ts';

describe('npm start', () => {
  it('is exactly what the startup benchmark measures', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.start).toBe(`node ${START_ARGS.join(' ')}`);
  });
});
