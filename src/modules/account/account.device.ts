import Bowser from "bowser";

/**
 * A short, human description of the device a session signed in from ("Safari on iOS (mobile)"), from its
 * User-Agent header, so a user can tell their sessions apart. Read by bowser at listing time: the header
 * stays stored as sent, and a better parser later describes old sessions too. Null without a header; the
 * header itself (shortened) when bowser recognises neither browser nor system (an app's own client, curl).
 */
export function describeDevice(userAgent: string | null): string | null {
  const header = userAgent?.trim();
  if (!header) return null;
  const { browser, os, platform } = Bowser.parse(header);
  if (!browser.name && !os.name) return header.slice(0, 100);
  const what = [browser.name, os.name].filter(Boolean).join(" on ");
  return platform.type && platform.type !== "desktop" ? `${what} (${platform.type})` : what;
}
