import { createServer } from 'node:net';

/**
 * A loopback port that was free a moment ago (the OS picks it; there is a small race until someone binds it).
 * Shared by the benchmarks and the black-box and browser tests, which all start real servers on 127.0.0.1.
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, host, resolve);
  });
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('could not get a free port');
  return address.port;
}
