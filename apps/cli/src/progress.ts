import { Presets, SingleBar } from 'cli-progress';

/** Progress of a long command, told as it goes and once at the end. */
export interface Progress {
  /** `done` of `total` so far (a total that grows may be given again). */
  update(done: number, total?: number): void;
  /** Ends it: on a terminal the bar stays as drawn; otherwise `summary` is printed as one line. */
  finish(summary: string): void;
}

/**
 * A progress bar (cli-progress) on stderr when stderr is a terminal; otherwise nothing until one
 * summary line at the end, so pipes, log files and CI get one line. stdout keeps the command's JSON.
 */
export function progress(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (stream.isTTY !== true) {
    return { update: () => undefined, finish: (summary) => void (summary && stream.write(`${summary}\n`)) };
  }
  const bar = new SingleBar(
    {
      stream,
      format: `${label} [{bar}] {percentage}% | {value}/{total} | {duration_formatted} | eta {eta_formatted}`,
      hideCursor: true,
      etaBuffer: 50,
    },
    Presets.shades_classic,
  );
  bar.start(Math.max(total, 0), 0);
  return {
    update: (done, newTotal) => {
      if (newTotal !== undefined) bar.setTotal(Math.max(newTotal, done));
      bar.update(done);
    },
    finish: () => bar.stop(),
  };
}
