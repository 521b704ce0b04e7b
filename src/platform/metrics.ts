import { collectDefaultMetrics, Registry } from 'prom-client';

/** One registry per app instance (not prom-client's global), so tests can build several apps in one process. */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}
