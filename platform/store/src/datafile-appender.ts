/**
 * nedb appends every write to its datafile with fs.appendFile: open, write, close, three system
 * calls and a file handle per write, which cost the embedded store about a tenth of its CPU under
 * load. This appender keeps one descriptor open in append mode per datafile instead, and writes
 * synchronously: a line of a few hundred bytes into the page cache takes microseconds, while an
 * asynchronous write costs a thread-pool round trip, a promise and a turn of the event loop per
 * write (bench/ingest.ts showed that dispatch alone at 7 % of a busy hub's CPU). Durability is
 * unchanged: a write resolves once its line is handed to the OS (a kill -9 afterwards loses
 * nothing; an OS crash may lose what the OS had not flushed), exactly as with appendFile.
 *
 * nedb runs a datastore's writes and compactions one at a time (its executor), so appends never
 * overlap a compaction. A compaction replaces the datafile by a rename, after which the
 * descriptor would write into the old, unlinked file: it is dropped on nedb's "compaction.done"
 * and the next append opens the new file.
 */
import { createRequire } from 'node:module';
import { closeSync, openSync, writeSync } from 'node:fs';
import type { EventEmitter } from 'node:events';

/** nedb's line format (model.serialize: JSON with Dates as {$$date}), so its loader reads our lines. */
const model = createRequire(import.meta.url)('@seald-io/nedb/lib/model.js') as { serialize(doc: unknown): string };

interface NedbPersistence {
  filename: string;
  modes: { fileMode: number };
  persistNewStateAsync(newDocs: unknown[]): Promise<void>;
}

export class DatafileAppender {
  private fd: number | undefined;

  constructor(
    private readonly file: string,
    private readonly mode: number,
  ) {}

  async append(text: string): Promise<void> {
    // A failed open is not remembered: the next append tries again.
    this.fd ??= openSync(this.file, 'a', this.mode);
    try {
      // One write(2) as a rule (O_APPEND: at the end); a short write goes on with the rest.
      let rest = Buffer.from(text, 'utf8');
      while (rest.length > 0) rest = rest.subarray(writeSync(this.fd, rest));
    } catch (err) {
      // The file may be gone or the descriptor broken: reopen next time, as appendFile would.
      this.reset();
      throw err;
    }
  }

  /** The datafile was replaced or removed: later appends open it afresh. */
  reset(): void {
    const old = this.fd;
    this.fd = undefined;
    if (old !== undefined) {
      try {
        closeSync(old);
      } catch {
        // Already closed or broken: nothing is left to release.
      }
    }
  }

  async close(): Promise<void> {
    this.reset();
  }
}

/** Makes a loaded nedb datastore append through one kept-open handle; close the appender with the store. */
export function appendThroughOneHandle(db: EventEmitter): DatafileAppender {
  const persistence = (db as unknown as { persistence: NedbPersistence }).persistence;
  const appender = new DatafileAppender(persistence.filename, persistence.modes.fileMode);
  persistence.persistNewStateAsync = async (newDocs) => {
    let lines = '';
    for (const doc of newDocs) lines += `${model.serialize(doc)}\n`;
    if (lines.length > 0) await appender.append(lines);
  };
  db.on('compaction.done', () => appender.reset());
  return appender;
}
