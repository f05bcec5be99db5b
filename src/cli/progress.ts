/** Counts of long work (threads imported, files uploaded) on stderr, so stdout keeps only the report. */
export interface Progress {
  start(label: string, total: number): void;
  tick(count?: number): void;
  done(): void;
}

export const silentProgress: Progress = { start: () => undefined, tick: () => undefined, done: () => undefined };

const barWidth = 30;
/** A terminal is redrawn often; a log file gets a line now and then. */
const redrawMs = { terminal: 100, log: 2000 };

export function createProgress(stream: { write(text: string): unknown; isTTY?: boolean }): Progress {
  const terminal = stream.isTTY === true;
  let label = "";
  let total = 0;
  let count = 0;
  let shownAt = 0;

  function line(): string {
    const counts = `${count.toLocaleString("en-US")}/${total.toLocaleString("en-US")}`;
    if (!terminal) return `${label}: ${counts}\n`;
    const filled = total === 0 ? barWidth : Math.round((count / total) * barWidth);
    return `\r${label} [${"#".repeat(filled)}${".".repeat(barWidth - filled)}] ${counts}`;
  }

  function show(force: boolean): void {
    const now = Date.now();
    if (!force && now - shownAt < (terminal ? redrawMs.terminal : redrawMs.log)) return;
    shownAt = now;
    stream.write(line());
  }

  return {
    start(nextLabel, nextTotal) {
      label = nextLabel;
      total = nextTotal;
      count = 0;
      show(true);
    },
    tick(step = 1) {
      count += step;
      show(false);
    },
    done() {
      show(true);
      if (terminal) stream.write("\n");
    },
  };
}
