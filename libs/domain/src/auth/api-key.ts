import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys look like `cor_<id>_<secret>`: the id (12 hex) names the key in logs, listings and
 * revocation; the secret (32 random bytes, base64url) is shown once and only its SHA-256 is kept.
 * A fast hash is right here: the secret has 256 bits of entropy, so it cannot be guessed offline.
 */
const PATTERN = /^cor_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export interface ApiKeyParts {
  id: string;
  token: string;
}

export function generateApiKey(): ApiKeyParts {
  const id = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { id, token: `cor_${id}_${secret}` };
}

export function apiKeyId(token: string): string | undefined {
  return PATTERN.exec(token)?.[1];
}

/** Accepts `cor_<id>`, the id alone, or a whole key; returns the id. */
export function apiKeyIdFromPrefix(prefix: string): string | undefined {
  const match = /^(?:cor_)?([0-9a-f]{12})(?:_.*)?$/.exec(prefix.trim());
  return match?.[1];
}

export function hashApiKey(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function apiKeyMatches(token: string, storedHash: string): boolean {
  const actual = Buffer.from(hashApiKey(token), 'hex');
  const expected = Buffer.from(storedHash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
