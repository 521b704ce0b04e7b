/** Email-in: mail to `<integration-key>@<domain>` becomes alert events. */
export { mailToAlertEvent, normalizeSubject, type MailToAlertOptions } from './parse-mail.ts';
export { toParsedEmail, type ParsedEmail } from './parsed-email.ts';
export {
  startEmailListener,
  type EmailListener,
  type EmailListenerOptions,
  type InboundMail,
} from './smtp-listener.ts';
