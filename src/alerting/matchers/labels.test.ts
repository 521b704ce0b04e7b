import { describe, expect, it } from 'vitest';
import { isValidLabelName, LABEL_LIMITS, labelValue, normalizeLabels, validateLabels } from './labels.ts';

describe('validateLabels', () => {
  it('accepts a valid set', () => {
    expect(
      validateLabels({ alertname: 'Down', _team: 'db', job9: '', severity: 'critical' }, '/labels'),
    ).toEqual([]);
  });

  it('reports every bad entry with a JSON pointer, as Alertmanager refuses them', () => {
    // Alertmanager 0.25 refused `"": "1"`, `"1a": "1"` and `"a:b": "1"` with `invalid label set: invalid name ...`.
    const errors = validateLabels(
      { '': '1', '1a': '1', 'a:b': '1', 'a/b~c': 'x', n: 5, o: null, p: ['x'] },
      '/alerts/0/labels',
    );
    expect(errors).toEqual([
      { pointer: '/alerts/0/labels/', detail: 'label name must not be empty' },
      {
        pointer: '/alerts/0/labels/1a',
        detail: 'invalid label name "1a": it must match [a-zA-Z_][a-zA-Z0-9_]*',
      },
      {
        pointer: '/alerts/0/labels/a:b',
        detail: 'invalid label name "a:b": it must match [a-zA-Z_][a-zA-Z0-9_]*',
      },
      {
        pointer: '/alerts/0/labels/a~1b~0c',
        detail: 'invalid label name "a/b~c": it must match [a-zA-Z_][a-zA-Z0-9_]*',
      },
      { pointer: '/alerts/0/labels/n', detail: 'label value must be a string, not a number' },
      { pointer: '/alerts/0/labels/o', detail: 'label value must be a string, not null' },
      { pointer: '/alerts/0/labels/p', detail: 'label value must be a string, not an array' },
    ]);
  });

  it('refuses a non-object', () => {
    for (const labels of [null, 'x', ['a'], 3]) {
      expect(validateLabels(labels, '/labels')).toEqual([
        { pointer: '/labels', detail: 'labels must be an object mapping label names to string values' },
      ]);
    }
  });

  it('enforces the count, name length and value length limits, naming the limit', () => {
    const many = Object.fromEntries(
      Array.from({ length: LABEL_LIMITS.maxLabels + 1 }, (_, i) => [`l${i}`, 'v']),
    );
    expect(validateLabels(many, '/labels')).toEqual([
      { pointer: '/labels', detail: 'too many labels: 65, the limit is 64 labels per alert' },
    ]);
    const atLimit = Object.fromEntries(
      Array.from({ length: LABEL_LIMITS.maxLabels }, (_, i) => [`l${i}`, 'v']),
    );
    expect(validateLabels(atLimit, '/labels')).toEqual([]);

    const longName = `a${'b'.repeat(LABEL_LIMITS.maxNameLength)}`;
    expect(validateLabels({ [longName]: 'x', [longName.slice(1)]: 'x' }, '/l')).toEqual([
      { pointer: `/l/${longName}`, detail: 'label name is too long: the limit is 128 characters' },
    ]);
    expect(validateLabels({ v: 'x'.repeat(4097), w: 'x'.repeat(4096) }, '/l')).toEqual([
      { pointer: '/l/v', detail: 'label value is too long: the limit is 4096 characters' },
    ]);
  });

  it('counts characters, not UTF-16 units, against the value limit', () => {
    expect(validateLabels({ v: '🔥'.repeat(4096) }, '/l')).toEqual([]);
    expect(validateLabels({ v: '🔥'.repeat(4097) }, '/l')).toHaveLength(1);
  });
});

describe('normalizeLabels', () => {
  it('drops empty values, sorts keys and freezes the result', () => {
    const out = normalizeLabels({ zone: 'eu', team: '', alertname: 'Down', B: 'x' });
    expect(JSON.stringify(out)).toBe('{"B":"x","alertname":"Down","zone":"eu"}');
    expect(Object.isFrozen(out)).toBe(true);
  });

  it('keeps labels named like Object.prototype members as plain own labels', () => {
    const out = normalizeLabels({ ['__proto__']: 'p', constructor: 'c' });
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__', 'constructor']);
    expect(labelValue(out, '__proto__')).toBe('p');
  });
});

describe('labelValue', () => {
  it('reads an absent label, even one named like a prototype member, as the empty string', () => {
    expect(labelValue({ a: 'x' }, 'a')).toBe('x');
    expect(labelValue({ a: 'x' }, 'b')).toBe('');
    expect(labelValue({}, 'constructor')).toBe('');
    expect(labelValue({}, 'toString')).toBe('');
  });
});

describe('isValidLabelName', () => {
  it('follows the Prometheus rule', () => {
    expect(['a', '_', 'A_9', '__name__'].every(isValidLabelName)).toBe(true);
    expect(['', '9a', 'a-b', 'a:b', 'a.b', 'é', ' a'].some(isValidLabelName)).toBe(false);
  });
});
