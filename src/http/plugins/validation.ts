import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

/**
 * Two validators. Bodies are validated strictly: no type coercion (`"5"` is not 5), no silent stripping of
 * unknown properties (Fastify's default would drop them and answer 2xx). Query strings, params and headers
 * arrive as text, so they are coerced to the declared types.
 */
const base: Options = { allErrors: true, strict: false, removeAdditional: false, useDefaults: true };

export function registerValidation(app: FastifyInstance): void {
  const strict = addFormats.default(new Ajv({ ...base, coerceTypes: false }));
  const coercing = addFormats.default(new Ajv({ ...base, coerceTypes: 'array' }));
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? strict : coercing).compile(schema),
  );
}
