import { createServer, connect, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { coalesceWrites } from './write-coalescing.js';

describe('coalesceWrites', () => {
  let server: Server | undefined;
  let client: Socket | undefined;
  afterEach(async () => {
    client?.destroy();
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
  });

  /** A loopback pair whose server side records every chunk it reads. */
  async function pair(): Promise<{ client: Socket; chunks: string[]; received: (text: string) => Promise<void> }> {
    const chunks: string[] = [];
    let all = '';
    const waiters: { text: string; resolve: () => void }[] = [];
    server = createServer((s) =>
      s.on('data', (d: Buffer) => {
        chunks.push(d.toString());
        all += d.toString();
        for (const w of waiters.filter((w) => all.includes(w.text))) w.resolve();
      }),
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    client = connect(port, '127.0.0.1');
    await once(client, 'connect');
    const received = (text: string) => (all.includes(text) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ text, resolve })));
    return { client, chunks, received };
  }

  it('sends the writes of one turn together, in order', async () => {
    const { client, chunks, received } = await pair();
    coalesceWrites(client);
    for (let i = 0; i < 50; i++) client.write(`frame ${i};`);
    await received('frame 49;');
    expect(chunks.join('')).toBe(Array.from({ length: 50 }, (_, i) => `frame ${i};`).join(''));
    // Uncoalesced, 50 writes on a socket that is not busy leave as many system calls and,
    // on loopback, arrive as several reads; held for the turn they are one.
    expect(chunks).toHaveLength(1);
  });

  it('holds nothing past the turn: a lone write arrives without another one after it', async () => {
    const { client, received } = await pair();
    coalesceWrites(client);
    client.write('alone');
    await received('alone');
    await new Promise((r) => setImmediate(r));
    client.write('next turn');
    await received('next turn');
    expect(client.writableCorked).toBe(0);
  });

  it('lets a write callback run once the turn is flushed', async () => {
    const { client } = await pair();
    coalesceWrites(client);
    const done = new Promise<void>((resolve, reject) => client.write('with callback', (err) => (err ? reject(err) : resolve())));
    await expect(done).resolves.toBeUndefined();
  });
});
