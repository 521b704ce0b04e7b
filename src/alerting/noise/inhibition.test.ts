import { describe, expect, it } from 'vitest';
import type { Matcher } from '../matchers/index.ts';
import { fingerprint, parseMatchers } from '../matchers/index.ts';
import { findInhibitor, type InhibitionRule, type LabeledAlert } from './inhibition.ts';

const alert = (labels: Record<string, string>): LabeledAlert => ({
  fingerprint: fingerprint(labels),
  labels,
});
const rule = (id: string, source: string, target: string, equal: string[]): InhibitionRule => ({
  id,
  name: id,
  sourceMatchers: parseMatchers(source),
  targetMatchers: parseMatchers(target),
  equal,
});

const criticalMutesWarning = rule('r1', '{severity="critical"}', '{severity="warning"}', [
  'alertname',
  'cluster',
]);

describe('findInhibitor', () => {
  const warning = alert({ alertname: 'Latency', cluster: 'eu', severity: 'warning' });
  const critical = alert({ alertname: 'Latency', cluster: 'eu', severity: 'critical' });

  it('inhibits a target when a firing source matches and the equal labels agree', () => {
    expect(findInhibitor([criticalMutesWarning], warning, [critical])).toEqual({
      ruleId: 'r1',
      sourceFingerprint: critical.fingerprint,
    });
  });

  it('needs every equal label to agree', () => {
    const otherCluster = alert({ alertname: 'Latency', cluster: 'us', severity: 'critical' });
    expect(findInhibitor([criticalMutesWarning], warning, [otherCluster])).toBeNull();
  });

  it('treats a label missing on both sides as equal, and missing on one side as different', () => {
    const target = alert({ alertname: 'Latency', severity: 'warning' });
    const sourceWithout = alert({ alertname: 'Latency', severity: 'critical' });
    const sourceWith = alert({ alertname: 'Latency', severity: 'critical', cluster: 'eu' });
    expect(findInhibitor([criticalMutesWarning], target, [sourceWith])).toBeNull();
    expect(findInhibitor([criticalMutesWarning], target, [sourceWith, sourceWithout])).toEqual({
      ruleId: 'r1',
      sourceFingerprint: sourceWithout.fingerprint,
    });
  });

  it('ignores targets the rule does not cover and sources that do not match the source side', () => {
    const info = alert({ alertname: 'Latency', cluster: 'eu', severity: 'info' });
    expect(findInhibitor([criticalMutesWarning], info, [critical])).toBeNull();
    expect(findInhibitor([criticalMutesWarning], warning, [warning, info])).toBeNull();
  });

  it('never lets an alert inhibit itself', () => {
    const both = rule('self', '{alertname="Latency"}', '{alertname="Latency"}', []);
    const a = alert({ alertname: 'Latency' });
    expect(findInhibitor([both], a, [a])).toBeNull();
  });

  it('skips sources matching both sides when the target does too, so two such alerts do not mute each other', () => {
    // Alertmanager 0.25 inhibit.go: hasEqual(..., excludeTwoSidedMatch) when the target matches the source side.
    const everyLatency = rule('mutual', '{alertname="Latency"}', '{alertname="Latency"}', ['cluster']);
    const a = alert({ alertname: 'Latency', cluster: 'eu', instance: 'a' });
    const b = alert({ alertname: 'Latency', cluster: 'eu', instance: 'b' });
    expect(findInhibitor([everyLatency], a, [b])).toBeNull();
    expect(findInhibitor([everyLatency], b, [a])).toBeNull();
    // A target matching both sides can still be muted by a source matching only the source side.
    const sourceOnly = rule(
      'one-way',
      '{alertname=~"Latency|Down", tier!="edge"}',
      '{alertname="Latency"}',
      [],
    );
    const down = alert({ alertname: 'Down', cluster: 'eu' });
    expect(findInhibitor([sourceOnly], a, [b, down])).toEqual({
      ruleId: 'one-way',
      sourceFingerprint: down.fingerprint,
    });
  });

  it('returns the first rule in order that applies', () => {
    const never = rule('r0', '{severity="page"}', '{severity="warning"}', []);
    const wide = rule('r2', '{severity="critical"}', '{}', []);
    expect(findInhibitor([never, criticalMutesWarning, wide], warning, [critical])?.ruleId).toBe('r1');
    expect(findInhibitor([never, wide, criticalMutesWarning], warning, [critical])?.ruleId).toBe('r2');
  });

  it('reads a one-shot iterable of sources once, across several rules', () => {
    let reads = 0;
    function* sources() {
      reads++;
      yield critical;
    }
    const r0 = rule('r0', '{severity="page"}', '{severity="warning"}', []);
    expect(findInhibitor([r0, criticalMutesWarning], warning, sources())).toEqual({
      ruleId: 'r1',
      sourceFingerprint: critical.fingerprint,
    });
    expect(reads).toBe(1);
  });

  it('does not read the sources at all when no rule targets the alert', () => {
    const untouched: Iterable<LabeledAlert> = {
      [Symbol.iterator]: () => {
        throw new Error('sources were read');
      },
    };
    expect(findInhibitor([criticalMutesWarning], critical, untouched)).toBeNull();
  });

  it('uses regex and negative matchers with the missing-label semantics', () => {
    const m: Matcher[] = parseMatchers('{team!="db", alertname=~"Node.*"}');
    const r: InhibitionRule = {
      id: 'rx',
      name: 'rx',
      sourceMatchers: parseMatchers('{alertname="NodeDown"}'),
      targetMatchers: m,
      equal: ['instance'],
    };
    const target = alert({ alertname: 'NodeHighCpu', instance: 'n1' });
    const source = alert({ alertname: 'NodeDown', instance: 'n1' });
    expect(findInhibitor([r], target, [source])?.sourceFingerprint).toBe(source.fingerprint);
    expect(
      findInhibitor([r], alert({ alertname: 'NodeHighCpu', instance: 'n1', team: 'db' }), [source]),
    ).toBeNull();
  });
  it('mutes exactly the alerts Alertmanager 0.25 mutes with the same rules', () => {
    // Loaded into Alertmanager 0.25 with these inhibit_rules; `status.inhibitedBy` from GET /api/v2/alerts.
    const rules = [
      rule('crit', 'severity="critical"', 'severity="warning"', ['alertname', 'cluster']),
      rule('mutual', 'alertname="Mutual"', 'alertname="Mutual"', ['cluster']),
      rule('mutual2', 'alertname=~"Mutual2|Down2"', 'alertname="Mutual2"', []),
    ];
    const expected: [Record<string, string>, string, string | null][] = [
      [{ alertname: 'Latency', cluster: 'eu', severity: 'warning' }, 'ca69832ed9c604b7', 'd42a8dbb26c6a55c'],
      [{ alertname: 'Latency', cluster: 'eu', severity: 'critical' }, 'd42a8dbb26c6a55c', null],
      [{ alertname: 'Latency', cluster: 'us', severity: 'warning' }, '6b01b2680986adb9', null],
      [{ alertname: 'NoCluster', severity: 'warning' }, '5f0e3c6c8bea088c', '86922156c1dd07f9'],
      [{ alertname: 'NoCluster', severity: 'critical' }, '86922156c1dd07f9', null],
      [{ alertname: 'NoCluster2', severity: 'warning' }, '55ecb7925a71f746', null],
      [{ alertname: 'NoCluster2', severity: 'critical', cluster: 'eu' }, '254ff492ea845843', null],
      [{ alertname: 'Mutual', cluster: 'eu', instance: 'a' }, '4139bdb1a2471802', null],
      [{ alertname: 'Mutual', cluster: 'eu', instance: 'b' }, '412dbdb1a23b5d7d', null],
      [{ alertname: 'Mutual2', instance: 'a' }, '7561f16661ac4d14', '1771db1db15f9465'],
      [{ alertname: 'Down2', instance: 'x' }, '1771db1db15f9465', null],
    ];
    const firing = expected.map(([labels]) => alert(labels));
    for (const [labels, fp, inhibitedBy] of expected) {
      expect(fingerprint(labels)).toBe(fp);
      expect(findInhibitor(rules, alert(labels), firing)?.sourceFingerprint ?? null, fp).toBe(inhibitedBy);
    }
  });
});
