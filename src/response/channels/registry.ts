import type { Destination, DestinationProblem } from './notifier.ts';

/**
 * Problems with a destination's settings, by kind, checked without the network (creation of channels and contact
 * methods). Filled in as each channel lands.
 */
export function destinationProblems(_dest: Destination): DestinationProblem[] {
  return [];
}
