export {
  type BreakerEvents,
  createMailDelivery,
  createOutbox,
  logTransport,
  type MailDelivery,
  type MailJobData,
  type MailKind,
  type MailTransport,
  mailKind,
  type Outbox,
  type OutgoingMail,
  purgeOutboxBodies,
  smtpTransport,
} from "./mailer.js";
export { html, type MailContent, mailPage } from "./template.js";
