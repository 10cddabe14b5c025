/**
 * nedb appends every write to its datafile with fs.appendFile: open, write, close, three system
 * calls and a file handle per write, and serializes each document with a replacer called for
 * every key. This appender keeps one descriptor open in append mode per datafile, writes the
 * lines nedb's loader reads (JSON, Dates as {"$$date": ms}) without a replacer, and commits in
 * groups: the lines appended during one event-loop turn go to the file in one synchronous write
 * from setImmediate (the embedded store handles many conversations at once; one write(2) per
 * document was ≈7 % of a busy hub's CPU in bench/ingest.ts, the serializer ≈4 %).
 *
 * Durability is unchanged for whoever waits: a store write resolves once its lines are handed to
 * the OS (a kill -9 afterwards loses nothing; an OS crash may lose what the OS had not flushed),
 * as with appendFile. `add` returns the promise of the group the lines joined; the store waits for
 * it after releasing the collection's mutex, so the next write of that collection need not wait.
 * Memory runs ahead of the file for at most that turn, as it did during an appendFile.
 *
 * A compaction replaces the datafile by a rename, after which the descriptor would write into
 * the old, unlinked file: it is dropped on nedb's "compaction.done" and the next write opens the
 * new file. Lines still waiting are flushed before a compaction starts; any that land after it
 * repeat documents the compacted file already holds, which the loader reads as the same state.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { EventEmitter } from 'node:events';
import { mapStored } from './core.js';

interface NedbPersistence {
  filename: string;
  modes: { fileMode: number };
  persistNewStateAsync(newDocs: unknown[]): Promise<void>;
}

interface Group {
  done: Promise<void>;
  resolve: () => void;
  reject: (err: unknown) => void;
}

const asNedbDate = (d: Date) => ({ $$date: d.getTime() });

/** One datafile line, byte for byte what nedb's model.serialize writes for the values the store admits. */
export function datafileLine(doc: unknown): string {
  return `${JSON.stringify(mapStored(doc, asNedbDate))}\n`;
}

export class DatafileAppender {
  private fd: number | undefined;
  private waiting = '';
  private group: Group | undefined;
  /** The group the latest lines joined (the store reads it right after each nedb write). */
  last: Promise<void> | undefined;

  constructor(
    private readonly file: string,
    private readonly mode: number,
  ) {}

  /** Queues lines for this turn's write; the promise settles when they are written (or failed). */
  add(text: string): Promise<void> {
    this.waiting += text;
    if (!this.group) {
      let resolve!: () => void;
      let reject!: (err: unknown) => void;
      const done = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      // Whoever wrote waits on it; this only keeps a failure nobody waits for from crashing the process.
      done.catch(() => undefined);
      this.group = { done, resolve, reject };
      setImmediate(() => this.flush());
    }
    this.last = this.group.done;
    return this.group.done;
  }

  /** Writes what waits now. */
  flush(): void {
    const group = this.group;
    const text = this.waiting;
    this.group = undefined;
    this.waiting = '';
    if (!group) return;
    try {
      this.write(text);
      group.resolve();
    } catch (err) {
      group.reject(err);
    }
  }

  private write(text: string): void {
    // A failed open is not remembered: the next write tries again.
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

  /** The datafile was replaced or removed: later writes open it afresh. */
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
    this.flush();
    this.reset();
  }
}

/** Makes a loaded nedb datastore append through one kept-open handle; close the appender with the store. */
export function appendThroughOneHandle(db: EventEmitter): DatafileAppender {
  const persistence = (db as unknown as { persistence: NedbPersistence }).persistence;
  const appender = new DatafileAppender(persistence.filename, persistence.modes.fileMode);
  persistence.persistNewStateAsync = async (newDocs) => {
    let lines = '';
    for (const doc of newDocs) lines += datafileLine(doc);
    if (lines.length > 0) void appender.add(lines);
  };
  db.on('compaction.done', () => appender.reset());
  return appender;
}
