import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * One-time account setup tokens: `cst_<user id>_<secret>`. The person an account was created for
 * sets their own password with it, so whoever created the account (an operator, an org-admin) never
 * knows the password. Shown once; only the SHA-256 is kept (the secret has 256 bits, so a fast hash
 * is enough); valid for 72 hours and for one use.
 */
export const SETUP_TOKEN_TTL_MS = 72 * 60 * 60 * 1000;
const PATTERN = /^cst_([0-9a-f-]{36})_([A-Za-z0-9_-]{43})$/;

/** What is stored for an account whose person has not set a password yet. */
export interface PendingSetup {
  hash: string;
  expiresAt: Date;
}

export function hashSetupToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function issueSetupToken(userId: string, now: Date = new Date()): { token: string; setup: PendingSetup } {
  const token = `cst_${userId}_${randomBytes(32).toString('base64url')}`;
  return { token, setup: { hash: hashSetupToken(token), expiresAt: new Date(now.getTime() + SETUP_TOKEN_TTL_MS) } };
}

/** The account a well-formed token names; undefined for anything else. */
export function setupTokenUserId(token: string): string | undefined {
  return PATTERN.exec(token)?.[1];
}

/** True only for the token that was issued, while it is pending (not used) and not expired. */
export function setupTokenValid(token: string, pending: PendingSetup | null | undefined, now: Date): boolean {
  if (!pending || !(pending.expiresAt instanceof Date) || pending.expiresAt.getTime() <= now.getTime()) return false;
  const actual = Buffer.from(hashSetupToken(token), 'hex');
  const expected = Buffer.from(pending.hash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
