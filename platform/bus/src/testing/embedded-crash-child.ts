/**
 * Child process for the kill -9 test of the embedded bus (embedded.specific.test.ts):
 * publishes `count` events of one thread, handles (acks) the first `ack` of them, then hangs in
 * the handler of the next one and prints READY — the parent kills it with SIGKILL there.
 * argv: <dir> <count> <ack>
 */
import { createBus } from '../index.js';

const [dir, countText, ackText] = process.argv.slice(2);
const count = Number(countText);
const ack = Number(ackText);

const bus = await createBus({ driver: 'embedded', dir: dir as string, partitions: 4 });
for (let i = 0; i < count; i++) {
  const now = new Date().toISOString();
  await bus.publishInbound({
    id: `evt-${i}`,
    v: 1,
    tenantId: 't1',
    channel: 'telegram',
    channelAccountId: 'bot-1',
    kind: 'message',
    externalId: `ext-${i}`,
    threadKey: 'chat-kill',
    sender: { externalId: 'u-1' },
    text: String(i),
    sentAt: now,
    receivedAt: now,
  });
}
let handled = 0;
await bus.consumeInbound(async () => {
  if (handled === ack) {
    process.stdout.write('READY\n');
    await new Promise(() => undefined); // never acknowledges: killed here
  }
  handled++;
});
