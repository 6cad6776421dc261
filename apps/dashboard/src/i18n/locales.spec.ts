import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ar from './ar.json';
import en from './en.json';
import ur from './ur.json';

const SOURCE = join(__dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Keys the code uses: `t('…')` calls and keys kept in tables with `k('…')`. */
function usedKeys(): Set<string> {
  const keys = new Set<string>();
  for (const file of sources(SOURCE)) {
    for (const match of readFileSync(file, 'utf8').matchAll(/\b[tk]\(\s*['"]([^'"]+)['"]/g)) keys.add(match[1]);
  }
  return keys;
}

describe('dashboard translations', () => {
  const used = usedKeys();
  const catalogs: Record<string, Record<string, string>> = { en, ar, ur };

  it('finds the keys the code uses', () => {
    expect(used.size).toBeGreaterThan(40);
    expect(used).toContain('feed.title');
    expect(used).toContain('severity.critical');
  });

  it.each(['en', 'ar', 'ur'])('%s has every key the code uses', (language) => {
    const missing = [...used].filter((key) => !(key in catalogs[language]));
    expect(missing).toEqual([]);
  });

  it.each(['ar', 'ur'])('%s has every key of en.json, and no other', (language) => {
    const catalog = catalogs[language];
    expect(Object.keys(en).filter((key) => !(key in catalog))).toEqual([]);
    expect(Object.keys(catalog).filter((key) => !(key in en))).toEqual([]);
  });

  it.each(['en', 'ar', 'ur'])('%s has no empty message', (language) => {
    expect(Object.entries(catalogs[language]).filter(([, text]) => text.trim() === '')).toEqual([]);
  });
});
