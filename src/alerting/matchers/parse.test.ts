import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.ts';
import type { Matcher } from './matcher.ts';
import { formatMatcher, formatMatchers, parseMatcher, parseMatchers } from './parse.ts';

const eq = (name: string, value: string): Matcher => ({ name, value, isRegex: false, isEqual: true });
const ne = (name: string, value: string): Matcher => ({ name, value, isRegex: false, isEqual: false });
const re = (name: string, value: string): Matcher => ({ name, value, isRegex: true, isEqual: true });
const nre = (name: string, value: string): Matcher => ({ name, value, isRegex: true, isEqual: false });

const refusal = (parse: () => unknown): string => {
  try {
    parse();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('validation');
    return (e as AppError).message;
  }
  return 'accepted';
};

describe('parseMatcher', () => {
  it.each<[string, Matcher]>([
    ['alertname="HighLatency"', eq('alertname', 'HighLatency')],
    ['alertname=HighLatency', eq('alertname', 'HighLatency')],
    ['team!="db"', ne('team', 'db')],
    ['job=~"node.*"', re('job', 'node.*')],
    ['job!~"x"', nre('job', 'x')],
    ['job=~node.*', re('job', 'node.*')],
    ['  alertname =~ "Disk.*"  ', re('alertname', 'Disk.*')],
    ['team=', eq('team', '')],
    ['team=""', eq('team', '')],
    ['team!~', nre('team', '')],
    ['_x9=1', eq('_x9', '1')],
    ['alertname=Disk Full', eq('alertname', 'Disk Full')],
    ['alertname==x', eq('alertname', '=x')],
    ['alertname=x,y', eq('alertname', 'x,y')],
    ['alertname=" padded "', eq('alertname', ' padded ')],
    ['region="東京"', eq('region', '東京')],
  ])('reads %j as Alertmanager does', (text, expected) => {
    expect(parseMatcher(text)).toEqual(expected);
  });

  it.each<[string, string]>([
    ['msg="line1\\nline2"', 'line1\nline2'],
    ['quote="say \\"hi\\""', 'say "hi"'],
    ['bs="a\\\\b"', 'a\\b'],
    // Unknown escapes stay literal, so a regex escape survives unescaping.
    ['bs="a\\b"', 'a\\b'],
    ['re="\\d+\\.\\d+"', '\\d+\\.\\d+'],
    // Alertmanager unescapes unquoted values too.
    ['msg=line1\\nline2', 'line1\nline2'],
    ['q=x\\"y', 'x"y'],
    ['t=trailing\\', 'trailing\\'],
  ])('unescapes %j', (text, value) => {
    expect(parseMatcher(text).value).toBe(value);
  });

  it.each<[string, string]>([
    [
      'foo~bar',
      "matcher 'foo~bar': expected one of =, !=, =~, !~ after the label name 'foo', found '~' at position 4 (did you mean '=~'?)",
    ],
    [
      'alertname ~ "x"',
      "matcher 'alertname ~ \"x\"': expected one of =, !=, =~, !~ after the label name 'alertname', found '~' at position 11 (did you mean '=~'?)",
    ],
    [
      'a:b="x"',
      "matcher 'a:b=\"x\"': expected one of =, !=, =~, !~ after the label name 'a', found ':' at position 2 (label names may contain only letters, digits and underscores)",
    ],
    [
      'alertname',
      "matcher 'alertname': expected one of =, !=, =~, !~ after the label name 'alertname', found the end of the input",
    ],
    ['', "matcher '': expected a label name, found nothing"],
    ['=x', "matcher '=x': expected a label name, found '=' at position 1"],
    [
      '1a="x"',
      "matcher '1a=\"x\"': expected a label name, found '1' at position 1 (label names cannot start with a digit)",
    ],
    ['{alertname="x"}', "matcher '{alertname=\"x\"}': expected a label name, found '{' at position 1"],
    [
      'alertname="unterminated',
      "matcher 'alertname=\"unterminated': the value opened by '\"' at position 11 has no closing '\"'",
    ],
    [
      'alertname="a"b"',
      "matcher 'alertname=\"a\"b\"': expected nothing after the closing '\"' at position 13, found 'b' at position 14 (escape quotes in values as \\\")",
    ],
    [
      'alertname=bad"quote',
      "matcher 'alertname=bad\"quote': unexpected '\"' at position 14 in an unquoted value; quote the value and escape inner quotes as \\\"",
    ],
    [
      'alertname=~"(a"',
      'matcher \'alertname=~"(a"\': invalid regular expression "(a": missing closing ): `(a`',
    ],
    [
      'a="x\ud800"',
      'matcher \'a="x\ud800"\': the value contains an unpaired UTF-16 surrogate (invalid UTF-8)',
    ],
  ])('refuses %j, saying what is wrong and where', (text, message) => {
    expect(refusal(() => parseMatcher(text))).toBe(message);
  });

  it('refuses everything Alertmanager 0.25 refuses as a filter', () => {
    // Each of these got a 400 from GET /api/v2/alerts?filter=...
    for (const text of [
      'alertname="HighLatency",service="api"',
      '{alertname="HighLatency"}',
      'alertname~"x"',
      'alertname=="x"',
      '1a="x"',
      'alertname="unterminated',
      'alertname=bad"quote',
      'alertname="a"b"',
      'alertname=~"(a"',
      'alertname=~"a{2,1001}"',
      'alertname=~"a++"',
      'alertname=~"(?=a)"',
      'alertname=~"\\\\"',
      '=x',
      'alertname',
      'alertname=""x',
      'alertname="x",',
      'alertname="x\\"',
    ]) {
      expect(
        refusal(() => parseMatcher(text)),
        text,
      ).not.toBe('accepted');
    }
  });

  it('shortens a huge input in the message', () => {
    const message = refusal(() => parseMatcher(`foo=~"${'a'.repeat(1001)}"`));
    expect(message.length).toBeLessThan(320);
    expect(message).toContain('it is 1001 characters long, the limit is 1000');
  });
});

describe('parseMatchers', () => {
  it.each<[string, Matcher[]]>([
    ['{a="b", c=~"d"}', [eq('a', 'b'), re('c', 'd')]],
    ['{a="b", c=~"d",}', [eq('a', 'b'), re('c', 'd')]],
    ['a="b", c!="d"', [eq('a', 'b'), ne('c', 'd')]],
    ['a="b",', [eq('a', 'b')]],
    ['  { a = "b" , c !~ "d" }  ', [eq('a', 'b'), nre('c', 'd')]],
    ['{a="x,y", b=c d}', [eq('a', 'x,y'), eq('b', 'c d')]],
    ['{a="say \\"x, y\\"", b="2"}', [eq('a', 'say "x, y"'), eq('b', '2')]],
    ['{a="x}"}', [eq('a', 'x}')]],
    ['alertname="Down"', [eq('alertname', 'Down')]],
    ['{}', []],
    [' { } ', []],
    ['', []],
  ])('reads %j', (text, expected) => {
    expect(parseMatchers(text)).toEqual(expected);
  });

  it.each<[string, string]>([
    ['a="b",,c="d"', 'matchers \'a="b",,c="d"\': expected a matcher at position 7, found none'],
    ['{,}', "matchers '{,}': expected a matcher at position 2, found none"],
    ['{a="b"', "matchers '{a=\"b\"': the list opened with '{' has no closing '}'"],
    ['a="b"}', "matchers 'a=\"b\"}': '}' at position 6 closes a list that was never opened"],
    [
      '{a="b", c~d}',
      "matcher 2 'c~d': expected one of =, !=, =~, !~ after the label name 'c', found '~' at position 2 (did you mean '=~'?)",
    ],
    ['{a="b",c="d\\"}', "matcher 2 'c=\"d\\\"': the value opened by '\"' at position 3 has no closing '\"'"],
  ])('refuses %j', (text, message) => {
    expect(refusal(() => parseMatchers(text))).toBe(message);
  });
});

describe('formatMatcher', () => {
  it('writes the four operators with quoted, escaped values', () => {
    expect(formatMatcher(eq('a', 'b'))).toBe('a="b"');
    expect(formatMatcher(ne('a', ''))).toBe('a!=""');
    expect(formatMatcher(re('a', 'x.*'))).toBe('a=~"x.*"');
    expect(formatMatcher(nre('a', '\\d'))).toBe('a!~"\\\\d"');
    expect(formatMatcher(eq('msg', 'say "hi"\nbye'))).toBe('msg="say \\"hi\\"\\nbye"');
    expect(formatMatchers([eq('a', 'b'), re('c', 'd|e')])).toBe('{a="b", c=~"d|e"}');
    expect(formatMatchers([])).toBe('{}');
  });

  it('round-trips through the parser for any name and value', () => {
    const matcher = fc.record({
      name: fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,10}$/),
      value: fc.string({
        unit: fc.constantFrom('a', ' ', '"', '\\', '\n', ',', '}', '{', 'n', '=', '~', 'é', '🔥'),
      }),
      isRegex: fc.constant(false),
      isEqual: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(matcher, { maxLength: 4 }), (ms) => {
        for (const m of ms) expect(parseMatcher(formatMatcher(m))).toEqual(m);
        expect(parseMatchers(formatMatchers(ms))).toEqual(ms);
      }),
      { numRuns: 300 },
    );
  });
});
