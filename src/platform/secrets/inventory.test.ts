import { describe, expect, it } from 'vitest';
import { Keyring } from './keyring.ts';
import { countsByKey, keyringProblems, type ColumnInventory } from './inventory.ts';
import { SecretKey } from './secret-key.ts';

// An all-digit key id is an array-index-like property name, which JavaScript lists before every other name.
const column: ColumnInventory = {
  table: 'test_secrets',
  column: 'secret',
  byKey: { '5f613520': 1, '60605937': 2, '0a1b2c3d': 3 },
  unrecognised: 0,
};

describe('secret inventory order', () => {
  it('lists key ids in order whether or not they are all digits', () => {
    expect(countsByKey(column)).toEqual([
      ['0a1b2c3d', 3],
      ['5f613520', 1],
      ['60605937', 2],
    ]);
  });

  it('warns about missing keys in key id order', () => {
    const problems = keyringProblems([column], new Keyring([SecretKey.generate()], { source: 'env' }));
    expect(problems.map((p) => /sealed with key (\w+)/.exec(p)?.[1])).toEqual([
      '0a1b2c3d',
      '5f613520',
      '60605937',
    ]);
  });
});
