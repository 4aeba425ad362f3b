// Progress for long work (simulation days, dataset building, training epochs): in a notebook one display entry
// updated in place (tslab newDisplay); in logs one line per reported step, throttled, never carriage returns.
import { tslabDisplay } from './notebook';

export interface Progress {
  /** Advance by n units (default 1), with an optional note (e.g. the current day or the loss). */
  tick(n?: number, note?: string): void;
  /** Mark finished and print the total time. */
  done(note?: string): void;
}

export interface ProgressOptions {
  /** Minimum seconds between log lines (default 5); the first and last step always print. */
  everySeconds?: number;
  /** Where log lines go (default console.log); tests pass a collector. */
  log?: (line: string) => void;
  /** Force log mode even inside a notebook. */
  forceLog?: boolean;
}

function fmtSeconds(s: number): string {
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - 60 * m)} s`;
}

let quietDepth = 0;

/**
 * Run fn with nested progress reports kept out of the notebook display (they go to their own log, which the
 * caller usually silences): a step that repeats an inner job shows one progress line of its own instead.
 */
export async function quietProgress<T>(fn: () => Promise<T>): Promise<T> {
  quietDepth++;
  try {
    return await fn();
  } finally {
    quietDepth--;
  }
}

/** No time-left estimate before this share of the work and this many seconds (first ticks mislead: start-up). */
export const ETA_MIN_SHARE = 0.1;
export const ETA_MIN_SECONDS = 3;

/** The "about ... left" estimate, or '' while too little of the work is done to say. */
export function etaText(elapsedS: number, count: number, total: number): string {
  if (!(count > 0 && total > count) || count / total < ETA_MIN_SHARE || elapsedS < ETA_MIN_SECONDS) return '';
  return `, about ${fmtSeconds((elapsedS * (total - count)) / count)} left`;
}

export function progress(label: string, total: number, opts: ProgressOptions = {}): Progress {
  const start = Date.now();
  const every = (opts.everySeconds ?? 5) * 1000;
  const log = opts.log ?? ((l: string) => console.log(l));
  const nb = opts.forceLog || quietDepth > 0 ? null : tslabDisplay();
  const entry = nb ? nb.newDisplay() : null;
  let count = 0;
  let lastPrint = -Infinity;
  const line = (note?: string) => {
    const el = (Date.now() - start) / 1000;
    const pct = total > 0 ? ` (${((100 * count) / total).toFixed(0)} %)` : '';
    const eta = etaText(el, count, total);
    return `${label}: ${count}/${total}${pct}, ${fmtSeconds(el)}${eta}${note ? ' - ' + note : ''}`;
  };
  return {
    tick(n = 1, note?: string) {
      count += n;
      const now = Date.now();
      if (entry) {
        if (now - lastPrint >= 250 || count >= total) {
          entry.text(line(note));
          lastPrint = now;
        }
      } else if (count === n || count >= total || now - lastPrint >= every) {
        log(line(note));
        lastPrint = now;
      }
    },
    done(note?: string) {
      const msg = `${label}: done, ${count} in ${fmtSeconds((Date.now() - start) / 1000)}${note ? ' - ' + note : ''}`;
      if (entry) entry.text(msg);
      else log(msg);
    },
  };
}
