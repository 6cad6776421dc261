import { SETUP_TOKEN_TTL_MS, hashSetupToken, issueSetupToken, setupTokenUserId, setupTokenValid } from './setup-token';

const userId = '01a20d4c-d82d-7118-8d14-7d92fcb8ce26';
const now = new Date('2026-11-24T08:30:00Z');

describe('setup tokens', () => {
  it('issues distinct tokens naming the account, storing only a SHA-256 that expires in 72 hours', () => {
    const a = issueSetupToken(userId, now);
    const b = issueSetupToken(userId, now);
    expect(a.token).toMatch(/^cst_01a20d4c-d82d-7118-8d14-7d92fcb8ce26_[A-Za-z0-9_-]{43}$/);
    expect(a.token).not.toBe(b.token);
    expect(a.setup.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.setup.hash).toBe(hashSetupToken(a.token));
    expect(JSON.stringify(a.setup)).not.toContain(a.token.slice(41));
    expect(a.setup.expiresAt.getTime() - now.getTime()).toBe(72 * 3600 * 1000);
    expect(SETUP_TOKEN_TTL_MS).toBe(259_200_000);
    expect(setupTokenUserId(a.token)).toBe(userId);
  });

  it('reads no account from malformed tokens', () => {
    for (const bad of ['', 'cst_', `cst_${userId}_short`, `crt_${userId}_${'a'.repeat(43)}`, `cst_${userId}`])
      expect(setupTokenUserId(bad)).toBeUndefined();
  });

  it('accepts only the issued token, before it expires, while pending', () => {
    const { token, setup } = issueSetupToken(userId, now);
    expect(setupTokenValid(token, setup, now)).toBe(true);
    expect(setupTokenValid(token, setup, new Date(setup.expiresAt.getTime() - 1))).toBe(true);
    expect(setupTokenValid(token, setup, setup.expiresAt)).toBe(false);
    expect(setupTokenValid(issueSetupToken(userId, now).token, setup, now)).toBe(false);
    expect(setupTokenValid(token, null, now)).toBe(false); // used: nothing pending any more
    expect(setupTokenValid(token, { hash: 'not-hex', expiresAt: setup.expiresAt }, now)).toBe(false);
  });
});
