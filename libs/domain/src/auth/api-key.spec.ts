import { apiKeyId, apiKeyIdFromPrefix, apiKeyMatches, generateApiKey, hashApiKey } from './api-key';

describe('api keys', () => {
  it('generates distinct well-formed keys whose id can be read back', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a.token).toMatch(/^cor_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(a.token).not.toBe(b.token);
    expect(apiKeyId(a.token)).toBe(a.id);
  });

  it('refuses malformed tokens', () => {
    expect(apiKeyId('')).toBeUndefined();
    expect(apiKeyId('Bearer x')).toBeUndefined();
    expect(apiKeyId('cor_0123456789ab_short')).toBeUndefined();
  });

  it('reads the id from the forms an operator may paste', () => {
    const { id, token } = generateApiKey();
    expect(apiKeyIdFromPrefix(id)).toBe(id);
    expect(apiKeyIdFromPrefix(`cor_${id}`)).toBe(id);
    expect(apiKeyIdFromPrefix(token)).toBe(id);
    expect(apiKeyIdFromPrefix('nonsense')).toBeUndefined();
  });

  it('matches only the key that was hashed', () => {
    const { token } = generateApiKey();
    const stored = hashApiKey(token);
    expect(apiKeyMatches(token, stored)).toBe(true);
    expect(apiKeyMatches(generateApiKey().token, stored)).toBe(false);
    expect(apiKeyMatches(token, 'abcd')).toBe(false);
  });
});
