import { Type } from 'typebox';
import { CONTACT_KINDS, MAX_DELAY_MINUTES, URGENCIES } from './model.ts';
import { MAX_ADDRESS_LENGTH } from './addresses.ts';

/** HTTP schemas of contact methods and notification rules; per-kind address rules are checked by the verbs. */

const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z]{2,8}_[0-9A-Za-z]{10,40}$' });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const IdParams = Type.Object({ id: Id });
export const UserParams = Type.Object({ userId: Id });
export const UserIdParams = Type.Object({ userId: Id, id: Id });

/** Actions without input take `{}` or no body at all (see the catalog's NoBody). */
export const NoBody = Type.Unsafe<Record<string, never> | undefined>({
  properties: {},
  additionalProperties: false,
  not: { type: ['string', 'number', 'integer', 'boolean', 'array'] },
  description: 'no input: send nothing, or {}',
});

export const ContactKindSchema = Type.Union(CONTACT_KINDS.map((k) => Type.Literal(k)));
export const UrgencySchema = Type.Union(URGENCIES.map((u) => Type.Literal(u)));

const Name = Type.String({ minLength: 1, maxLength: 100 });
const Address = Type.String({
  minLength: 1,
  maxLength: MAX_ADDRESS_LENGTH,
  description:
    'email: an e-mail address; sms, voice: E.164 (+14155550123); slack_dm: a member id (U024BE7LH); telegram: a chat id or @channel; ntfy: a topic or https topic URL; webhook: an http(s) URL; push: the subscription endpoint',
});
const PushKeys = Type.Object(
  {
    p256dh: Type.String({ minLength: 1, maxLength: 200 }),
    auth: Type.String({ minLength: 1, maxLength: 100 }),
  },
  {
    additionalProperties: false,
    description: 'web push only: PushSubscription.toJSON().keys; never shown again',
  },
);

export const CreateContactMethodBody = Type.Object(
  { kind: ContactKindSchema, name: Type.Optional(Name), address: Address, keys: Type.Optional(PushKeys) },
  { additionalProperties: false },
);

export const UpdateContactMethodBody = Type.Object(
  { name: Type.Optional(Name), address: Type.Optional(Address), keys: Type.Optional(PushKeys) },
  { additionalProperties: false, minProperties: 1 },
);

const Endpoint = (description: string) =>
  Type.String({ minLength: 1, maxLength: MAX_ADDRESS_LENGTH, description });

/** What the service worker sends on `pushsubscriptionchange`: the ended subscription's endpoint and the new one. */
export const RenewPushSubscriptionBody = Type.Object(
  {
    oldEndpoint: Endpoint(
      'the endpoint of the subscription that ended (event.oldSubscription.endpoint): names your push contact method',
    ),
    endpoint: Endpoint('the new subscription’s https:// endpoint'),
    keys: PushKeys,
  },
  { additionalProperties: false },
);

export const VerifyBody = Type.Object(
  { code: Type.String({ minLength: 1, maxLength: 20, description: 'the 6-digit code sent to the method' }) },
  { additionalProperties: false },
);

export const ContactMethodView = Type.Object({
  id: Type.String(),
  userId: Type.String(),
  kind: ContactKindSchema,
  name: Type.String(),
  address: Type.String(),
  verified: Type.Boolean(),
  verifiedAt: Nullable(Type.String()),
  disabled: Type.Boolean(),
  disabledAt: Nullable(Type.String()),
  expired: Type.Boolean({
    description:
      'the provider said the destination is gone (a push service answered 404/410 for the subscription): not paged until it reaches somewhere again (a renewed or new subscription)',
  }),
  expiredAt: Nullable(Type.String()),
  expiredReason: Nullable(Type.String({ description: 'what the provider answered, for the owner' })),
  verification: Type.Union([
    Type.Object({
      codeSent: Type.Boolean(),
      expiresAt: Nullable(Type.String()),
      attemptsLeft: Type.Integer(),
    }),
    Type.Null(),
  ]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const CreatedContactMethodView = Type.Intersect([
  ContactMethodView,
  Type.Object({
    signingSecret: Type.Optional(
      Type.String({
        description:
          'webhook only: the HMAC secret its requests are signed with. Shown only in this response; store it now.',
      }),
    ),
  }),
]);

export const CreateNotificationRuleBody = Type.Object(
  {
    contactMethodId: Id,
    urgency: UrgencySchema,
    delayMinutes: Type.Integer({ minimum: 0, maximum: MAX_DELAY_MINUTES }),
  },
  { additionalProperties: false },
);

export const NotificationRuleView = Type.Object({
  id: Type.String(),
  contactMethodId: Type.String(),
  contactMethodKind: ContactKindSchema,
  contactMethodName: Type.String(),
  urgency: UrgencySchema,
  delayMinutes: Type.Integer(),
  active: Type.Boolean({
    description: 'the method is verified, enabled and not expired, so this rule pages',
  }),
  createdAt: Type.String(),
});

export const NotificationRulesView = Type.Object({
  high: Type.Array(NotificationRuleView),
  low: Type.Array(NotificationRuleView),
});

export const NotificationSetupView = Type.Object({
  contactMethods: Type.Array(ContactMethodView),
  rules: NotificationRulesView,
  warnings: Type.Array(
    Type.Object({
      code: Type.Union([
        Type.Literal('no_verified_method'),
        Type.Literal('no_immediate_high_urgency_rule'),
        Type.Literal('single_method'),
        Type.Literal('method_without_rule'),
        Type.Literal('method_expired'),
      ]),
      message: Type.String(),
    }),
  ),
});
