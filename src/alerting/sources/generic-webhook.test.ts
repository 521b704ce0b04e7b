import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { epochMs } from '../../platform/clock.ts';
import { type AppError, isAppError } from '../../platform/errors.ts';
import type { Fingerprinter } from './alertmanager-api.ts';
import batch from './fixtures/generic-webhook-batch.json' with { type: 'json' };
import {
  resolvePointer,
  toAlertEventsFromGeneric,
  validateGenericMapping,
  type GenericMapping,
} from './generic-webhook.ts';
import { createSandboxedLiquid } from './liquid.ts';

/** Any JSON value, kept shallow so a thousand runs stay fast. */
const anyJson = fc.jsonValue({ maxDepth: 3 });

const fingerprint: Fingerprinter = (labels) => `fp:${JSON.stringify(Object.entries(labels).sort())}`;
const now = epochMs(Date.parse('2026-11-23T19:45:00Z'));
const liquid = createSandboxedLiquid();
const opts = { now, fingerprint, liquid };

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (isAppError(e)) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

const uptimeMapping: GenericMapping = {
  itemsPointer: '/checks',
  summary: '{{ item.name }} is {{ item.state | downcase }}: {{ item.error | default: "recovered" }}',
  severity: '/priority',
  severityMap: { P3: 'info' },
  dedupKey: '/id',
  action: '/state',
  actionMap: { DOWN: 'trigger', UP: 'resolve' },
  labels: { region: '/region', url: '/url', tool: '{{ payload.source }}', team: 'web' },
};

describe('generic JSON webhook', () => {
  it('maps a batch of checks to one event each, with pointers, templates, severity and action maps', () => {
    const events = toAlertEventsFromGeneric(batch, validateGenericMapping(uptimeMapping), opts);
    expect(events).toEqual([
      {
        action: 'trigger',
        fingerprint: 'chk_7f3a',
        summary: 'Checkout API is down: HTTP 503 after 3 retries',
        severity: 'critical',
        labels: {
          region: 'eu-west',
          url: 'https://shop.example.com/api/health',
          tool: 'uptime-checker',
          team: 'web',
        },
        annotations: {},
        startsAt: now,
        endsAt: null,
        raw: batch.checks[0],
      },
      expect.objectContaining({
        action: 'resolve',
        fingerprint: 'chk_91bc',
        summary: 'Marketing site is up: recovered',
        severity: 'info',
        endsAt: now,
      }),
    ]);
  });

  it('makes the whole body one event when there is no itemsPointer', () => {
    const [event, ...rest] = toAlertEventsFromGeneric(
      { alert: { title: 'Queue backlog', level: 'CRITICAL' } },
      { summary: '/alert/title', severity: '/alert/level' },
      opts,
    );
    expect(rest).toEqual([]);
    expect(event).toMatchObject({ action: 'trigger', summary: 'Queue backlog', severity: 'critical' });
  });

  it('follows RFC 6901: ~1 is "/", ~0 is "~", array indices, "" is the whole item', () => {
    const doc = { 'a/b': { 'm~n': ['zero', 'one'] }, n: 0 };
    expect(resolvePointer(doc, '/a~1b/m~0n/1')).toBe('one');
    expect(resolvePointer(doc, '')).toBe(doc);
    expect(resolvePointer(doc, '/a~1b/m~0n/01')).toBeUndefined();
    expect(resolvePointer(doc, '/a~1b/m~0n/-')).toBeUndefined();
    expect(resolvePointer(doc, '/constructor')).toBeUndefined();
    expect(resolvePointer(doc, '/n')).toBe(0);
    const [event] = toAlertEventsFromGeneric(doc, { summary: '', labels: { n: '/n' } }, opts);
    expect(event?.summary).toBe(JSON.stringify(doc));
    expect(event?.labels).toEqual({ n: '0' });
  });

  it('without a dedup key, the same labels and summary are the same alert and another summary is another', () => {
    const mapping = { summary: '/title', labels: { host: '/host' } };
    const key = (title: string) =>
      toAlertEventsFromGeneric({ title, host: 'db-1' }, mapping, opts)[0]?.fingerprint;
    expect(key('disk full')).toBe(key('disk full'));
    expect(key('disk full')).not.toBe(key('cpu hot'));
    expect(key('disk full')).toBe(fingerprint({ host: 'db-1', __summary__: 'disk full' }));
  });

  it('prints payload values literally: a label holding template syntax is not rendered again', () => {
    const [event] = toAlertEventsFromGeneric(
      { title: '{{ payload | json }} ${7*7} {% raw %}' },
      { summary: '{{ item.title }}', labels: { t: '/title' } },
      opts,
    );
    expect(event?.summary).toBe('{{ payload | json }} ${7*7} {% raw %}');
    expect(event?.labels['t']).toBe('{{ payload | json }} ${7*7} {% raw %}');
  });

  it('gives nothing to template injection attempts, and refuses JavaScript-call syntax when saved', () => {
    const [event] = toAlertEventsFromGeneric(
      { title: 'x' },
      {
        summary:
          '{{ constructor.name }}{{ item.constructor.name }}{{ payload.__proto__ }}{{ item.title.constructor }}',
        labels: { env: '{{ process.env.HOME }}{{ global.process }}{{ this }}' },
      },
      opts,
    );
    // Nothing rendered: the summary falls back to the dedup fingerprint, the label is absent.
    expect(event?.summary).toBe(fingerprint({}));
    expect(event?.labels).toEqual({});
    const e = refusal(() =>
      validateGenericMapping({ summary: "{{ constructor.constructor('return process')().env }}" }),
    );
    expect(e.errors?.[0]?.detail).toMatch(/^summary: template syntax error/);
  });

  it('stops a mapping whose template loops forever, naming the field and the item', () => {
    const e = refusal(() =>
      toAlertEventsFromGeneric(
        batch,
        { itemsPointer: '/checks', summary: '{% for i in (1..1000000000) %}{{ i }}{% endfor %}' },
        opts,
      ),
    );
    expect(e.code).toBe('validation');
    expect(e.message).toMatch(/^summary: template stopped: memory alloc limit exceeded/);
    expect(e.errors?.[0]?.pointer).toBe('/checks/0');
  });

  it('caps outputs: summary at 1,024 characters, labels at 4,096', () => {
    const [event] = toAlertEventsFromGeneric(
      {},
      {
        summary: '{% for i in (1..600) %}ab{% endfor %}',
        labels: { big: '{% for i in (1..1500) %}abc{% endfor %}' },
      },
      opts,
    );
    expect(event?.summary).toHaveLength(1_024);
    expect(event?.labels['big']).toHaveLength(4_096);
  });

  it('refuses an action it cannot place rather than guessing, listing the mapped values', () => {
    const e = refusal(() =>
      toAlertEventsFromGeneric({ checks: [{ state: 'PENDING', id: 'x' }] }, uptimeMapping, opts),
    );
    expect(e.errors).toEqual([
      {
        pointer: '/checks/0',
        detail:
          'action "PENDING" is not one of trigger, acknowledge, resolve nor a key of actionMap (DOWN, UP)',
      },
    ]);
  });

  it('refuses a payload without the array the mapping expects', () => {
    const e = refusal(() => toAlertEventsFromGeneric({ checks: 'none' }, uptimeMapping, opts));
    expect(e.message).toBe("expected an array at /checks (the mapping's itemsPointer)");
  });

  it('hashes a dedup key longer than 255 characters, keeping it stable', () => {
    const mapping = { summary: 'x', dedupKey: '/id' };
    const [a] = toAlertEventsFromGeneric({ id: 'k'.repeat(300) }, mapping, opts);
    const [b] = toAlertEventsFromGeneric({ id: 'k'.repeat(300) }, mapping, opts);
    expect(a?.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(a?.fingerprint).toBe(b?.fingerprint);
  });

  it('answers any JSON body with events or an AppError, never another exception', () => {
    const mapping = validateGenericMapping({ ...uptimeMapping, itemsPointer: undefined });
    fc.assert(
      fc.property(anyJson, (body) => {
        try {
          toAlertEventsFromGeneric(body, mapping, opts);
        } catch (e) {
          expect(isAppError(e)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('validating a generic mapping when it is saved', () => {
  it('accepts a good mapping and returns it typed', () => {
    expect(validateGenericMapping(uptimeMapping)).toBe(uptimeMapping);
  });

  it('names every broken field: syntax, unknown filter, file tags, label names, maps, pointers, unknown keys', () => {
    const e = refusal(() =>
      validateGenericMapping({
        summary: '{{ item.title',
        severity: '{{ item.level | shout }}',
        dedupKey: '/id~2',
        labels: { team: "{% include 'x' %}", 'bad-name': '/x', n: 3 },
        severityMap: { P1: 'urgent' },
        actionMap: { ok: 'close' },
        itemsPointer: 'checks',
        titel: 'typo',
      }),
    );
    expect(e.code).toBe('validation');
    expect(e.errors?.map((x) => x.pointer)).toEqual([
      '/titel',
      '/summary',
      '/severity',
      '/dedupKey',
      '/labels/team',
      '/labels/bad-name',
      '/labels/n',
      '/severityMap/P1',
      '/actionMap/ok',
      '/itemsPointer',
    ]);
    const detail = (p: string) => e.errors?.find((x) => x.pointer === p)?.detail;
    expect(detail('/summary')).toMatch(/^summary: template syntax error: output "{{ item.title" not closed/);
    expect(detail('/severity')).toMatch(/^severity: .*undefined filter: shout/);
    expect(detail('/labels/team')).toMatch(/^labels\.team: .*tag "include" not found/);
    expect(detail('/dedupKey')).toBe('dedupKey: invalid JSON pointer (use ~0 for ~ and ~1 for /)');
    expect(detail('/labels/n')).toBe('labels.n must be a string, got 3');
    expect(detail('/severityMap/P1')).toBe(
      'severityMap values must be one of critical, error, warning, info, got "urgent"',
    );
    expect(e.message).toMatch(
      /^invalid webhook mapping: \/titel: unknown mapping field "titel" \(and 9 more\)$/,
    );
  });

  it('requires a summary', () => {
    expect(refusal(() => validateGenericMapping({ labels: {} })).errors).toEqual([
      { pointer: '/summary', detail: 'summary is required' },
    ]);
  });
});
