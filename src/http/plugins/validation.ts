import { createRequire } from 'node:module';
import type { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { ValidateFunction } from 'ajv';
import { coercingValidator, strictValidator } from '../../platform/json-schema.ts';
import type { FastifySchema, FastifySchemaCompiler, FastifyServerOptions } from 'fastify';

/**
 * Two validators. Bodies are validated strictly: no type coercion (`"5"` is not 5), no silent stripping of
 * unknown properties (Fastify's default would drop them and answer 2xx). Query strings, params and headers
 * arrive as text, so they are coerced to the declared types.
 *
 * Validators and serializers are compiled on a route's first request rather than at start: most routes of an
 * idle node never run, and compiled code for every one of them would cost start-up time and memory for nothing.
 * For the same reason the serializer compiler (fast-json-stringify) is loaded by the first serializer built, and
 * the validator compiler is given to Fastify up front, so that it never loads its default one (AJV's JTD build
 * included) only to have it replaced.
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

const compileValidator: FastifySchemaCompiler<FastifySchema> = ({ schema, httpPart }) =>
  lazily(() => (httpPart === 'body' ? strictValidator() : coercingValidator()).compile(schema));

type Build = (route: unknown) => (data: unknown) => string;
type Compilers = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;

/** The validators above, and Fastify's own fast-json-stringify serializers, each built on first use. */
export const lazyCompilers: NonNullable<FastifyServerOptions['schemaController']> = {
  compilersFactory: {
    // Fastify types this factory as @fastify/ajv-compiler's; any function returning a schema compiler will do.
    buildValidator: (() => compileValidator) as unknown as NonNullable<Compilers['buildValidator']>,
    buildSerializer(externalSchemas: unknown, options: unknown) {
      let build: Build | undefined;
      const builder = (): Build =>
        (build ??= (
          (
            createRequire(import.meta.url)('@fastify/fast-json-stringify-compiler') as {
              SerializerSelector: typeof SerializerSelector;
            }
          ).SerializerSelector() as (s: unknown, o: unknown) => Build
        )(externalSchemas, options));
      return (route: unknown) => {
        let fn: ((data: unknown) => string) | undefined;
        return (data: unknown) => (fn ??= builder()(route))(data);
      };
    },
  },
};
