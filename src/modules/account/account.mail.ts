import { html, type MailContent, mailKind, mailPage } from "../../platform/mail/index.js";

// A reset link is worth nothing after its hour: few attempts, close together.
export const passwordResetMail = mailKind("password-reset", { attempts: 5 });
export const welcomeMail = mailKind("welcome", { attempts: 10 });
// A verification link lasts a day, so its mail may wait out a longer outage than a reset link.
export const emailVerificationMail = mailKind("email-verification", { attempts: 10 });
export const emailChangeNoticeMail = mailKind("email-change-notice", { attempts: 10 });

/** Why a verification link is sent: the text says what happens once it is used. */
export type VerificationPurpose = "sign-up" | "change" | "before-reset";

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

export function emailVerificationContent(username: string, link: string, purpose: VerificationPurpose): MailContent {
  const why = {
    "sign-up": "Confirm that this address belongs to the account",
    change: "Confirm that this address should become the e-mail of the account",
    "before-reset": "Someone (hopefully you) asked to reset the password of the account",
  }[purpose];
  const next = {
    "sign-up": "Until then, password-reset links are not sent to it.",
    change: "Until then, the account keeps its current address.",
    "before-reset":
      "Reset links go only to confirmed addresses, and this one is not confirmed yet: confirm it, then ask for the reset again.",
  }[purpose];
  return {
    subject: purpose === "change" ? "Confirm your new e-mail address" : "Confirm your e-mail address",
    text: `${why} ${username}.\n\nConfirm the address within a day: ${link}\n\n${next}\n\nIf it was not you, ignore this e-mail.`,
    html: mailPage(
      "Confirm your e-mail address",
      html`<p>${why} <strong>${username}</strong>.</p>
<p><a href="${link}">Confirm the address</a> within a day.</p>
<p>${next}</p>
<p>If it was not you, ignore this e-mail.</p>`,
    ),
  };
}

export function emailChangeNoticeContent(username: string, newEmail: string): MailContent {
  return {
    subject: "Your e-mail address is about to change",
    text: `Someone signed in to ${username} asked to change its e-mail address to ${newEmail}.\n\nThe change happens only when that address confirms it. If it was not you, change your password now and sign out your other devices ("sessions" in your account).`,
    html: mailPage(
      "Your e-mail address is about to change",
      html`<p>Someone signed in to <strong>${username}</strong> asked to change its e-mail address to <strong>${newEmail}</strong>.</p>
<p>The change happens only when that address confirms it. If it was not you, change your password now and sign out your other devices (the sessions of your account).</p>`,
    ),
  };
}
