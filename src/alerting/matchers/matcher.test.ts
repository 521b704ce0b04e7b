import { describe, expect, it } from 'vitest';
import { isAppError } from '../../platform/errors.ts';
import { fingerprint } from './fingerprint.ts';
import { normalizeLabels } from './labels.ts';
import { matches, matchesAll, matchesEverything, newMatcher, operatorOf, type Matcher } from './matcher.ts';
import { parseMatcher } from './parse.ts';

const m = (name: string, value: string, isRegex = false, isEqual = true): Matcher => ({
  name,
  value,
  isRegex,
  isEqual,
});

/** The alerts posted to Alertmanager 0.25 when recording the filter results below. */
const ALERTS = [
  { alertname: 'HighLatency' },
  { alertname: 'HighLatency', service: 'api', severity: 'critical' },
  { zone: 'eu-1', alertname: 'DiskFull', instance: 'db-1:9100', job: 'node' },
  { alertname: 'Überlast', team: 'größe' },
  { alertname: 'Latency', region: '東京', emoji: '🔥 fire' },
  { alertname: 'Multi', msg: 'line1\nline2', quote: 'say "hi"', bs: 'a\\b' },
  { alertname: 'EmptyDrop', team: '', x: '1' },
  { a: 'b', aa: '', b: 'a' },
  { _under: 'x', A: 'upper', a: 'lower', constructor: 'c', ['__proto__']: 'p' },
  { alertname: 'Weird', v: 'a\u0000b\u00ff\u0100\uffff' },
  { alertname: 'Trail', v: 'a\n' },
  { alertname: 'Lone', v: 'x\ud800y' },
  { alertname: 'Lone2', v: 'x\ufffdy' },
].map((labels) => normalizeLabels(labels));

const ALL = ALERTS.map((labels) => fingerprint(labels)).sort();
const except = (...fps: string[]) => ALL.filter((fp) => !fps.includes(fp));

/** `GET /api/v2/alerts?filter=<text>` against Alertmanager 0.25 with ALERTS loaded: the fingerprints returned. */
const FILTERS: [string, string[]][] = [
  ['alertname="HighLatency"', ['6a4f37c34a2d1e4b', '73dbeed5635ea4e4']],
  ['alertname=HighLatency', ['6a4f37c34a2d1e4b', '73dbeed5635ea4e4']],
  ['alertname=~"High.*"', ['6a4f37c34a2d1e4b', '73dbeed5635ea4e4']],
  ['alertname=~"High"', []],
  ['alertname!~"High.*"', except('6a4f37c34a2d1e4b', '73dbeed5635ea4e4')],
  ['alertname!="HighLatency"', except('6a4f37c34a2d1e4b', '73dbeed5635ea4e4')],
  ['alertname=', ['d25d7eb90e938569', 'd6988bd4240d1838']],
  ['alertname=""', ['d25d7eb90e938569', 'd6988bd4240d1838']],
  ['alertname!~', except('d25d7eb90e938569', 'd6988bd4240d1838')],
  ['team=""', except('74c9bffb05e5edca')],
  ['team!=""', ['74c9bffb05e5edca']],
  ['team!="größe"', except('74c9bffb05e5edca')],
  ['team!~"g.*"', except('74c9bffb05e5edca')],
  [' team = "größe" ', ['74c9bffb05e5edca']],
  ['service=~""', except('6a4f37c34a2d1e4b')],
  ['v=~"a"', []],
  ['v=~"a\\n"', ['a82dfa4abe180e57']],
  ['v=~"a.?"', []],
  ['v=~"a(?s:.)"', ['a82dfa4abe180e57']],
  ['v=~".+"', ['90f6a7c87c5c0186', 'bcfd728b907d27d6', 'e33af9d87912c811']],
  ['v!~".*"', ['a82dfa4abe180e57']],
  ['v=~"x.y"', ['90f6a7c87c5c0186', 'bcfd728b907d27d6']],
  ['msg="line1\\nline2"', ['83dac310d6d93bc3']],
  ['msg=line1\\nline2', ['83dac310d6d93bc3']],
  ['quote="say \\"hi\\""', ['83dac310d6d93bc3']],
  ['bs="a\\\\b"', ['83dac310d6d93bc3']],
  ['bs="a\\b"', ['83dac310d6d93bc3']],
  ['bs=a\\b', ['83dac310d6d93bc3']],
  ['alertname=~"(?i)highlatency"', ['6a4f37c34a2d1e4b', '73dbeed5635ea4e4']],
  ['alertname=~"\\p{Lu}.*"', except('d25d7eb90e938569', 'd6988bd4240d1838')],
  ['alertname=~"[[:upper:]].*"', except('d25d7eb90e938569', 'd6988bd4240d1838', '74c9bffb05e5edca')],
  ['alertname=~"\\d"', []],
  ['alertname=~"High|Disk.*"', ['7c358609e523e6ae']],
  ['alertname=~"Uber.*|Ü.*"', ['74c9bffb05e5edca']],
  ['alertname=~Disk.*', ['7c358609e523e6ae']],
  ['alertname =~ "Disk.*" ', ['7c358609e523e6ae']],
  ['alertname=Disk Full', []],
  ['alertname==x', []],
  ['region=~"東.*"', ['c937c533b0c10c30']],
  ['emoji=~"🔥.*"', ['c937c533b0c10c30']],
  ['emoji=~". fire"', ['c937c533b0c10c30']],
  ['constructor="c"', ['d6988bd4240d1838']],
  ['__proto__="p"', ['d6988bd4240d1838']],
  ['toString=""', ALL],
  ['toString!=""', []],
];

describe('matches', () => {
  it.each(FILTERS)('selects what Alertmanager 0.25 selects for filter %j', (filter, expected) => {
    const matcher = parseMatcher(filter);
    const hits = ALERTS.filter((labels) => matches(matcher, labels)).map((labels) => fingerprint(labels));
    expect(hits.sort()).toEqual([...expected].sort());
  });

  it('treats a missing label as the empty string for every operator', () => {
    const labels = { alertname: 'Down' };
    expect(matches(m('team', ''), labels)).toBe(true);
    expect(matches(m('team', 'db', false, false), labels)).toBe(true);
    expect(matches(m('team', 'db.*', true, false), labels)).toBe(true);
    expect(matches(m('team', '.*', true), labels)).toBe(true);
    expect(matches(m('team', '.+', true), labels)).toBe(false);
    expect(matches(m('team', 'db'), labels)).toBe(false);
    expect(matches(m('team', '', false, false), labels)).toBe(false);
  });

  it('anchors regexes at both ends', () => {
    expect(matches(m('job', 'node', true), { job: 'node_exporter' })).toBe(false);
    expect(matches(m('job', 'exporter', true), { job: 'node_exporter' })).toBe(false);
    expect(matches(m('job', 'node.*', true), { job: 'node_exporter' })).toBe(true);
  });

  it('finds only own labels, never Object.prototype members', () => {
    expect(matches(m('constructor', '', false, false), {})).toBe(false);
    expect(matches(m('hasOwnProperty', '.+', true), {})).toBe(false);
  });

  it('treats a stored matcher without isEqual as positive, like Alertmanager JSON', () => {
    const stored = JSON.parse('{"name":"team","value":"db","isRegex":false}') as Matcher;
    expect(matches(stored, { team: 'db' })).toBe(true);
    expect(matches(stored, { team: 'web' })).toBe(false);
    expect(operatorOf(stored)).toBe('=');
  });
});

describe('matchesAll', () => {
  it('ANDs the matchers, and an empty list matches every alert', () => {
    const ms = [m('alertname', 'HighLatency'), m('severity', 'crit.*', true)];
    expect(matchesAll(ms, { alertname: 'HighLatency', severity: 'critical' })).toBe(true);
    expect(matchesAll(ms, { alertname: 'HighLatency', severity: 'warning' })).toBe(false);
    expect(matchesAll(ms, { alertname: 'Other', severity: 'critical' })).toBe(false);
    expect(matchesAll([], { anything: 'x' })).toBe(true);
  });
});

describe('matchesEverything', () => {
  // Alertmanager 0.25, POST /api/v2/silences with only these matchers: 400 "at least one matcher must not
  // match the empty string" for the refused ones, 200 for the accepted ones.
  const refused: [string, Matcher[]][] = [
    ['no matchers', []],
    ['foo=""', [m('foo', '')]],
    ['foo=~".*"', [m('foo', '.*', true)]],
    ['foo=~"a|"', [m('foo', 'a|', true)]],
    ['foo=~"a*"', [m('foo', 'a*', true)]],
    ['foo=~"^$"', [m('foo', '^$', true)]],
    ['foo=~"$^"', [m('foo', '$^', true)]],
    ['foo=~".*", bar=""', [m('foo', '.*', true), m('bar', '')]],
  ];
  const accepted: [string, Matcher[]][] = [
    ['foo!="bar"', [m('foo', 'bar', false, false)]],
    ['foo!=""', [m('foo', '', false, false)]],
    ['foo=~".+"', [m('foo', '.+', true)]],
    ['foo!~".*"', [m('foo', '.*', true, false)]],
    ['foo!~"x"', [m('foo', 'x', true, false)]],
    ['foo=~"\\b"', [m('foo', '\\b', true)]],
    ['foo=~".*", bar="x"', [m('foo', '.*', true), m('bar', 'x')]],
  ];

  it.each(refused)('is true for %s, which Alertmanager refuses as a silence', (_text, ms) => {
    expect(matchesEverything(ms)).toBe(true);
  });

  it.each(accepted)('is false for %s, which Alertmanager accepts as a silence', (_text, ms) => {
    expect(matchesEverything(ms)).toBe(false);
  });
});

describe('newMatcher', () => {
  it('defaults isEqual to true and freezes the result', () => {
    const made = newMatcher({ name: 'team', value: 'db', isRegex: false });
    expect(made).toEqual({ name: 'team', value: 'db', isRegex: false, isEqual: true });
    expect(Object.isFrozen(made)).toBe(true);
    expect(newMatcher({ name: 'team', value: 'db', isRegex: true, isEqual: false }).isEqual).toBe(false);
  });

  it('refuses what Alertmanager refuses in a silence: bad names and bad regexes', () => {
    // Alertmanager 0.25: `invalid label name "a:b"`, `invalid label name ""`,
    // `invalid regular expression "(a": error parsing regexp: missing closing ): \`(a\``.
    const err = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        if (isAppError(e)) return `${e.code}: ${e.message}`;
        throw e;
      }
      return 'no error';
    };
    expect(err(() => newMatcher({ name: 'a:b', value: 'x', isRegex: false }))).toBe(
      'validation: invalid label name "a:b" in matcher: it must match [a-zA-Z_][a-zA-Z0-9_]*',
    );
    expect(err(() => newMatcher({ name: '', value: 'x', isRegex: false }))).toMatch(
      /^validation: invalid label name ""/,
    );
    expect(err(() => newMatcher({ name: 'foo', value: '(a', isRegex: true }))).toBe(
      'validation: invalid regular expression "(a": missing closing ): `(a`',
    );
    // Not a regex, so no regex rules apply to the value.
    expect(err(() => newMatcher({ name: 'foo', value: '(a', isRegex: false }))).toBe('no error');
  });
});
