import type { Logger } from 'pino';
import { PeriodicSweep } from './periodic-sweep';

function recordingLogger() {
  const lines: Array<[string, unknown, string]> = [];
  const logger = {
    info: (fields: unknown, message: string) => lines.push(['info', fields, message]),
    warn: (fields: unknown, message: string) => lines.push(['warn', fields, message]),
  } as unknown as Logger;
  return { logger, lines };
}

describe('PeriodicSweep', () => {
  it('runs one sweep at a time and logs what it re-created', async () => {
    const { logger, lines } = recordingLogger();
    let release: (count: number) => void = () => undefined;
    const sweep = new PeriodicSweep('due steps', () => new Promise<number>((resolve) => (release = resolve)), logger);
    const first = sweep.once();
    expect(await sweep.once()).toBe(0); // the first is still running
    release(3);
    expect(await first).toBe(3);
    expect(lines).toEqual([['info', { count: 3 }, 're-enqueued due steps']]);
  });

  it('logs a failed run and answers 0; the next run goes ahead', async () => {
    const { logger, lines } = recordingLogger();
    let fail = true;
    const sweep = new PeriodicSweep(
      'due steps',
      () => (fail ? Promise.reject(new Error('store down')) : Promise.resolve(0)),
      logger,
    );
    expect(await sweep.once()).toBe(0);
    expect(lines[0][0]).toBe('warn');
    expect(lines[0][2]).toBe('sweep of due steps failed; next interval retries');
    fail = false;
    expect(await sweep.once()).toBe(0);
    expect(lines).toHaveLength(1); // nothing re-created: nothing logged
  });

  it('runs every interval until stopped', async () => {
    jest.useFakeTimers();
    try {
      let runs = 0;
      const sweep = new PeriodicSweep('x', () => Promise.resolve(++runs && 0), recordingLogger().logger);
      sweep.start(100);
      await jest.advanceTimersByTimeAsync(350);
      expect(runs).toBe(3);
      sweep.stop();
      await jest.advanceTimersByTimeAsync(500);
      expect(runs).toBe(3);
    } finally {
      jest.useRealTimers();
    }
  });
});
