import { isIPv4, isIPv6 } from "node:net";
import type { Viewer } from "../auth/tokens.js";

/** Who a request is charged to: the signed-in user, else the client address. */
export type Caller = Readonly<{
  /** `user:<id>` or `ip:<address>`; the key of the caller's budget. */
  key: string;
  /** The client address as a limit key (IPv6 reduced to its /64), whoever is signed in. */
  ipKey: string;
}>;

export function identifyCaller(viewer: Viewer | null, ip: string): Caller {
  const ipKey = `ip:${addressKey(ip)}`;
  return { key: viewer ? `user:${viewer.id}` : ipKey, ipKey };
}

/**
 * One key per client network: an IPv4 address as is, an IPv6 address by its /64 prefix (the smallest
 * block handed to a subscriber, so rotating through the addresses of one's own /64 gains nothing), and
 * an IPv4-mapped IPv6 address as the IPv4 it carries.
 */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1]) return mapped[1];
  if (isIPv4(ip)) return ip;
  if (!isIPv6(ip)) return ip;
  return `${expandIPv6(ip).slice(0, 4).join(":")}::/64`;
}

function expandIPv6(ip: string): string[] {
  const withoutZone = ip.split("%")[0] ?? ip;
  const [head = "", tail] = withoutZone.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  // An embedded IPv4 tail (::ffff:1.2.3.4 style) takes two groups.
  const last = right.at(-1) ?? left.at(-1);
  const v4Groups = last?.includes(".") ? 1 : 0;
  const missing = 8 - left.length - right.length - v4Groups;
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, missing)).fill("0"), ...right];
  return groups.map((group) => (group.includes(".") ? group : group.toLowerCase().replace(/^0+(?=.)/, "")));
}
