import type { ValidateFunction } from 'ajv';
import type { TSchema } from 'typebox';
import { strictValidator } from '../platform/json-schema.ts';

/** Job payloads are checked with the same strict JSON-schema validator as HTTP bodies. */
const compiled = new WeakMap<TSchema, ValidateFunction>();

export interface PayloadProblem {
  readonly pointer: string;
  readonly message: string;
}

/** Undefined when the payload matches its schema, else the first problem. */
export function checkPayload(schema: TSchema, payload: unknown): PayloadProblem | undefined {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = strictValidator().compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(payload)) return undefined;
  const e = validate.errors?.[0];
  return { pointer: e?.instancePath || '/', message: e?.message ?? 'invalid' };
}
