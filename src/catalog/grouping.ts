import { validationError } from '../platform/errors.ts';
import { DEFAULT_GROUPING, type Grouping } from './model.ts';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
export const MAX_GROUPING_LABELS = 10;

/**
 * Checks a grouping in the verb too (the HTTP schema already does), because the config file and other callers
 * reach the verbs without it; returns a normalised copy that holds nothing but its mode's fields.
 */
export function checkGrouping(g: Grouping | undefined): Grouping {
  if (g === undefined) return DEFAULT_GROUPING;
  switch (g.mode) {
    case 'sender':
    case 'alert':
      return { mode: g.mode };
    case 'labels': {
      const labels = [...new Set(g.labels)];
      if (labels.length < 1 || labels.length > MAX_GROUPING_LABELS)
        throw validationError(`group by 1 to ${MAX_GROUPING_LABELS} labels`, [
          { pointer: '/grouping/labels', detail: `must have 1 to ${MAX_GROUPING_LABELS} label names` },
        ]);
      labels.forEach((l, i) => {
        if (!LABEL_NAME.test(l) || l.length > 128)
          throw validationError(`${l} is not a label name`, [
            { pointer: `/grouping/labels/${i}`, detail: 'must be a label name ([a-zA-Z_][a-zA-Z0-9_]*)' },
          ]);
      });
      return { mode: 'labels', labels };
    }
  }
}
