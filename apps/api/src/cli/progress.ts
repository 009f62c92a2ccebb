import { SingleBar, Presets } from "cli-progress";

export interface Progress {
  /** Sets the total (units of work) once it is known. */
  start: (total: number, label: string) => void;
  update: (done: number) => void;
  stop: () => void;
}

/**
 * A progress bar on stderr for long CLI work. On a terminal it redraws in place; elsewhere
 * (CI logs, pipes) it prints a line at every 10% so logs stay readable.
 */
export function createProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (stream.isTTY) {
    let bar: SingleBar | undefined;
    return {
      start(total, label) {
        bar?.stop();
        bar = new SingleBar(
          { format: `${label.padEnd(24)} {bar} {percentage}% | {value}/{total} | {duration_formatted}`, stream, hideCursor: true },
          Presets.shades_classic,
        );
        bar.start(Math.max(total, 1), 0);
      },
      update: (done) => bar?.update(done),
      stop: () => {
        bar?.stop();
        bar = undefined;
      },
    };
  }
  let total = 1;
  let label = "";
  let lastDecile = -1;
  let startedAt = 0;
  return {
    start(t, l) {
      total = Math.max(t, 1);
      label = l;
      lastDecile = -1;
      startedAt = Date.now();
    },
    update(done) {
      const decile = Math.floor((10 * Math.min(done, total)) / total);
      if (decile > lastDecile) {
        lastDecile = decile;
        const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
        stream.write(`${label}: ${decile * 10}% (${done}/${total}, ${seconds}s)\n`);
      }
    },
    stop() {},
  };
}

/** Progress that reports nothing, for tests and library callers. */
export const silentProgress: Progress = { start() {}, update() {}, stop() {} };
