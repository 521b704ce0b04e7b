import { describe, expect, it } from 'vitest';
import { type AppError, isAppError } from '../../platform/errors.ts';
import { createSandboxedLiquid } from './liquid.ts';

const site = { field: 'summary', pointer: '/summary' };
const payload: unknown = JSON.parse('{"title":"disk full","host":"db-1","__proto__":{"polluted":"yes"}}');
const scope = { payload, item: payload };

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (isAppError(e)) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('sandboxed Liquid', () => {
  const liquid = createSandboxedLiquid();

  it('renders ordinary templates from the payload', () => {
    expect(liquid.render('{{ item.title | upcase }} on {{ payload.host }}', scope, site)).toBe(
      'DISK FULL on db-1',
    );
  });

  it('prints nothing for prototype and constructor lookups, however they are spelled', () => {
    const attempts = [
      '{{ constructor }}',
      '{{ item.constructor }}',
      '{{ item.constructor.constructor }}',
      "{{ item['constructor']['constructor'] }}",
      '{{ item.title.constructor }}',
      '{{ item.toString }}{{ item.hasOwnProperty }}{{ item.valueOf }}',
      "{% assign f = item.constructor.constructor %}{{ f | append: 'return process' }}",
      '{{ payload.constructor.prototype }}',
    ];
    for (const t of attempts) {
      const out = liquid.render(t, scope, site);
      expect(out, t).not.toMatch(/function|native code|Object|process\.env|\[object/);
      expect(out.replace('return process', ''), t).toBe('');
    }
    // `__proto__` sent in the JSON is the sender's own data, nothing more; Object.prototype is untouched.
    expect(liquid.render('{{ item.__proto__.polluted }}', scope, site)).toBe('yes');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('has no filesystem: include, render and layout are refused when the template is saved', () => {
    for (const t of ["{% include '/etc/passwd' %}", "{% render 'secrets' %}", "{% layout 'base' %}x"]) {
      const e = refusal(() => liquid.check(t, site));
      expect(e.code).toBe('validation');
      expect(e.message).toMatch(/^summary: template syntax error: tag "(include|render|layout)" not found/);
      expect(e.errors).toEqual([
        { pointer: '/summary', detail: expect.stringMatching(/not found/) as unknown },
      ]);
    }
  });

  it('refuses unknown filters up front instead of printing nothing', () => {
    expect(refusal(() => liquid.check('{{ item.title | shout }}', site)).message).toBe(
      'summary: template syntax error: undefined filter: shout, line:1, col:1',
    );
  });

  it('stops a loop bomb with a clear validation error', () => {
    const e = refusal(() => liquid.render('{% for i in (1..100000000) %}x{% endfor %}', scope, site));
    expect(e.code).toBe('validation');
    expect(e.message).toMatch(/^summary: template stopped: memory alloc limit exceeded/);
  });

  it('stops a slow template at the render time limit', () => {
    const slow =
      '{% for a in (1..990) %}{% for b in (1..990) %}{% assign c = b | plus: a %}{% endfor %}{% endfor %}';
    const started = performance.now();
    const e = refusal(() => liquid.render(slow, scope, site));
    expect(e.message).toMatch(/template stopped: template render limit exceeded/);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('stops a string that doubles itself before it eats the memory', () => {
    const e = refusal(() =>
      liquid.render(
        "{% assign s = 'xx' %}{% for i in (1..64) %}{% assign s = s | append: s %}{% endfor %}{{ s }}",
        scope,
        site,
      ),
    );
    expect(e.message).toMatch(/memory alloc limit exceeded/);
  });

  it('refuses templates longer than the limit', () => {
    const small = createSandboxedLiquid({ maxTemplateChars: 100 });
    expect(refusal(() => small.check('x'.repeat(101), site)).message).toBe(
      'summary: template is longer than 100 characters',
    );
  });

  it('shares one time budget across the renders of a request', () => {
    const budget = createSandboxedLiquid({ requestBudgetMs: 0 });
    const e = refusal(() => budget.render('{{ item.title }}', scope, site, budget.newBudget()));
    expect(e.message).toBe('summary: template stopped: this request used its 0 ms render budget');
  });
});
