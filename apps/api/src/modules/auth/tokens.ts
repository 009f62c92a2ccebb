import { hash, randomBytes } from "node:crypto";

/** Session tokens and API keys are random secrets; only their SHA-256 is stored. */
export const sha256 = (secret: string) => hash("sha256", secret, "hex");

export const newSessionToken = () => randomBytes(32).toString("base64url");

/** `ltv_` + 40 random characters; the prefix makes leaked keys easy to find by scanners. */
export const newApiKey = () => `ltv_${randomBytes(30).toString("base64url")}`;

export const SESSION_COOKIE = "ltvloop_session";

/** Reads one cookie from a Cookie header without a dependency. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const index = part.indexOf("=");
    if (index > 0 && part.slice(0, index).trim() === name) return decodeURIComponent(part.slice(index + 1).trim());
  }
  return undefined;
}
