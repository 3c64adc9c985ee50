/**
 * A one-line progress bar on stderr when it is a terminal; silent otherwise (scripts and CI get
 * clean output). Redraws at most every 100 ms.
 */
export function createProgressBar(
  write: (text: string) => void,
  enabled: boolean,
  label: string,
): { update(done: number, total: number): void; finish(): void } {
  let last = 0;
  let drawn = false;
  const draw = (done: number, total: number): void => {
    const width = 30;
    const ratio = total > 0 ? Math.min(1, done / total) : 0;
    const filled = Math.round(ratio * width);
    write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
    drawn = true;
  };
  return {
    update(done, total) {
      if (!enabled) return;
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      draw(done, total);
    },
    finish() {
      if (enabled && drawn) write('\n');
    },
  };
}
