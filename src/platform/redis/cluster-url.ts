// Read by the config (to fail fast on a bad URL) and by the connection; no ioredis here.

/** `redis[s]://[user[:password]@]host[:port][,host[:port]…][/0]`: the seed nodes and what every node needs. */
export function parseClusterUrl(url: string): {
  nodes: { host: string; port: number }[];
  username?: string;
  password?: string;
  tls: boolean;
} {
  const match = /^(rediss?):\/\/(?:([^@/]*)@)?([^/?#]+)(?:\/(\d*))?$/.exec(url);
  if (!match) throw new Error("a cluster URL is redis[s]://[user:password@]host:port[,host:port...]");
  const [, scheme, userInfo, hostList = "", database] = match;
  // A cluster has one database; a URL naming another would silently write elsewhere than intended.
  if (database && database !== "0") throw new Error("a Redis Cluster has only database 0");
  const nodes = hostList.split(",").map((entry) => {
    const hostPort = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(entry.trim());
    if (!hostPort?.[1]) throw new Error(`not a host[:port]: ${entry}`);
    return { host: hostPort[1].replace(/^\[|\]$/g, ""), port: Number(hostPort[2] ?? 6379) };
  });
  const [user, secret] = userInfo === undefined ? [] : splitOnce(userInfo, ":");
  return {
    nodes,
    ...(user ? { username: decodeURIComponent(user) } : {}),
    ...(secret ? { password: decodeURIComponent(secret) } : {}),
    tls: scheme === "rediss",
  };
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
