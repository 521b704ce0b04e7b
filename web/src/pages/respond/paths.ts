export const ON_CALL_PATH = '/respond/on-call';
export const SCHEDULES_PATH = '/respond/schedules';
export const POLICIES_PATH = '/respond/escalation-policies';
export const CHANNELS_PATH = '/respond/channels';

export const scheduleHref = (id: string) => `${SCHEDULES_PATH}/${encodeURIComponent(id)}`;
export const policyHref = (id: string) => `${POLICIES_PATH}/${encodeURIComponent(id)}`;
