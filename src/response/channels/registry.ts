import type { NotifySettings } from '../../platform/settings.ts';
import type { ChannelKind } from '../../storage/schema.ts';
import { checkDiscordDestination, createDiscordNotifier } from './discord.ts';
import { createEmailNotifier, emailAddressProblems } from './email.ts';
import { checkMattermostDestination, createMattermostNotifier } from './mattermost.ts';
import type { Destination, DestinationProblem, Notifier } from './notifier.ts';
import { checkNtfyDestination, createNtfyNotifier } from './ntfy.ts';
import { checkSlackDestination, checkSlackDmDestination, createSlackNotifier } from './slack.ts';
import { checkTeamsDestination, createTeamsNotifier } from './teams.ts';
import { checkTelegramDestination, createTelegramNotifier } from './telegram.ts';
import { phoneNumberProblems } from './twilio-rest.ts';
import { createTwilioSmsNotifier } from './twilio-sms.ts';
import { TWILIO_STATUS_CALLBACK_PATH } from './twilio-status.ts';
import { createTwilioVoiceNotifier } from './twilio-voice.ts';
import { createWebPushNotifier, pushSubscriptionProblems } from './web-push.ts';
import { checkWebhookDestination, createWebhookNotifier } from './webhook.ts';

/**
 * The notifiers this server can use, one per channel kind, built from the operator's provider settings. A kind
 * whose provider is not configured (no SMTP server, no Twilio account, no VAPID keys) is absent: deliveries for
 * it fail permanently with a message that says what to configure.
 */
export function createNotifiers(settings: NotifySettings, publicUrl: string): Map<ChannelKind, Notifier> {
  const p = settings.providers;
  const all: Notifier[] = [
    createWebhookNotifier(),
    createSlackNotifier({
      ...(p.slack?.apiBaseUrl ? { apiBaseUrl: p.slack.apiBaseUrl } : {}),
      ...(p.slack?.botToken ? { botToken: p.slack.botToken } : {}),
    }),
    createTeamsNotifier(),
    createDiscordNotifier(),
    createMattermostNotifier(),
    createTelegramNotifier({
      ...(p.telegram ? { apiBaseUrl: p.telegram.apiBaseUrl } : {}),
      botToken: p.telegram?.botToken,
    }),
    createNtfyNotifier({ defaultServer: p.ntfy.baseUrl, ...(p.ntfy.token ? { token: p.ntfy.token } : {}) }),
  ];
  if (p.smtp) all.push(createEmailNotifier({ smtp: p.smtp, timeoutMs: settings.sendTimeoutMs }));
  if (p.twilio) {
    const { statusCallbacks, ...account } = p.twilio;
    const twilio = statusCallbacks
      ? { ...account, statusCallbackUrl: `${publicUrl.replace(/\/+$/, '')}${TWILIO_STATUS_CALLBACK_PATH}` }
      : account;
    all.push(createTwilioSmsNotifier(twilio));
    all.push(createTwilioVoiceNotifier({ ...twilio, publicUrl }));
  }
  if (p.webPush) all.push(createWebPushNotifier({ vapid: p.webPush }));
  return new Map(all.map((n) => [n.kind, n]));
}

/**
 * Problems with a destination's settings, by kind, checked without the network (creation of channels and contact
 * methods). `slack` with an address and no channel settings is a person's Slack account (a direct message).
 */
export function destinationProblems(dest: Destination): DestinationProblem[] {
  switch (dest.kind) {
    case 'webhook':
      return checkWebhookDestination(dest);
    case 'slack':
      return dest.address !== '' && dest.config.channel === undefined && dest.secrets.webhookUrl === undefined
        ? checkSlackDmDestination(dest, { providerBotToken: true })
        : checkSlackDestination(dest, { providerBotToken: true });
    case 'teams':
      return checkTeamsDestination(dest);
    case 'discord':
      return checkDiscordDestination(dest);
    case 'mattermost':
      return checkMattermostDestination(dest);
    case 'telegram':
      return checkTelegramDestination(dest);
    case 'ntfy':
      return checkNtfyDestination(dest);
    case 'email':
      return emailAddressProblems(dest);
    case 'sms':
    case 'voice':
      return phoneNumberProblems(dest);
    case 'push':
      return pushSubscriptionProblems(dest);
  }
}
