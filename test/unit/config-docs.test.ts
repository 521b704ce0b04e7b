import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS } from '../../src/platform/config/index.ts';

const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');

describe('configuration docs', () => {
  for (const file of ['README.md', 'docs/operations/configuration.md']) {
    it(`${file} documents every setting, by YAML key and environment variable`, () => {
      const text = read(file);
      const missing = CONFIG_KEYS.filter(
        (k) => !text.includes(`\`${k.key}\``) || !text.includes(`\`${k.env}\``),
      ).map((k) => k.key);
      expect(missing).toEqual([]);
    });
  }
});
