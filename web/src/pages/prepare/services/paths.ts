export const SERVICES_PATH = '/prepare/services';
export const serviceHref = (id: string) => `${SERVICES_PATH}/${encodeURIComponent(id)}`;
