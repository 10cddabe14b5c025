import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/instagram-messages.json' with { type: 'json' };
import type { InboundItem } from '../types.js';
import { NotAnInstagramWebhook, normalizeInstagram } from './inbound.js';

describe('Instagram Messaging inbound', () => {
  const items = normalizeInstagram(fixture) as InboundItem[];
  const byId = new Map(items.map((i) => [i.event.externalId, i]));

  it('reads text with the sender as the thread', () => {
    const first = items[0];
    expect(first?.accountId).toBe('17841405822304914');
    expect(first?.event).toMatchObject({ kind: 'message', threadKey: '1254459154682919', text: 'Hi! Is the blue jacket still available?', sentAt: '2025-06-08T21:05:00.000Z' });
  });

  it('keeps image, story reply and story mention media to download', () => {
    expect(byId.get('ig.mid.IMAGE1')?.media).toEqual([{ index: 0, url: 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=17964327&signature=abc' }]);
    expect(byId.get('ig.mid.STORYREPLY1')?.event).toMatchObject({ text: 'Love this!\nReplied to your story', attachments: [{ kind: 'image', name: 'Story' }] });
    expect(byId.get('ig.mid.MENTION1')?.event).toMatchObject({ text: 'Mentioned you in their story', attachments: [{ kind: 'image', name: 'Story mention' }] });
    expect(byId.get('ig.mid.SHARE1')?.event.text).toBe('Shared a post: https://www.instagram.com/p/C1a2b3c4d5e/');
  });

  it('turns reactions into reactions, seen into read, and ignores unreact and our own echoes', () => {
    const reactions = items.filter((i) => i.event.kind === 'reaction');
    expect(reactions.map((r) => [r.event.reaction, r.event.replyTo])).toEqual([['❤️', 'ig.mid.OURS1']]);
    expect(items.filter((i) => i.event.kind === 'read').map((r) => r.event.replyTo)).toEqual(['ig.mid.OURS1']);
    expect(byId.has('ig.mid.ECHO1')).toBe(false);
    expect(items).toHaveLength(7);
  });

  it('refuses a body that is not an Instagram webhook', () => {
    expect(() => normalizeInstagram({ object: 'whatsapp_business_account', entry: [] })).toThrow(NotAnInstagramWebhook);
  });
});
