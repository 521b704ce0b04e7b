import { ApiError } from '../api/client.ts';

/** "the email is taken" → "The email is taken." — server details are sentence fragments. */
export function sentence(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return trimmed;
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?)]$/.test(capital) ? capital : `${capital}.`;
}

/** What to tell a person about a failed call: the server's own words when it gave some. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 403 && /csrf/i.test(error.detail ?? '')) {
      return 'Your session changed in another tab, so this was not saved. The page has been refreshed; please try again.';
    }
    return error.detail !== undefined ? sentence(error.detail) : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** `/body/email` and `/email` both name the field `email`. */
function fieldOf(pointer: string): string {
  return pointer.replace(/^\/(body|querystring|params)(?=\/)/, '').replace(/^\//, '');
}

export interface FormErrors {
  /** Per field, the server's complaint ("Must be at least 12 characters"). */
  fields: Record<string, string>;
  /** What is left to say above the form: the detail, unless every complaint landed on a visible field. */
  form: string | undefined;
}

/** Splits a failed submit into messages next to the fields the form shows and one message for the rest. */
export function formErrors(error: unknown, visibleFields: readonly string[]): FormErrors {
  if (error === null || error === undefined) return { fields: {}, form: undefined };
  const fields: Record<string, string> = {};
  let unplaced = false;
  if (error instanceof ApiError) {
    for (const { pointer, detail } of error.fieldErrors) {
      const field = fieldOf(pointer);
      if (visibleFields.includes(field)) fields[field] ??= sentence(detail);
      else unplaced = true;
    }
  }
  const placedAll = Object.keys(fields).length > 0 && !unplaced;
  return { fields, form: placedAll ? undefined : describeError(error) };
}
