/** Why an alert opened no incident, in words: `silence:<id>`, `maintenance:<id>`, `inhibited:<rule>`, `flapping`. */
export function describeMuted(mutedBy: string): string {
  const [kind = '', ...rest] = mutedBy.split(':');
  const id = rest.join(':');
  switch (kind) {
    case 'silence':
      return `Silenced by silence ${id}.`;
    case 'maintenance':
      return `Held by maintenance window ${id}.`;
    case 'inhibited':
      return `Inhibited by rule ${id}: a related, more important alert is firing.`;
    case 'flapping':
      return 'Flapping: it fires and resolves too often, so it opens no incident until it settles.';
    default:
      return mutedBy;
  }
}
