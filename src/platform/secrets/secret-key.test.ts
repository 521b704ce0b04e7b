import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, describeConfig, loadConfig } from '../config/index.ts';
import { createLogger } from '../logger.ts';
import { parseKey, parseKeyList, SecretKey } from './secret-key.ts';

const b64 = (n = 32) => randomBytes(n).toString('base64');

function configProblems(env: Record<string, string>): readonly string[] {
  try {
    loadConfig({ env, cwd: '/srv/siaga' });
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('secret keys', () => {
  it('accepts base64 and base64url of 32 bytes, padded or not, and names a key by 8 hex digits', () => {
    const raw = randomBytes(32);
    const ids = [
      raw.toString('base64'),
      raw.toString('base64').replace(/=+$/, ''),
      raw.toString('base64url'),
      ` ${raw.toString('base64url')}= `,
    ].map((t) => parseKey(t).id);
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).toMatch(/^[0-9a-f]{8}$/);
    expect(parseKey(raw.toString('base64')).encode()).toBe(raw.toString('base64'));
  });

  it('rejects anything else with one line that does not repeat the key', () => {
    const almost = b64(32).slice(0, -2) + '!!';
    const cases = [
      '',
      b64(16),
      b64(33),
      randomBytes(32).toString('hex'),
      almost,
      'correct horse battery staple',
      b64(32).replace(/=$/, 'B'),
    ];
    for (const text of cases) {
      let message = '';
      try {
        parseKey(text);
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message, text).toMatch(/^expected base64 or base64url of 32 random bytes, got /);
      expect(message).not.toContain('\n');
      if (text.length > 3) expect(message).not.toContain(text.slice(0, 8));
    }
  });

  it('reads a comma-separated list, first key first, counting a repeated key once', () => {
    const [a, b] = [b64(), b64()];
    const keys = parseKeyList(` ${a} , ${b},${a},`);
    expect(keys.map((k) => k.id)).toEqual([parseKey(a).id, parseKey(b).id]);
    expect(parseKeyList([a, b])).toHaveLength(2);
    expect(() => parseKeyList(' , ')).toThrow(/^expected one or more keys/);
    expect(() => parseKeyList(42)).toThrow(/^expected one or more keys/);
  });

  it('reports a bad SIAGA_SECRET_KEY as one configuration line naming the setting, without the key', () => {
    const good = b64();
    const bad = randomBytes(24).toString('base64');
    const problems = configProblems({ SIAGA_SECRET_KEY: `${good},${bad}` });
    expect(problems).toEqual([
      'SIAGA_SECRET_KEY (environment): key 2 of 2: expected base64 or base64url of 32 random bytes, got base64 of 24 bytes; generate one with: openssl rand -base64 32',
    ]);
    expect(problems.join('')).not.toContain(good.slice(0, 12));
    expect(problems.join('')).not.toContain(bad.slice(0, 12));
  });

  it('exposes the keys on Config and masks them in describeConfig', () => {
    const [a, b] = [b64(), b64()];
    const config = loadConfig({ env: { SIAGA_SECRET_KEY: `${a},${b}` }, cwd: '/srv/siaga' });
    expect(config.secrets.keys?.map((k) => k.id)).toEqual([parseKey(a).id, parseKey(b).id]);
    expect(config.secrets.keyFile).toBe('/srv/siaga/data/secret.key');
    const row = describeConfig(config).find((r) => r.key === 'secrets.key');
    expect(row).toMatchObject({ env: 'SIAGA_SECRET_KEY', source: 'env' });
    expect(row?.value).toBe(`*** (key ids ${parseKey(a).id}, ${parseKey(b).id})`);
    const all =
      JSON.stringify(describeConfig(config)) + JSON.stringify(config) + inspect(config, { depth: 9 });
    expect(all).not.toContain(a.slice(0, 12));
    expect(all).not.toContain(b.slice(0, 12));

    const unset = loadConfig({ env: {}, cwd: '/srv/siaga' });
    expect(unset.secrets.keys).toBeUndefined();
    expect(describeConfig(unset).find((r) => r.key === 'secrets.key')?.value).toBe(
      'not set (key file /srv/siaga/data/secret.key)',
    );
  });

  it('never shows key material when a key is logged, printed or serialised', () => {
    const key = SecretKey.generate();
    const material = key.encode();
    const logged: string[] = [];
    const logger = createLogger('info', { write: (line: string) => void logged.push(line) });
    const config = loadConfig({ env: { SIAGA_SECRET_KEY: material }, cwd: '/srv/siaga' });
    logger.info({ key, config, keys: [key] }, 'keys loaded');
    expect(logged).toHaveLength(1);
    for (const text of [
      JSON.stringify(key),
      JSON.stringify({ key }),
      inspect(key, { depth: 9, showHidden: true }),
      `${key.id}`,
      logged[0]!,
    ]) {
      expect(text).not.toContain(material.slice(0, 12));
      expect(text).not.toContain(Buffer.from(material, 'base64').toString('hex').slice(0, 12));
    }
    expect(JSON.parse(JSON.stringify(key))).toEqual({ id: key.id });
  });
});
