import { Ajv, type ValidateFunction } from 'ajv';
import type { TSchema } from 'typebox';

/** Job payloads are checked with the same JSON-schema validator as HTTP bodies (strict: no coercion). */
const ajv = new Ajv({ allErrors: false, strict: false, coerceTypes: false, removeAdditional: false });
const compiled = new WeakMap<TSchema, ValidateFunction>();

export interface PayloadProblem {
  readonly pointer: string;
  readonly message: string;
}

/** Undefined when the payload matches its schema, else the first problem. */
export function checkPayload(schema: TSchema, payload: unknown): PayloadProblem | undefined {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(payload)) return undefined;
  const e = validate.errors?.[0];
  return { pointer: e?.instancePath || '/', message: e?.message ?? 'invalid' };
}
