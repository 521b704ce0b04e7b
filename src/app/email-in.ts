import type { Logger } from 'pino';
import { fingerprint, ingestAlertEvents } from '../alerting/index.ts';
import type { EmailListener } from '../alerting/sources/email/index.ts';
import { findIntegrationByKey, integrationActor } from '../catalog/index.ts';
import type { Config } from '../platform/config/index.ts';
import { systemActor } from '../platform/context.ts';
import { notFound } from '../platform/errors.ts';
import type { App } from './build-app.ts';

/**
 * Email-in: an SMTP listener (off unless `alerting.emailListen` is set) that turns mail to
 * `<integration key>@<domain>` into alerts on that integration's service. The SMTP reply is given after the commit,
 * so a sending mail server that got 250 knows the alert is stored; a temporary failure gets 451 and is retried.
 */
export async function startEmailIn(
  app: App,
  config: Config,
  logger: Logger,
): Promise<EmailListener | undefined> {
  const listen = config.alerting.emailListen;
  if (!listen) return undefined;
  // Loaded only when email-in is on: the SMTP server and the MIME parser weigh tens of MiB.
  const { startEmailListener, mailToAlertEvent } = await import('../alerting/sources/email/index.ts');
  const listener = await startEmailListener({
    host: listen.host,
    port: listen.port,
    domain: config.alerting.emailDomain,
    log: logger.child({ component: 'email-in' }),
    async onMail({ recipientKeys, mail }) {
      const ctx = app.ctx(systemActor('email-in'));
      let known = 0;
      for (const key of recipientKeys) {
        const found = await findIntegrationByKey(ctx, key, ['email']);
        if (!found) continue;
        known++;
        const event = mailToAlertEvent(mail, { now: ctx.clock.now(), fingerprint });
        await ingestAlertEvents(
          { ...ctx, actor: integrationActor(found) },
          {
            source: 'email',
            integration: { id: found.integration.id, serviceId: found.service.id },
            events: [event],
          },
        );
      }
      if (known === 0) throw notFound('integration', 'for this address');
    },
  });
  logger.info(
    { host: listen.host, port: listener.port, domain: config.alerting.emailDomain },
    'email-in listening',
  );
  return listener;
}

export type { EmailListener };
