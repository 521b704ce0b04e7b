import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.ts';
import {
  compileLabelRegex,
  MAX_REGEX_LENGTH,
  REGEX_CACHE_SIZE,
  regexCacheSize,
  regexMatches,
} from './regex.ts';

const failure = (pattern: string): string => {
  try {
    compileLabelRegex(pattern);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('validation');
    return (e as AppError).message;
  }
  return 'compiled';
};

describe('compileLabelRegex', () => {
  it('matches whole values only, like Alertmanager anchoring ^(?:pattern)$', () => {
    expect(regexMatches('db|web', 'db')).toBe(true);
    expect(regexMatches('db|web', 'dbx')).toBe(false);
    expect(regexMatches('db|web', 'xweb')).toBe(false);
    // Go's $ (without the m flag) is the end of the text, not "before a final newline".
    expect(regexMatches('a', 'a\n')).toBe(false);
    expect(regexMatches('a$', 'a\n')).toBe(false);
  });

  it('speaks Go RE2 syntax: Unicode classes, inline flags, ASCII-only \\d and POSIX classes', () => {
    expect(regexMatches('\\p{Lu}.*', 'Überlast')).toBe(true);
    expect(regexMatches('[[:upper:]].*', 'Überlast')).toBe(false);
    expect(regexMatches('(?i)highlatency', 'HighLatency')).toBe(true);
    expect(regexMatches('\\d+', '٣')).toBe(false);
    expect(regexMatches('.', '🔥')).toBe(true);
    expect(regexMatches('.', '\n')).toBe(false);
    expect(regexMatches('(?P<x>a)b', 'ab')).toBe(true);
  });

  it('stays linear on a catastrophic-backtracking pattern', () => {
    const input = `${'a'.repeat(50_000)}!`;
    expect(regexMatches('(a+)+$', input)).toBe(false);
    expect(regexMatches('(a+)+!', input)).toBe(true);
    expect(regexMatches('(x+x+)+y', 'x'.repeat(50_000))).toBe(false);
  });

  it('refuses invalid patterns, naming the pattern and the engine reason in Go words', () => {
    expect(failure('(a')).toBe('invalid regular expression "(a": missing closing ): `(a`');
    expect(failure('a++')).toBe('invalid regular expression "a++": invalid nested repetition operator: `++`');
    expect(failure('(?=a)')).toBe(
      'invalid regular expression "(?=a)": invalid or unsupported Perl syntax: `(?=`',
    );
    expect(failure('a{2,1001}')).toBe(
      'invalid regular expression "a{2,1001}": invalid repeat count: `{2,1001}`',
    );
    expect(failure('[z-a]')).toBe('invalid regular expression "[z-a]": invalid character class range: `z-a`');
    expect(failure('\\')).toMatch(/^invalid regular expression "\\\\": trailing backslash/);
  });

  it('refuses a pattern that would break out of the anchors (Alertmanager 0.25 accepts a)|(b unanchored)', () => {
    expect(failure('a)|(b')).toMatch(/^invalid regular expression "a\)\|\(b": unexpected \)/);
  });

  it(`refuses patterns longer than ${MAX_REGEX_LENGTH} characters, shortening the quote`, () => {
    expect(failure('a'.repeat(MAX_REGEX_LENGTH))).toBe('compiled');
    expect(failure('a'.repeat(MAX_REGEX_LENGTH + 1))).toBe(
      `invalid regular expression "${'a'.repeat(77)}...": it is 1001 characters long, the limit is 1000`,
    );
  });

  it('caches compiled patterns and keeps the cache bounded, evicting the least recently used', () => {
    const first = compileLabelRegex('cache-probe-0');
    expect(compileLabelRegex('cache-probe-0')).toBe(first);
    const second = compileLabelRegex('cache-probe-1');
    for (let i = 2; i <= REGEX_CACHE_SIZE + 50; i++) {
      compileLabelRegex(`cache-probe-${i}`);
      if (i % 100 === 0) compileLabelRegex('cache-probe-0'); // keep it recently used
    }
    expect(regexCacheSize()).toBe(REGEX_CACHE_SIZE);
    expect(compileLabelRegex('cache-probe-0')).toBe(first);
    const recompiled = compileLabelRegex('cache-probe-1');
    expect(recompiled).not.toBe(second);
    expect(recompiled.test('cache-probe-1')).toBe(true);
    expect(regexCacheSize()).toBe(REGEX_CACHE_SIZE);
  });
});
