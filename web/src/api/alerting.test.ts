import { describe, expect, it } from 'vitest';
import { MATCH_OPERATORS } from '../../../src/alerting/matchers/matcher.ts';
import { WEEKDAYS as SERVER_WEEKDAYS } from '../../../src/alerting/noise/maintenance.ts';
import {
  INTEGRATION_KINDS as SERVER_KINDS,
  URGENCIES as SERVER_URGENCIES,
} from '../../../src/catalog/model.ts';
import { formatMatcher, matcherFrom, OPERATORS, operatorOf, parseLabels, WEEKDAYS } from './alerting.ts';
import { INTEGRATION_KINDS, URGENCIES } from './catalog.ts';

describe('the choices the pages offer', () => {
  it('are the ones the server accepts', () => {
    expect(OPERATORS).toEqual(MATCH_OPERATORS);
    expect(WEEKDAYS).toEqual(SERVER_WEEKDAYS);
    expect(INTEGRATION_KINDS).toEqual(SERVER_KINDS);
    expect(URGENCIES).toEqual(SERVER_URGENCIES);
  });
});

describe('parseLabels', () => {
  it('reads name=value lines, with or without quotes', () => {
    expect(parseLabels('alertname=DiskFull\n  env = "prod"\n\nteam="db, storage"')).toEqual({
      alertname: 'DiskFull',
      env: 'prod',
      team: 'db, storage',
    });
  });

  it('reads a JSON object and the Prometheus {a="b", c="d"} form', () => {
    expect(parseLabels('{"alertname": "DiskFull", "env": "prod"}')).toEqual({
      alertname: 'DiskFull',
      env: 'prod',
    });
    expect(parseLabels('{alertname="DiskFull", env="prod"}')).toEqual({ alertname: 'DiskFull', env: 'prod' });
  });

  it('takes nothing as no labels, and names the line it cannot read', () => {
    expect(parseLabels('  ')).toEqual({});
    expect(() => parseLabels('alertname=DiskFull\njust words')).toThrow(/just words/);
    expect(() => parseLabels('{"env": 1}')).toThrow(/env must be a string/);
  });
});

describe('matchers', () => {
  it('round-trips the four operators as Alertmanager writes them', () => {
    for (const op of ['=', '!=', '=~', '!~'] as const) {
      const matcher = matcherFrom('env', op, 'prod|staging');
      expect(operatorOf(matcher)).toBe(op);
      expect(formatMatcher(matcher)).toBe(`env${op}"prod|staging"`);
    }
  });

  it('treats a missing isEqual as equal, as stored Alertmanager JSON does', () => {
    expect(operatorOf({ name: 'env', value: 'prod', isRegex: false })).toBe('=');
  });
});
