export {
  createMailer,
  type EmailMessage,
  logTransport,
  type Mailer,
  type MailTransport,
  smtpTransport,
} from "./mailer.js";
