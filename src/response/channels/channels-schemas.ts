import { Type } from 'typebox';
import { CHANNEL_KINDS } from '../../storage/migrations/0006-response.ts';
import { MAX_CHANNEL_SECRET_LENGTH, MAX_CHANNEL_SECRETS } from './channels.ts';

/** HTTP schemas of channels (TypeBox): bodies are validated strictly, responses serialised from these. */

const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z]{2,8}_[0-9A-Za-z]{10,40}$' });

export const IdParams = Type.Object({ id: Id });
export const ListChannelsQuery = Type.Object({ teamId: Type.Optional(Id) });

export const ChannelKindSchema = Type.Union(CHANNEL_KINDS.map((k) => Type.Literal(k)));

/** Per-kind settings that may be shown; the size limit (16 KiB of JSON) is checked by the verb. */
const ChannelConfig = Type.Record(Type.String({ maxLength: 200 }), Type.Unknown(), {
  description: 'settings that may be shown, e.g. address (e-mail, number, chat id, topic); never secrets',
});

const SecretName = Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,63}$' });
const SecretValue = Type.String({ minLength: 1, maxLength: MAX_CHANNEL_SECRET_LENGTH });

const ChannelSecrets = Type.Record(SecretName, SecretValue, {
  maxProperties: MAX_CHANNEL_SECRETS,
  additionalProperties: false,
  description: 'secret settings (webhookUrl, token...): sealed, never returned',
});

/** A change to the secrets, merged into those kept; the merged result holds at most 20 (checked by the verb). */
const ChannelSecretsPatch = Type.Record(SecretName, Type.Union([SecretValue, Type.Null()]), {
  maxProperties: 2 * MAX_CHANNEL_SECRETS,
  additionalProperties: false,
  description:
    'merged into the secrets the channel has: a string sets that secret, null removes it, secrets not named are kept',
});

const Name = Type.String({ minLength: 1, maxLength: 100 });

export const CreateChannelBody = Type.Object(
  {
    name: Name,
    teamId: Id,
    kind: ChannelKindSchema,
    config: Type.Optional(ChannelConfig),
    secrets: Type.Optional(ChannelSecrets),
  },
  { additionalProperties: false },
);

export const UpdateChannelBody = Type.Object(
  {
    name: Type.Optional(Name),
    teamId: Type.Optional(Id),
    config: Type.Optional(ChannelConfig),
    secrets: Type.Optional(ChannelSecretsPatch),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ChannelView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  teamId: Type.String(),
  kind: ChannelKindSchema,
  config: ChannelConfig,
  secretKeys: Type.Array(Type.String(), {
    description: 'names of the secret settings; values are never shown',
  }),
  hasSecrets: Type.Boolean(),
  declared: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
