/** Token lifetimes offered when creating one; "never" is allowed but not the default. */
export const EXPIRY_CHOICES = [
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '1 year' },
  { value: 'never', label: 'Never' },
] as const;
export type ExpiryChoice = (typeof EXPIRY_CHOICES)[number]['value'];

const DAY_MS = 86_400_000;

export function expiryToIso(choice: ExpiryChoice, now: number): string | undefined {
  return choice === 'never' ? undefined : new Date(now + Number(choice) * DAY_MS).toISOString();
}
