/**
 * The embedded transport: the default when no AMQP_URL is configured. Persistent under `dir`:
 *
 *   dir/LOCK                         pid of the process that has the journal open
 *   dir/bindings.json                outbound channels and event groups (with their patterns)
 *   dir/log/<prefix>.inbound.log.jsonl   every inbound message, append-only (the replay log)
 *   dir/queues/<queue>.jsonl         the queue's messages, one JSON object a line
 *   dir/queues/<queue>.acks          sequence numbers acknowledged, one a line
 *
 * A message is pending while its sequence number is in the journal but not in the acks file, so
 * after any restart (kill -9 included) exactly the unacknowledged messages are delivered again.
 * Routing mirrors the RabbitMQ topology; the logic of the bus lives in core.ts.
 */
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { busErrors, errorText } from './errors.js';
import {
  topicMatches,
  topology,
  type ConsumeOptions,
  type ExchangeKind,
  type QueueSpec,
  type ReceivedMessage,
  type Settle,
  type Topology,
  type Transport,
  type TransportSubscription,
  type WireMessage,
} from './core.js';
import type { BusLogger } from './types.js';

export interface EmbeddedOptions {
  dir: string;
  prefix: string;
  partitions: number;
  fsync: boolean;
  logger?: BusLogger;
}

/** Journals of fully acknowledged queues are truncated once they hold this many bytes. */
const COMPACT_BYTES = 1 << 20;

/** Dirs open in this process: a second bus on the same journal would corrupt it. */
const openDirs = new Set<string>();

interface Line {
  s: number;
  id: string;
  rk: string;
  h: Record<string, string>;
  /** Body as UTF-8 text, or `b64` when the bytes are not valid UTF-8. */
  b?: string;
  b64?: string;
}

function toLine(seq: number, msg: WireMessage): string {
  const text = msg.body.toString('utf8');
  const exact = Buffer.byteLength(text, 'utf8') === msg.body.length && Buffer.from(text, 'utf8').equals(msg.body);
  const line: Line = { s: seq, id: msg.messageId, rk: msg.routingKey, h: msg.headers };
  if (exact) line.b = text;
  else line.b64 = msg.body.toString('base64');
  return `${JSON.stringify(line)}\n`;
}

function fromLine(line: Line): WireMessage {
  return {
    messageId: line.id,
    routingKey: line.rk,
    headers: line.h,
    body: line.b64 !== undefined ? Buffer.from(line.b64, 'base64') : Buffer.from(line.b ?? '', 'utf8'),
  };
}

/**
 * Parse a JSONL file. A torn last line (the process died mid-write) is cut off so the next
 * append starts on a clean line; that message was never confirmed to its publisher.
 */
async function readLines(path: string, logger?: BusLogger): Promise<Line[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const lines: Line[] = [];
  let offset = 0;
  while (offset < text.length) {
    const end = text.indexOf('\n', offset);
    if (end === -1) {
      logger?.warn({ path }, 'bus: cutting off a torn last journal line');
      const handle = await open(path, 'r+');
      await handle.truncate(Buffer.byteLength(text.slice(0, offset), 'utf8'));
      await handle.close();
      break;
    }
    const raw = text.slice(offset, end);
    offset = end + 1;
    if (raw.trim() === '') continue;
    try {
      lines.push(JSON.parse(raw) as Line);
    } catch {
      logger?.error({ path }, 'bus: skipping an unreadable journal line');
    }
  }
  return lines;
}

/** Cut a torn last line off a large append-only file without reading all of it. */
async function repairTail(path: string, logger?: BusLogger): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r+');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  try {
    const { size } = await handle.stat();
    let end = size;
    const chunk = Buffer.alloc(64 * 1024);
    while (end > 0) {
      const start = Math.max(0, end - chunk.length);
      const { bytesRead } = await handle.read(chunk, 0, end - start, start);
      const newline = chunk.subarray(0, bytesRead).lastIndexOf(0x0a);
      if (newline >= 0) {
        end = start + newline + 1;
        break;
      }
      end = start;
    }
    if (end < size) {
      logger?.warn({ path }, 'bus: cutting off a torn last journal line');
      await handle.truncate(end);
    }
  } finally {
    await handle.close();
  }
}

/** An append-only file with serialized writes. */
class AppendFile {
  private handle?: FileHandle;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    readonly path: string,
    private readonly fsync: boolean,
  ) {}

  /** Runs `step` after every earlier write, in order. */
  serial<T>(step: () => Promise<T>): Promise<T> {
    const next = this.chain.then(step, step);
    this.chain = next.catch(() => undefined);
    return next;
  }

  append(text: string): Promise<void> {
    return this.serial(async () => {
      this.handle ??= await open(this.path, 'a');
      await this.handle.write(text);
      // Without fsync the write sits in the OS page cache: safe from kill -9, not from power loss.
      if (this.fsync) await this.handle.datasync();
    });
  }

  /** Call inside serial(): empty the file. */
  async truncateNow(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
    await writeFile(this.path, '');
  }

  /** Call inside serial(): atomically replace the content. */
  async replaceNow(text: string): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
    const tmp = `${this.path}.tmp`;
    await writeFile(tmp, text);
    await rename(tmp, this.path);
  }

  async size(): Promise<number> {
    try {
      return (await stat(this.path)).size;
    } catch {
      return 0;
    }
  }

  flush(): Promise<void> {
    return this.serial(async () => undefined);
  }

  close(): Promise<void> {
    return this.serial(async () => {
      await this.handle?.close();
      this.handle = undefined;
    });
  }
}

interface QueueConsumer {
  onMessage: (msg: ReceivedMessage) => Promise<Settle>;
  limit: number;
  inFlight: Set<Promise<void>>;
  closed: boolean;
}

class EmbeddedQueue {
  private readonly pending = new Map<number, WireMessage>();
  /** Pending and not handed out, ascending: a requeued message goes back to its place. */
  private readonly ready: number[] = [];
  /** Deliveries per message in this process (a restart counts from 1 again). */
  private readonly deliveries = new Map<number, number>();
  private readonly consumers: QueueConsumer[] = [];
  private nextSeq = 1;
  /** Appended (or being appended) and not yet acknowledged: compaction waits for 0. */
  private live = 0;
  private turn = 0;
  private readonly journal: AppendFile;
  private readonly acks: AppendFile;

  constructor(
    readonly name: string,
    dir: string,
    fsync: boolean,
    /** Work queues: one consumer at a time receives, the others wait (failover on close). */
    private readonly singleActive: boolean,
    private readonly logger?: BusLogger,
  ) {
    this.journal = new AppendFile(join(dir, `${name}.jsonl`), fsync);
    this.acks = new AppendFile(join(dir, `${name}.acks`), fsync);
  }

  async load(): Promise<void> {
    const lines = await readLines(this.journal.path, this.logger);
    const acked = new Set<number>();
    // The text after the last newline is a torn write (or empty): "12" of "123" must not count.
    for (const line of (await readFile(this.acks.path, 'utf8').catch(() => '')).split('\n').slice(0, -1)) {
      const seq = Number.parseInt(line, 10);
      if (Number.isInteger(seq)) acked.add(seq);
    }
    let maxSeq = 0;
    for (const seq of acked) maxSeq = Math.max(maxSeq, seq);
    const keep: Line[] = [];
    for (const line of lines) {
      maxSeq = Math.max(maxSeq, line.s);
      if (!acked.has(line.s)) keep.push(line);
    }
    // Sequence numbers never go back, so an ack line left from before a compaction stays harmless.
    this.nextSeq = maxSeq + 1;
    for (const line of keep) {
      this.pending.set(line.s, fromLine(line));
      this.ready.push(line.s);
    }
    this.ready.sort((a, b) => a - b);
    this.live = keep.length;
    if (acked.size > 0) {
      // Compact at start-up: the journal keeps only what is pending, then the acks go.
      await this.journal.serial(() => this.journal.replaceNow(keep.map((l) => `${JSON.stringify(l)}\n`).join('')));
      await this.acks.serial(() => this.acks.truncateNow());
    }
  }

  async put(msg: WireMessage): Promise<void> {
    const seq = this.nextSeq++;
    // Counted before the write is queued, so a compaction queued meanwhile sees it.
    this.live++;
    try {
      await this.journal.append(toLine(seq, msg));
    } catch (err) {
      this.live--;
      throw err;
    }
    this.pending.set(seq, msg);
    insertSorted(this.ready, seq);
    this.dispatch();
  }

  addConsumer(consumer: QueueConsumer): void {
    this.consumers.push(consumer);
    this.dispatch();
  }

  async removeConsumer(consumer: QueueConsumer): Promise<void> {
    consumer.closed = true;
    const index = this.consumers.indexOf(consumer);
    if (index >= 0) this.consumers.splice(index, 1);
    while (consumer.inFlight.size > 0) await Promise.allSettled([...consumer.inFlight]);
    this.dispatch();
  }

  depth(): number {
    return this.ready.length;
  }

  close(): Promise<void> {
    return Promise.all([this.journal.close(), this.acks.close()]).then(() => undefined);
  }

  /** Hand ready messages to consumers with room, round-robin (competing consumers). */
  private dispatch(): void {
    const eligible = this.singleActive ? this.consumers.slice(0, 1) : this.consumers;
    let progress = true;
    while (progress && this.ready.length > 0) {
      progress = false;
      for (let i = 0; i < eligible.length && this.ready.length > 0; i++) {
        const consumer = eligible[(this.turn + i) % eligible.length];
        if (!consumer || consumer.closed || consumer.inFlight.size >= consumer.limit) continue;
        this.deliver(consumer, this.ready.shift() as number);
        progress = true;
      }
      this.turn++;
    }
  }

  private deliver(consumer: QueueConsumer, seq: number): void {
    const msg = this.pending.get(seq) as WireMessage;
    const count = (this.deliveries.get(seq) ?? 0) + 1;
    this.deliveries.set(seq, count);
    const work = consumer
      .onMessage({ ...msg, deliveryCount: count })
      .catch((err: unknown): Settle => {
        this.logger?.error({ err, queue: this.name }, 'bus: consumer failed unexpectedly; message requeued');
        return 'requeue';
      })
      .then(async (settle) => {
        if (settle === 'ack') await this.ack(seq);
        else insertSorted(this.ready, seq);
      })
      .finally(() => {
        consumer.inFlight.delete(work);
        this.dispatch();
      });
    consumer.inFlight.add(work);
  }

  private async ack(seq: number): Promise<void> {
    this.pending.delete(seq);
    this.deliveries.delete(seq);
    try {
      await this.acks.append(`${seq}\n`);
    } catch (err) {
      // Not recorded: the message comes again after a restart (at-least-once), never lost.
      this.logger?.error({ err, queue: this.name }, 'bus: could not record an ack');
      return;
    }
    this.live--;
    if (this.live === 0) await this.compactIfLarge();
  }

  /** Everything acknowledged: truncate journal, then acks (a crash between is harmless). */
  private async compactIfLarge(): Promise<void> {
    if ((await this.journal.size()) < COMPACT_BYTES) return;
    await this.journal.serial(async () => {
      if (this.live !== 0) return;
      await this.journal.truncateNow();
      await this.acks.serial(() => this.acks.truncateNow());
    });
  }
}

function insertSorted(list: number[], value: number): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, value);
}

interface Bindings {
  outbound: string[];
  events: Record<string, string[]>;
}

export class EmbeddedTransport implements Transport {
  readonly driver = 'embedded' as const;
  private readonly names: Topology;
  private readonly queues = new Map<string, EmbeddedQueue>();
  private readonly log: AppendFile;
  private bindings: Bindings = { outbound: [], events: {} };
  private readonly subscriptions = new Set<TransportSubscription>();
  private readonly root: string;

  private constructor(private readonly options: EmbeddedOptions) {
    this.root = resolve(options.dir);
    this.names = topology(options.prefix);
    this.log = new AppendFile(join(this.root, 'log', `${this.names.log}.jsonl`), options.fsync);
  }

  static async open(options: EmbeddedOptions): Promise<EmbeddedTransport> {
    const transport = new EmbeddedTransport(options);
    await transport.lock();
    try {
      await transport.load();
    } catch (err) {
      await transport.unlock();
      throw err;
    }
    return transport;
  }

  async publish(exchange: ExchangeKind, msg: WireMessage): Promise<void> {
    switch (exchange) {
      case 'inbound': {
        await this.log.append(toLine(0, msg));
        const p = Number.parseInt(msg.routingKey.split('.')[0] ?? '', 10);
        await this.queues.get(this.names.work(p))?.put(msg);
        return;
      }
      case 'outbound':
        return (await this.outboundQueue(msg.routingKey)).put(msg);
      case 'events':
        await Promise.all(
          Object.entries(this.bindings.events)
            .filter(([, patterns]) => patterns.some((pattern) => topicMatches(pattern, msg.routingKey)))
            .map(([group]) => this.queue(this.names.eventsQueue(group), false).put(msg)),
        );
        return;
      case 'dead':
        return this.queue(this.names.deadQueue, false).put(msg);
    }
  }

  async sendToQueue(name: string, msg: WireMessage): Promise<void> {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`embedded bus: no queue named ${name}`);
    await queue.put(msg);
  }

  async consume(
    spec: QueueSpec,
    opts: ConsumeOptions,
    onMessage: (msg: ReceivedMessage) => Promise<Settle>,
  ): Promise<TransportSubscription> {
    let queue: EmbeddedQueue;
    if (spec.kind === 'work') queue = this.queue(this.names.work(spec.partition), true);
    else if (spec.kind === 'outbound') queue = await this.outboundQueue(spec.channel);
    else if (spec.kind === 'dead') queue = this.queue(this.names.deadQueue, false);
    else {
      const known = this.bindings.events[spec.group] ?? [];
      const patterns = [...new Set([...known, ...spec.patterns])];
      if (patterns.length !== known.length) {
        this.bindings.events[spec.group] = patterns;
        await this.saveBindings();
      }
      queue = this.queue(this.names.eventsQueue(spec.group), false);
    }
    const consumer: QueueConsumer = { onMessage, limit: Math.max(1, opts.concurrency), inFlight: new Set(), closed: false };
    queue.addConsumer(consumer);
    const subscription: TransportSubscription = {
      close: async () => {
        this.subscriptions.delete(subscription);
        await queue.removeConsumer(consumer);
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  async readLog(_from: Date, onMessage: (msg: WireMessage) => Promise<void>): Promise<void> {
    await this.log.flush();
    const size = await this.log.size();
    if (size === 0) return;
    // Read up to the size at the start: what is appended meanwhile is not part of this replay.
    const lines = createInterface({ input: createReadStream(this.log.path, { start: 0, end: size - 1 }), crlfDelay: Infinity });
    for await (const raw of lines) {
      if (raw.trim() === '') continue;
      let line: Line;
      try {
        line = JSON.parse(raw) as Line;
      } catch {
        continue;
      }
      await onMessage(fromLine(line));
    }
  }

  async depths(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const [name, queue] of [...this.queues].sort(([a], [b]) => a.localeCompare(b))) out[name] = queue.depth();
    return out;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.subscriptions].map((s) => s.close()));
    await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
    await this.log.close();
    await this.unlock();
  }

  // -- internals -------------------------------------------------------------------------------

  private queue(name: string, singleActive: boolean): EmbeddedQueue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new EmbeddedQueue(name, join(this.root, 'queues'), this.options.fsync, singleActive, this.options.logger);
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** Declared before the first publish, like RabbitMQ: nothing published is unroutable. */
  private async outboundQueue(channel: string): Promise<EmbeddedQueue> {
    if (!this.bindings.outbound.includes(channel)) {
      this.bindings.outbound.push(channel);
      await this.saveBindings();
    }
    return this.queue(this.names.outboundQueue(channel), false);
  }

  private async load(): Promise<void> {
    await mkdir(join(this.root, 'queues'), { recursive: true });
    await mkdir(join(this.root, 'log'), { recursive: true });
    try {
      this.bindings = { outbound: [], events: {}, ...JSON.parse(await readFile(this.bindingsPath(), 'utf8')) } as Bindings;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    for (let p = 0; p < this.options.partitions; p++) this.queue(this.names.work(p), true);
    this.queue(this.names.deadQueue, false);
    for (const channel of this.bindings.outbound) this.queue(this.names.outboundQueue(channel), false);
    for (const group of Object.keys(this.bindings.events)) this.queue(this.names.eventsQueue(group), false);
    // Queues left from an earlier configuration (more partitions) keep their pending messages.
    const workPrefix = `${this.names.prefix}.inbound.work.`;
    for (const file of await readdir(join(this.root, 'queues'))) {
      if (file.endsWith('.jsonl') && file.startsWith(`${this.names.prefix}.`)) {
        const name = file.slice(0, -'.jsonl'.length);
        this.queue(name, name.startsWith(workPrefix));
      }
    }
    await Promise.all([...this.queues.values()].map((q) => q.load()));
    await repairTail(this.log.path, this.options.logger);
  }

  private async saveBindings(): Promise<void> {
    const tmp = `${this.bindingsPath()}.tmp`;
    await writeFile(tmp, JSON.stringify(this.bindings, null, 2));
    await rename(tmp, this.bindingsPath());
  }

  private bindingsPath(): string {
    return join(this.root, 'bindings.json');
  }

  private lockPath(): string {
    return join(this.root, 'LOCK');
  }

  private async lock(): Promise<void> {
    if (openDirs.has(this.root)) throw busErrors.locked(this.root, 'this process (close the other bus first)');
    await mkdir(this.root, { recursive: true });
    const holder = Number.parseInt(await readFile(this.lockPath(), 'utf8').catch(() => ''), 10);
    if (Number.isInteger(holder) && holder !== process.pid && alive(holder)) {
      throw busErrors.locked(this.root, `process ${holder}`);
    }
    // A LOCK of a dead process (kill -9) is simply taken over.
    await writeFile(this.lockPath(), String(process.pid));
    openDirs.add(this.root);
  }

  private async unlock(): Promise<void> {
    openDirs.delete(this.root);
    await rm(this.lockPath(), { force: true }).catch((err: unknown) => {
      this.options.logger?.warn({ err: errorText(err) }, 'bus: could not remove the journal LOCK');
    });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
