import { STATUS_FILTERS, type AlertFilter, type StatusFilter } from '../../../api/alerting.ts';

export const ALERTS_PATH = '/detect/alerts';

/** How often live lists ask for news while the tab is visible (TanStack Query pauses them in a hidden tab). */
export const LIVE_INTERVAL_MS = 3_000;

export const alertHref = (id: string) => `${ALERTS_PATH}/${encodeURIComponent(id)}`;
export const incidentHref = (id: string) => `/detect/incidents/${encodeURIComponent(id)}`;

const isStatusFilter = (value: string | null): value is StatusFilter =>
  value !== null && (STATUS_FILTERS as readonly string[]).includes(value);

/** The filters live in the address (`?status=all&filter=env%3D"prod"`), so a view can be shared; open by default. */
export function alertFilterFrom(search: URLSearchParams): AlertFilter & { status: StatusFilter } {
  const status = search.get('status');
  const filter: AlertFilter & { status: StatusFilter } = { status: isStatusFilter(status) ? status : 'open' };
  for (const key of ['serviceId', 'filter', 'q'] as const) {
    const value = search.get(key);
    if (value) filter[key] = value;
  }
  return filter;
}

export function alertFilterSearch(filter: AlertFilter): string {
  const params = new URLSearchParams();
  if (filter.status && filter.status !== 'open') params.set('status', filter.status);
  for (const key of ['serviceId', 'filter', 'q'] as const) {
    const value = filter[key];
    if (value) params.set(key, value);
  }
  const query = params.toString();
  return query ? `?${query}` : '';
}

export const STATUS_FILTER_LABELS: Record<StatusFilter, string> = {
  open: 'Open',
  triggered: 'Triggered',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
  all: 'All',
};
