import { Type, type Static } from 'typebox';

export const CheckResult = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('fail')]),
  detail: Type.Optional(Type.String()),
});

export const Readiness = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not_ready')]),
  checks: Type.Object({ database: CheckResult, migrations: CheckResult }),
});
export type Readiness = Static<typeof Readiness>;

export const Liveness = Type.Object({ status: Type.Literal('ok') });

export const About = Type.Object({
  name: Type.Literal('siaga'),
  version: Type.String(),
  node: Type.String({ description: 'Node.js version the server runs on' }),
  database: Type.Object({ dialect: Type.Union([Type.Literal('sqlite'), Type.Literal('postgres')]) }),
  startedAt: Type.String({ format: 'date-time' }),
  uptimeSeconds: Type.Integer({ minimum: 0 }),
});
export type About = Static<typeof About>;

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    instance: Type.String(),
    code: Type.String(),
    requestId: Type.String(),
    errors: Type.Optional(Type.Array(Type.Object({ pointer: Type.String(), detail: Type.String() }))),
  },
  { additionalProperties: true, description: 'RFC 9457 problem details' },
);
