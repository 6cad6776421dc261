import { PassThrough } from 'node:stream';
import { progress } from './progress';

function stream(isTTY: boolean): { out: NodeJS.WriteStream; text: () => string } {
  const pass = new PassThrough();
  let written = '';
  pass.on('data', (chunk: Buffer) => (written += chunk.toString()));
  Object.assign(pass, { isTTY, columns: 100, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
  return { out: pass as unknown as NodeJS.WriteStream, text: () => written };
}

describe('progress', () => {
  it('prints nothing while running and one summary line at the end when not on a terminal', async () => {
    const { out, text } = stream(false);
    const bar = progress('import', 10, out);
    bar.update(5);
    bar.update(10);
    await new Promise((resolve) => setImmediate(resolve));
    expect(text()).toBe('');
    bar.finish('import: 10 added');
    await new Promise((resolve) => setImmediate(resolve));
    expect(text()).toBe('import: 10 added\n');
  });

  it('draws a bar with the count on a terminal', async () => {
    const { out, text } = stream(true);
    const bar = progress('import', 4, out);
    bar.update(2);
    bar.update(4, 4);
    bar.finish('ignored on a terminal');
    await new Promise((resolve) => setImmediate(resolve));
    expect(text()).toContain('import [');
    expect(text()).toContain('4/4');
    expect(text()).not.toContain('ignored on a terminal');
  });
});
