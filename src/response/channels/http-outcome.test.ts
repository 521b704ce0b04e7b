import { describe, expect, it } from 'vitest';
import { epochMs } from '../../platform/clock.ts';
import { OutboundError, type OutboundResponse } from '../../platform/net/outbound.ts';
import { outcomeFromError, outcomeFromHttp, parseRetryAfter } from './http-outcome.ts';

const answer = (status: number, headers: Record<string, string> = {}, body = ''): OutboundResponse => ({
  status,
  headers,
  body,
  truncated: false,
});

describe('reading an HTTP answer as a send outcome', () => {
  it.each([200, 201, 202, 204])('%i is sent', (status) => {
    expect(outcomeFromHttp(answer(status))).toEqual({ status: 'sent', statusCode: status });
  });

  it.each([408, 425, 429, 500, 502, 503, 504])('%i is temporary', (status) => {
    expect(outcomeFromHttp(answer(status, {}, 'oops'))).toEqual({
      status: 'failed_temporary',
      reason: `HTTP ${status}: oops`,
      statusCode: status,
    });
  });

  it.each([400, 401, 403, 404, 410, 413, 422])(
    '%i is permanent, with a short excerpt of the body',
    (status) => {
      const outcome = outcomeFromHttp(answer(status, {}, `  channel_not_found\n\r${'x'.repeat(500)}`));
      expect(outcome.status).toBe('failed_permanent');
      expect(outcome).toMatchObject({ statusCode: status });
      const reason = (outcome as { reason: string }).reason;
      expect(reason.startsWith(`HTTP ${status}: channel_not_found x`)).toBe(true);
      expect(reason.length).toBeLessThan(220);
    },
  );

  it('a redirect is permanent and says it was not followed', () => {
    expect(outcomeFromHttp(answer(302, { location: 'http://127.0.0.2/' }))).toEqual({
      status: 'failed_permanent',
      statusCode: 302,
      reason: 'HTTP 302: redirect to http://127.0.0.2/ not followed (point the destination at the final URL)',
    });
  });

  it('honours Retry-After in seconds and as an HTTP-date', () => {
    expect(outcomeFromHttp(answer(429, { 'retry-after': '30' }))).toMatchObject({
      status: 'failed_temporary',
      retryAfterMs: 30_000,
    });
    // Measured against the provider's own Date header when there is one...
    const withDate = answer(503, {
      'retry-after': 'Wed, 21 Oct 2026 07:28:00 GMT',
      date: 'Wed, 21 Oct 2026 07:26:30 GMT',
    });
    expect(outcomeFromHttp(withDate)).toMatchObject({ retryAfterMs: 90_000 });
    // ...and against our clock otherwise.
    const noDate = answer(503, { 'retry-after': 'Wed, 21 Oct 2026 07:28:00 GMT' });
    expect(outcomeFromHttp(noDate, epochMs(Date.parse('2026-10-21T07:27:00Z')))).toMatchObject({
      retryAfterMs: 60_000,
    });
    expect(outcomeFromHttp(noDate)).not.toHaveProperty('retryAfterMs');
  });

  it('ignores unreadable Retry-After values and clamps absurd ones', () => {
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter('-5')).toBeUndefined();
    expect(parseRetryAfter('99999999')).toBe(24 * 60 * 60 * 1000);
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:28:00 GMT', 'Wed, 21 Oct 2026 08:00:00 GMT')).toBe(0);
  });
});

describe('reading a failed request as a send outcome', () => {
  it('a policy refusal is permanent: nothing was sent and retrying will not help', () => {
    expect(outcomeFromError(new OutboundError('blocked', '10.0.0.1 is a private address', false))).toEqual({
      status: 'failed_permanent',
      reason: 'refused by the outbound policy: 10.0.0.1 is a private address',
    });
  });

  it('a timeout or network failure is temporary and carries whether the request may have arrived', () => {
    expect(
      outcomeFromError(new OutboundError('timeout', 'no complete answer within 10000 ms', true)),
    ).toEqual({
      status: 'failed_temporary',
      reason: 'timed out: no complete answer within 10000 ms',
      maybeDelivered: true,
    });
    expect(outcomeFromError(new OutboundError('network', 'ECONNREFUSED', false))).toEqual({
      status: 'failed_temporary',
      reason: 'network error: ECONNREFUSED',
      maybeDelivered: false,
    });
  });

  it('anything else is a bug: temporary, and possibly delivered', () => {
    expect(outcomeFromError(new TypeError('boom'))).toEqual({
      status: 'failed_temporary',
      reason: 'unexpected error: boom',
      maybeDelivered: true,
    });
  });
});
