import path from 'node:path';
import { newId } from '@switchboard/contracts';
import { createStore } from '@switchboard/store';
import { DEMO, Repositories, seedDemo } from '@switchboard/inbox-service';

/** The name of the contact of the n-th seeded conversation (1 = the newest). */
export const seededName = (n: number, prefix = 'Customer'): string => `${prefix} ${String(n).padStart(5, '0')}`;

export interface SeedOptions {
  status?: 'open' | 'pending' | 'resolved';
  /** Contact names are `<prefix> 00001`…; default "Customer". */
  prefix?: string;
}

/**
 * Writes `count` open website conversations of the demo team straight into the embedded store
 * under `dataDir`, through inbox-service's Repositories, before the hub process starts (the hub
 * then finds the demo team already there). Conversation n was last active n minutes ago, so the
 * list shows them in order, `seededName(count)` last; call it again with another `prefix` for
 * more. Ten thousand take seconds this way; through the widget or the API they would take minutes.
 */
export async function seedConversations(dataDir: string, count: number, opts: SeedOptions = {}): Promise<void> {
  const prefix = opts.prefix ?? 'Customer';
  const store = await createStore({ driver: 'embedded', dir: path.join(dataDir, 'store') });
  try {
    const repos = new Repositories(store);
    await repos.ensureIndexes();
    await seedDemo(repos);
    const inbox = await repos.findInboxByWidgetToken(DEMO.widgetToken);
    if (!inbox) throw new Error('the demo website inbox was not created');
    const r = repos.forTenant(inbox.tenantId);
    const now = Date.now();
    for (let n = 1; n <= count; n++) {
      const at = new Date(now - n * 60_000);
      const visitor = `seed-${prefix.toLowerCase().replace(/\W+/g, '-')}-${n}`;
      await r.conversations.insertOne({
        _id: newId(),
        inboxId: inbox._id,
        channel: 'web',
        channelAccountId: inbox.channelAccountId,
        threadKey: visitor,
        contact: { id: visitor, name: seededName(n, prefix) },
        status: opts.status ?? 'open',
        assigneeId: null,
        unreadCount: 0,
        lastSeq: 0,
        lastMessage: { text: `Question number ${n}`, direction: 'in', at },
        createdAt: at,
        updatedAt: at,
      });
    }
  } finally {
    await store.close();
  }
}
