import { createHash, randomBytes } from "node:crypto";
import { idPrefixes } from "./ids.js";

/**
 * A project key's value is `sk-proj-` + its key id's suffix + a random secret, so a presented key finds its
 * record by id and is then checked against the stored hash. The secret has 256 bits, so one SHA-256 is
 * enough: there is nothing to guess that a slow hash would protect.
 */
const valuePrefix = "sk-proj-";
const idSuffixLength = 24;

export function newApiKeyValue(keyId: string): string {
  return valuePrefix + keyId.slice(idPrefixes.apiKey.length) + randomBytes(32).toString("base64url");
}

/** The key id a presented value claims to be, or undefined when it is not a project key's value. */
export function apiKeyIdOf(value: string): string | undefined {
  if (!value.startsWith(valuePrefix) || value.length <= valuePrefix.length + idSuffixLength) return undefined;
  return idPrefixes.apiKey + value.slice(valuePrefix.length, valuePrefix.length + idSuffixLength);
}

export function hashApiKey(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

/** As lists show a key: enough to recognise it, never enough to use it (`sk-proj-abc...wxyz`). */
export function redactApiKey(value: string): string {
  return `${value.slice(0, valuePrefix.length + 3)}...${value.slice(-4)}`;
}
