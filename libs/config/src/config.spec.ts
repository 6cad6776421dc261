import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('applies defaults', () => {
    const config = loadConfig({ MONGODB_URI: 'mongodb://127.0.0.1:27017/corridor' });
    expect(config.PORT).toBe(3000);
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.REDIS_PREFIX).toBe('corridor');
  });

  it('names every bad variable in one line', () => {
    expect(() => loadConfig({ PORT: 'abc', REDIS_URL: 'http://x' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'abc', REDIS_URL: 'http://x' });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('MONGODB_URI is required');
      expect(message).toContain('PORT');
      expect(message).toContain('REDIS_URL must be a redis://');
      expect(message).not.toContain('\n');
    }
  });

  it('coerces numbers', () => {
    expect(loadConfig({ MONGODB_URI: 'mongodb://h/db', PORT: '8080' }).PORT).toBe(8080);
  });
});
