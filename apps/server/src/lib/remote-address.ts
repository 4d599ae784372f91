import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

/**
 * Addresses a remote MCP server may not point at unless an administrator allows it: loopback,
 * private, link-local (cloud metadata lives at 169.254.169.254), carrier-grade NAT, unspecified
 * and multicast. Otherwise any user could make the control plane reach inside its own network.
 */
const INTERNAL = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const)
  INTERNAL.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const)
  INTERNAL.addSubnet(net, prefix, "ipv6");

export function isInternalAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  // IPv4-mapped IPv6 (::ffff:10.0.0.1) is the IPv4 address in disguise.
  const mapped = address.toLowerCase().match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/);
  if (mapped?.[1]) return INTERNAL.check(mapped[1], "ipv4");
  return INTERNAL.check(address, family === 4 ? "ipv4" : "ipv6");
}

/**
 * Why `url` may not be used as a remote server, or undefined when it may. Resolves the host name:
 * a public name that resolves to an internal address is refused too. Checked when the server is
 * saved and again before each connection (the name may have been re-pointed since).
 */
export async function remoteUrlProblem(
  url: string,
  allowInternal: boolean,
): Promise<string | undefined> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "is not a URL";
  }
  if (parsed.username || parsed.password)
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the placeholder syntax users write
    return "must not carry credentials (use headers with ${VARIABLE} references)";
  if (allowInternal)
    return parsed.protocol === "https:" || parsed.protocol === "http:"
      ? undefined
      : "must be https";
  if (parsed.protocol !== "https:") return "must be https";
  const host = parsed.hostname.replace(/^\[|\]$/g, "");
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  } catch {
    return `host ${host} could not be resolved`;
  }
  const internal = addresses.find(isInternalAddress);
  if (internal)
    return `points at an internal address (${internal}); only an administrator may allow that`;
  return undefined;
}

/** Header values with `${NAME}` taken from the server's variables (kept secret, never returned). */
export function expandHeaders(
  headers: Record<string, string> | undefined,
  env: Record<string, string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {}))
    out[name] = value.replace(
      /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g,
      (_, key: string) => env[key] ?? "",
    );
  return out;
}
