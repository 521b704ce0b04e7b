import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * The process's JSON-schema validators, created on first use and shared by every edge that validates: HTTP
 * bodies and job payloads use the strict one (no type coercion, unknown properties are errors, never silently
 * removed); query strings, params and headers arrive as text and use the coercing one.
 */
const base: Options = { allErrors: true, strict: false, removeAdditional: false, useDefaults: true };

let strict: Ajv | undefined;
let coercing: Ajv | undefined;

export const strictValidator = (): Ajv =>
  (strict ??= addFormats.default(new Ajv({ ...base, coerceTypes: false })));
export const coercingValidator = (): Ajv =>
  (coercing ??= addFormats.default(new Ajv({ ...base, coerceTypes: 'array' })));
