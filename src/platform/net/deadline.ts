/**
 * A signal that aborts after `ms` (with a `TimeoutError`, as `AbortSignal.timeout` does) or when `parent` aborts,
 * and whose timer and parent listener go away when the work is done.
 *
 * `AbortSignal.timeout` cannot be cancelled: every request leaves a timer that fires after the request finished,
 * builds a `DOMException` and dispatches an abort event to whatever still follows it (`AbortSignal.any` keeps its
 * followers). At a thousand notifications a second that was about 1.5 % of the server's event loop.
 */
export async function withDeadline<T>(
  ms: number,
  parent: AbortSignal | undefined,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const onParentAbort = () => controller.abort(parent?.reason);
  if (parent?.aborted) controller.abort(parent.reason);
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  const timer = setTimeout(
    () => controller.abort(new DOMException(`no answer within ${ms} ms`, 'TimeoutError')),
    ms,
  );
  try {
    return await work(controller.signal);
  } finally {
    clearTimeout(timer);
    parent?.removeEventListener('abort', onParentAbort);
  }
}
