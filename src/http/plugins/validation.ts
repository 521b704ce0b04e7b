import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { ValidateFunction } from 'ajv';
import { coercingValidator, strictValidator } from '../../platform/json-schema.ts';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';

/**
 * Two validators. Bodies are validated strictly: no type coercion (`"5"` is not 5), no silent stripping of
 * unknown properties (Fastify's default would drop them and answer 2xx). Query strings, params and headers
 * arrive as text, so they are coerced to the declared types.
 *
 * Validators and serializers are compiled on a route's first request rather than at start: most routes of an
 * idle node never run, and compiled code for every one of them would cost start-up time and memory for nothing.
 */
type Validate = ((data: unknown) => boolean) & { errors: NonNullable<ValidateFunction['errors']> | null };

function lazily(compile: () => ValidateFunction): Validate {
  let fn: ValidateFunction | undefined;
  const validate: Validate = Object.assign(
    (data: unknown) => {
      fn ??= compile();
      const ok = fn(data);
      validate.errors = fn.errors ?? null;
      return ok;
    },
    { errors: null },
  );
  return validate;
}

export function registerValidation(app: FastifyInstance): void {
  app.setValidatorCompiler(({ schema, httpPart }) =>
    lazily(() => (httpPart === 'body' ? strictValidator() : coercingValidator()).compile(schema)),
  );
}

/** Fastify's own fast-json-stringify serializers, each built on first use. */
export const lazySerializers: NonNullable<FastifyServerOptions['schemaController']> = {
  compilersFactory: {
    buildSerializer(externalSchemas: unknown, options: unknown) {
      const build = (
        SerializerSelector() as (s: unknown, o: unknown) => (r: unknown) => (d: unknown) => string
      )(externalSchemas, options);
      return (route: unknown) => {
        let fn: ((data: unknown) => string) | undefined;
        return (data: unknown) => (fn ??= build(route))(data);
      };
    },
  },
};
