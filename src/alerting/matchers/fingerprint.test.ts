import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fingerprint } from './fingerprint.ts';

/** FNV-1a 64 written the obvious way (BigInt, TextEncoder), to check the fast path against. */
function referenceFingerprint(labels: Record<string, string>): string {
  const mask = (1n << 64n) - 1n;
  let hash = 0xcbf29ce484222325n;
  const add = (bytes: Iterable<number>) => {
    for (const b of bytes) hash = ((hash ^ BigInt(b)) * 0x100000001b3n) & mask;
  };
  const utf8 = new TextEncoder();
  for (const name of Object.keys(labels).sort()) {
    if (labels[name] === '') continue;
    add(utf8.encode(name));
    add([0xff]);
    add(utf8.encode(labels[name]));
    add([0xff]);
  }
  return hash.toString(16).padStart(16, '0');
}

describe('fingerprint', () => {
  // Recorded from prometheus-alertmanager 0.25.0: POST /api/v2/alerts, then the `fingerprint` of GET /api/v2/alerts.
  const groundTruth: [Record<string, string>, string][] = [
    [{ alertname: 'HighLatency' }, '73dbeed5635ea4e4'],
    [{ alertname: 'HighLatency', service: 'api', severity: 'critical' }, '6a4f37c34a2d1e4b'],
    [{ zone: 'eu-1', alertname: 'DiskFull', instance: 'db-1:9100', job: 'node' }, '7c358609e523e6ae'],
    [{ alertname: 'Überlast', team: 'größe' }, '74c9bffb05e5edca'],
    [{ alertname: 'Latency', region: '東京', emoji: '🔥 fire' }, 'c937c533b0c10c30'],
    [{ alertname: 'Multi', msg: 'line1\nline2', quote: 'say "hi"', bs: 'a\\b' }, '83dac310d6d93bc3'],
    [{ a: 'b', b: 'a' }, 'd25d7eb90e938569'],
    [{ _under: 'x', A: 'upper', a: 'lower', constructor: 'c', ['__proto__']: 'p' }, 'd6988bd4240d1838'],
    [{ alertname: 'Weird', v: 'a\u0000b\u00ff\u0100\uffff' }, 'e33af9d87912c811'],
    [{ alertname: 'Trail', v: 'a\n' }, 'a82dfa4abe180e57'],
    [{ alertname: 'Lone2', v: 'x\ufffdy' }, '90f6a7c87c5c0186'],
  ];

  it.each(groundTruth)('matches Alertmanager 0.25 for %j', (labels, expected) => {
    expect(fingerprint(labels)).toBe(expected);
    expect(referenceFingerprint(labels)).toBe(expected);
  });

  it('treats an empty value as an absent label, as Alertmanager does before hashing', () => {
    // Alertmanager stored {alertname: EmptyDrop, team: "", x: "1"} and {alertname: EmptyDrop, x: "1"} as one alert.
    expect(fingerprint({ alertname: 'EmptyDrop', team: '', x: '1' })).toBe('9d8dc9b485057203');
    expect(fingerprint({ alertname: 'EmptyDrop', x: '1' })).toBe('9d8dc9b485057203');
    expect(fingerprint({ a: 'b', aa: '', b: 'a' })).toBe('d25d7eb90e938569');
  });

  it('hashes an unpaired surrogate as U+FFFD, like Alertmanager decoding the same JSON', () => {
    // Alertmanager 0.25 returned bcfd728b907d27d6 for {"alertname":"Lone","v":"x\ud800y"}.
    expect(fingerprint({ alertname: 'Lone', v: 'x\ud800y' })).toBe('bcfd728b907d27d6');
    expect(fingerprint({ alertname: 'Lone', v: 'x\ufffdy' })).toBe('bcfd728b907d27d6');
    expect(fingerprint({ alertname: 'Lone', v: 'x\udc00' })).toBe(
      fingerprint({ alertname: 'Lone', v: 'x\ufffd' }),
    );
  });

  it('does not depend on key order, and the empty set is the FNV offset basis', () => {
    expect(fingerprint({ severity: 'critical', service: 'api', alertname: 'HighLatency' })).toBe(
      '6a4f37c34a2d1e4b',
    );
    expect(fingerprint({})).toBe('cbf29ce484222325');
    expect(fingerprint({ only: '' })).toBe('cbf29ce484222325');
  });

  it('separates name and value, so moving a character across the boundary changes the hash', () => {
    expect(fingerprint({ ab: 'c' })).not.toBe(fingerprint({ a: 'bc' }));
    expect(fingerprint({ a: 'b', c: 'd' })).not.toBe(fingerprint({ a: 'bc', d: '' }));
  });

  it('agrees with a BigInt reference on arbitrary label sets', () => {
    const name = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,12}$/);
    const value = fc.oneof(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), fc.string());
    fc.assert(
      fc.property(fc.dictionary(name, value, { maxKeys: 8 }), (labels) => {
        expect(fingerprint(labels)).toBe(referenceFingerprint(labels));
      }),
      { numRuns: 300 },
    );
  });
});
