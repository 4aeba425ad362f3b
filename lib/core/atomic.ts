// Atomic file output: write to a temporary file beside the target, then rename, so an interrupted run never
// leaves a half-written file under the final name (standards: nothing half-written is left behind).
import * as fs from 'fs';
import * as path from 'path';

let counter = 0;
function tmpName(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${counter++}.tmp`);
}

/** Write data to target atomically, creating parent folders. */
export function writeFileAtomic(target: string, data: string | NodeJS.ArrayBufferView): void {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = tmpName(target);
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * writeFileAtomic, but only when the target's content differs (returns whether it wrote): a file rewritten with the
 * same bytes keeps its mtime, so caches that look at large files' size and time (lib/notebooks/cache.ts) see no change.
 */
export function writeFileAtomicIfChanged(target: string, data: string): boolean {
  try {
    if (fs.statSync(target).size === Buffer.byteLength(data) && fs.readFileSync(target, 'utf8') === data) return false;
  } catch {
    // missing or unreadable: write it
  }
  writeFileAtomic(target, data);
  return true;
}

/** JSON, pretty-printed, atomically. */
export function writeJsonAtomic(target: string, value: unknown): void {
  writeFileAtomic(target, JSON.stringify(value, null, 2) + '\n');
}

/**
 * Run a writer against a temporary path and rename it to target only when the writer succeeds
 * (for streaming writers that open the file themselves).
 */
export async function withAtomicPath<T>(target: string, writer: (tmpPath: string) => Promise<T> | T): Promise<T> {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = tmpName(target);
  try {
    const result = await writer(tmp);
    fs.renameSync(tmp, target);
    return result;
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
