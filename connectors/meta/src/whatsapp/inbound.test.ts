import { describe, expect, it } from 'vitest';
import text from '../fixtures/whatsapp-text.json' with { type: 'json' };
import media from '../fixtures/whatsapp-media.json' with { type: 'json' };
import other from '../fixtures/whatsapp-other.json' with { type: 'json' };
import statuses from '../fixtures/whatsapp-statuses.json' with { type: 'json' };
import type { InboundItem, StatusItem } from '../types.js';
import { NotAWhatsAppWebhook, normalizeWhatsApp } from './inbound.js';

const events = (body: unknown) => normalizeWhatsApp(body).filter((i): i is InboundItem => i.type === 'event');

describe('WhatsApp Cloud inbound', () => {
  it('reads a text message with the customer name, phone and time', () => {
    const [item] = events(text);
    expect(item?.accountId).toBe('106540352242922');
    expect(item?.event).toMatchObject({
      kind: 'message',
      externalId: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
      threadKey: '16505551234',
      sender: { externalId: '16505551234', name: 'Sheena Nelson', phone: '+16505551234' },
      text: 'Does it come in another color?',
      sentAt: '2025-06-08T20:59:43.000Z',
    });
  });

  it('keeps media to download, the caption, the file name and the message replied to', () => {
    const [image, doc] = events(media);
    expect(image?.event).toMatchObject({
      text: 'This one, in blue',
      replyTo: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI0RjU3QzY0QjYxMkU0RkIwAA==',
      attachments: [{ kind: 'image', mime: 'image/jpeg', ref: 'whatsapp-media:1003383421387256' }],
    });
    expect(image?.media).toEqual([{ index: 0, mediaId: '1003383421387256' }]);
    expect(doc?.event.attachments).toEqual([{ kind: 'file', mime: 'application/pdf', name: 'invoice-2291.pdf', ref: 'whatsapp-media:1003383421387257' }]);
  });

  it('reads locations, contact cards, button and list replies, reactions, stickers and unsupported types', () => {
    const byId = new Map(events(other).map((i) => [i.event.externalId, i]));
    expect(byId.get('wamid.LOCATION1')?.event).toMatchObject({
      text: 'Main office, 1 Hacker Way, Menlo Park, CA 94025',
      attachments: [{ kind: 'location', ref: 'geo:37.483307,-122.148981' }],
    });
    expect(byId.get('wamid.CONTACTS1')?.event.attachments).toEqual([{ kind: 'contact', name: 'Barbara J. Johnson', ref: 'tel:+19405551234' }]);
    expect(byId.get('wamid.INTERACTIVE1')?.event.text).toBe('Track my order');
    expect(byId.get('wamid.LIST1')?.event.text).toBe('Express shipping');
    expect(byId.get('wamid.REACTION1')?.event).toMatchObject({ kind: 'reaction', reaction: '👍', replyTo: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI0RjU3QzY0QjYxMkU0RkIwAA==' });
    expect(byId.has('wamid.UNREACT1')).toBe(false);
    expect(byId.get('wamid.STICKER1')?.event.attachments?.[0]).toMatchObject({ kind: 'sticker', mime: 'image/webp' });
    expect(byId.get('wamid.UNSUPPORTED1')?.event.text).toContain('Message type unknown');
  });

  it('turns statuses into delivery updates, with the error title and details when failed', () => {
    const items = normalizeWhatsApp(statuses) as StatusItem[];
    expect(items.map((s) => [s.providerMessageId, s.status])).toEqual([
      ['wamid.SENT_BY_US_1', 'delivered'],
      ['wamid.SENT_BY_US_2', 'failed'],
    ]);
    expect(items[1]?.error).toMatch(/^Re-engagement message: Message failed to send because more than 24 hours/);
  });

  it('refuses a body that is not a WhatsApp webhook', () => {
    expect(() => normalizeWhatsApp({ object: 'page', entry: [] })).toThrow(NotAWhatsAppWebhook);
  });
});
