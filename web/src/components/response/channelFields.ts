import type { Channel, ChannelInput, ChannelKind, ChannelUpdate, ContactKind } from '../../api/response.ts';

/**
 * What a person types to set up each kind of channel, and where each value goes in the API's body: shown
 * settings in `config`, credentials (webhook URLs with tokens, bot tokens) in `secrets`, which are sealed and
 * never shown again (docs/operations/channels*.md).
 */

export interface ChannelField {
  key: string;
  target: 'config' | 'secrets';
  label: string;
  description: string;
  required: boolean;
  placeholder?: string;
}

const webhookUrl = (service: string, placeholder: string): ChannelField => ({
  key: 'webhookUrl',
  target: 'secrets',
  label: `${service} webhook URL`,
  description: 'It carries its own credential, so it is sealed and never shown again.',
  required: true,
  placeholder,
});

/** Kinds a team can share as a channel; web push belongs to a person's browser. */
export const SHARED_CHANNEL_KINDS = [
  'slack',
  'teams',
  'discord',
  'mattermost',
  'telegram',
  'ntfy',
  'webhook',
  'email',
  'sms',
  'voice',
] as const satisfies readonly ChannelKind[];

export type SlackMode = 'webhook' | 'bot';

/** The fields of a kind (Slack: by incoming webhook, or by channel id with the bot token). */
export function channelFields(kind: ChannelKind, slackMode: SlackMode = 'webhook'): ChannelField[] {
  switch (kind) {
    case 'webhook':
      return [
        {
          key: 'address',
          target: 'config',
          label: 'URL',
          description: 'Siaga POSTs one JSON document per notification here.',
          required: true,
          placeholder: 'https://hooks.example.com/siaga',
        },
        {
          key: 'signingSecret',
          target: 'secrets',
          label: 'Signing secret',
          description: 'Optional, 16 characters or more: requests are signed with it (X-Siaga-Signature).',
          required: false,
        },
        {
          key: 'authorization',
          target: 'secrets',
          label: 'Authorization header',
          description: 'Optional, e.g. “Bearer abc…”.',
          required: false,
        },
      ];
    case 'slack':
      return slackMode === 'webhook'
        ? [webhookUrl('Slack incoming', 'https://hooks.slack.com/services/T…/B…/…')]
        : [
            {
              key: 'channel',
              target: 'config',
              label: 'Slack channel id',
              description: 'From the channel’s details, e.g. C0123ABCD. Invite the bot into the channel.',
              required: true,
              placeholder: 'C0123ABCD',
            },
            {
              key: 'botToken',
              target: 'secrets',
              label: 'Bot token',
              description: 'Optional when the server has one (notify.slack.botToken): xoxb-…',
              required: false,
            },
          ];
    case 'teams':
      return [webhookUrl('Teams workflow', 'https://…logic.azure.com/workflows/…')];
    case 'discord':
      return [webhookUrl('Discord', 'https://discord.com/api/webhooks/…')];
    case 'mattermost':
      return [webhookUrl('Mattermost', 'https://mattermost.example.com/hooks/…')];
    case 'telegram':
      return [
        {
          key: 'address',
          target: 'config',
          label: 'Telegram chat id',
          description: 'A number (negative for groups, -100… for supergroups) or a channel’s @username.',
          required: true,
          placeholder: '-1001234567890',
        },
      ];
    case 'ntfy':
      return [
        {
          key: 'address',
          target: 'config',
          label: 'ntfy topic',
          description: 'A topic name on the server’s default ntfy, or a full topic URL.',
          required: true,
          placeholder: 'alerts-payments-7f3a',
        },
        {
          key: 'token',
          target: 'secrets',
          label: 'Access token',
          description: 'Optional, for a reserved topic.',
          required: false,
        },
      ];
    case 'email':
      return [
        {
          key: 'address',
          target: 'config',
          label: 'E-mail address',
          description: 'A shared mailbox or list.',
          required: true,
          placeholder: 'oncall@example.com',
        },
      ];
    case 'sms':
    case 'voice':
      return [
        {
          key: 'address',
          target: 'config',
          label: 'Phone number',
          description: 'In international format (E.164).',
          required: true,
          placeholder: '+14155550123',
        },
      ];
    case 'push':
      return [];
  }
}

/** The create body for the values typed; blank optional fields are left out. */
export function channelBody(
  base: { name: string; teamId: string; kind: ChannelKind },
  fields: readonly ChannelField[],
  values: Readonly<Record<string, string>>,
): ChannelInput {
  const config: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  for (const field of fields) {
    const value = (values[field.key] ?? '').trim();
    if (value === '') continue;
    (field.target === 'config' ? config : secrets)[field.key] = value;
  }
  return {
    ...base,
    ...(Object.keys(config).length > 0 ? { config } : {}),
    ...(Object.keys(secrets).length > 0 ? { secrets } : {}),
  };
}

/** A shown setting of a channel as the form edits it: a string, or '' when it has none. */
export const shownValue = (channel: Channel, key: string): string => {
  const value = channel.config[key];
  return typeof value === 'string' ? value : '';
};

/**
 * The edit body: only what changed. The config is sent whole (the server replaces it), so settings the form has no
 * field for (extra headers) are carried over. Secrets are merged by the server: a typed one is sent, one the
 * person chose to remove is sent as `null`, and one left empty is left out, which keeps it (its value is never
 * known here).
 */
export function channelPatch(
  channel: Channel,
  base: { name: string; teamId: string },
  fields: readonly ChannelField[],
  values: Readonly<Record<string, string>>,
  removed: ReadonlySet<string> = new Set(),
): ChannelUpdate {
  const patch: ChannelUpdate = {};
  if (base.name !== channel.name) patch.name = base.name;
  if (base.teamId !== channel.teamId) patch.teamId = base.teamId;
  const config: Record<string, unknown> = { ...channel.config };
  const secrets: Record<string, string | null> = {};
  let configChanged = false;
  for (const field of fields) {
    const value = (values[field.key] ?? '').trim();
    if (field.target === 'secrets') {
      if (removed.has(field.key) && channel.secretKeys.includes(field.key)) secrets[field.key] = null;
      else if (value !== '') secrets[field.key] = value;
      continue;
    }
    if (value === shownValue(channel, field.key)) continue;
    configChanged = true;
    if (value === '') delete config[field.key];
    else config[field.key] = value;
  }
  if (configChanged) patch.config = config;
  if (Object.keys(secrets).length > 0) patch.secrets = secrets;
  return patch;
}

/** The address field of each contact method kind a person can add by typing. */
export const ADDRESS_FIELDS: Record<
  Exclude<ContactKind, 'push'>,
  { label: string; description: string; placeholder: string; type: string }
> = {
  email: {
    label: 'E-mail address',
    description: 'A code is mailed to it.',
    placeholder: 'you@example.com',
    type: 'email',
  },
  sms: {
    label: 'Mobile number',
    description: 'International format (E.164); a code is texted to it.',
    placeholder: '+14155550123',
    type: 'tel',
  },
  voice: {
    label: 'Phone number',
    description: 'International format (E.164); a call reads the code.',
    placeholder: '+14155550123',
    type: 'tel',
  },
  slack_dm: {
    label: 'Slack member id',
    description: 'Profile → ⋮ → Copy member ID, e.g. U024BE7LH.',
    placeholder: 'U024BE7LH',
    type: 'text',
  },
  telegram: {
    label: 'Telegram chat id',
    description: 'Start a chat with the server’s bot first; a bot cannot write first.',
    placeholder: '123456789',
    type: 'text',
  },
  ntfy: {
    label: 'ntfy topic',
    description: 'A long, unguessable topic name, or a full topic URL.',
    placeholder: 'alerts-ana-7f3a9c',
    type: 'text',
  },
  webhook: {
    label: 'Webhook URL',
    description: 'Siaga POSTs JSON here, signed with a secret shown once.',
    placeholder: 'https://hooks.example.com/me',
    type: 'url',
  },
};
