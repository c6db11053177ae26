import { html, type MailContent, mailKind, mailPage } from "../../platform/mail/index.js";

// A reset link is worth nothing after its hour: few attempts, close together.
export const passwordResetMail = mailKind("password-reset", { attempts: 5 });
export const welcomeMail = mailKind("welcome", { attempts: 10 });

export function passwordResetContent(username: string, link: string): MailContent {
  return {
    subject: "Reset your password",
    text: `Someone (hopefully you) asked to reset the password of ${username}.\n\nSet a new one within an hour: ${link}\n\nIf it was not you, ignore this e-mail; your password stays as it is.`,
    html: mailPage(
      "Reset your password",
      html`<p>Someone (hopefully you) asked to reset the password of <strong>${username}</strong>.</p>
<p><a href="${link}">Set a new password</a> within an hour.</p>
<p>If it was not you, ignore this e-mail; your password stays as it is.</p>`,
    ),
  };
}

export function welcomeContent(name: string, username: string): MailContent {
  return {
    subject: "Welcome!",
    text: `Hello ${name},\n\nyour account ${username} is ready. Happy shopping!`,
    html: mailPage(
      "Welcome!",
      html`<p>Hello ${name},</p>
<p>your account <strong>${username}</strong> is ready. Happy shopping!</p>`,
    ),
  };
}
