import { afterEach, describe, expect, it, vi } from 'vitest';
import { withDeadline } from './deadline.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('withDeadline', () => {
  it('aborts the work with a TimeoutError when the time is up', async () => {
    vi.useFakeTimers();
    const outcome = withDeadline(
      5_000,
      undefined,
      (signal) =>
        new Promise<string>((_resolve, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason as Error)),
        ),
    );
    const caught = outcome.catch((err: unknown) => err);
    await vi.advanceTimersByTimeAsync(4_999);
    await vi.advanceTimersByTimeAsync(1);
    expect(await caught).toMatchObject({ name: 'TimeoutError' });
  });

  it('passes on a cancellation from the caller, with its reason', async () => {
    const parent = new AbortController();
    let seen: unknown;
    const outcome = withDeadline(60_000, parent.signal, (signal) => {
      signal.addEventListener('abort', () => (seen = signal.reason));
      return new Promise((resolve) => signal.addEventListener('abort', () => resolve('stopped')));
    });
    parent.abort(new Error('shutting down'));
    expect(await outcome).toBe('stopped');
    expect(seen).toEqual(new Error('shutting down'));
  });

  it('leaves no timer and no listener behind once the work is done', async () => {
    vi.useFakeTimers();
    const parent = new AbortController();
    let inner: AbortSignal | undefined;
    expect(
      await withDeadline(1_000, parent.signal, async (signal) => {
        inner = signal;
        return 42;
      }),
    ).toBe(42);
    expect(vi.getTimerCount()).toBe(0);
    parent.abort();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(inner?.aborted).toBe(false);
  });
});
