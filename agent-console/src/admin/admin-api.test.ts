import { describe, expect, it } from 'vitest';
import { adminApi, mergeInboxes } from './admin-api.js';

describe('admin API', () => {
  it('lists each inbox once, channel accounts and website inboxes together, by name', () => {
    expect(mergeInboxes([{ id: 'i2', name: 'Telegram' }, { id: 'i1', name: 'Website (account)' }], [{ id: 'i1', name: 'Website' }, { id: 'i3', name: 'Shop' }])).toEqual([
      { id: 'i3', name: 'Shop' },
      { id: 'i2', name: 'Telegram' },
      { id: 'i1', name: 'Website (account)' },
    ]);
  });

  it('calls the documented routes with ids escaped', async () => {
    const calls: string[] = [];
    const api = adminApi({
      call: async (method, path, body) => (calls.push(`${method} ${path}${body === undefined ? '' : ` ${JSON.stringify(body)}`}`), { items: [] }) as never,
      listChannels: async () => ({ items: [] }),
    });
    await api.resendInvitation('a/1');
    await api.setActive('a1', false);
    await api.updateSettings({ crm: null });
    expect(calls).toEqual(['POST /api/v1/agents/a%2F1/invitation', 'POST /api/v1/agents/a1/deactivate', 'PATCH /api/v1/ticket-settings {"crm":null}']);
  });
});
