import { afterEach, describe, expect, it, vi } from 'vitest';
import { installApi, type ChatApi, type SwitchboardGlobal } from './api.js';
import { toVisitorUpdate } from './visitor.js';
import { memoryStorage } from './storage.js';
import { createStore } from './store.js';

/** window.Switchboard as the page uses it, before and after the chat bundle has loaded. */

const config = { inboxToken: 'tok', hubOrigin: 'https://hub.example', position: 'right' as const, hideLauncher: false, suggestions: true };

function install(target: SwitchboardGlobal = {}) {
  const load = vi.fn();
  const open = createStore(false);
  const hook = installApi(target, { config, storage: memoryStorage(), open, locale: 'en' }, load);
  return { target, load, open, hook, api: target as Required<SwitchboardGlobal> };
}

function fakeChat(): ChatApi & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    identify: async (v) => (calls.push(`identify ${v.id}`), { ok: true }),
    setAttributes: async (v) => (calls.push(`setAttributes ${JSON.stringify(v)}`), { ok: false, code: 'SB_ERR_VALIDATION', message: 'no' }),
    reset: () => void calls.push('reset'),
  };
}

afterEach(() => vi.useRealTimers());

describe('window.Switchboard', () => {
  it('replays what the stub queued, in order, on the stub’s own object', () => {
    const opened: string[] = [];
    const stub: SwitchboardGlobal = {
      q: [
        ['on', ['open', () => opened.push('open event')]],
        ['open', []],
        ['setLocale', ['de']],
        ['noSuchMethod', [1]],
      ],
    };
    const { target, load, open, hook } = install(stub);
    expect(target).toBe(stub);
    expect(target.q).toBeUndefined();
    expect(open.get()).toBe(true);
    expect(opened).toEqual(['open event']);
    expect(hook.locale.get()).toBe('de');
    expect(load).toHaveBeenCalled();
  });

  it('holds identify and setAttributes until the chat runs, loads it at once, and answers with the chat’s result', async () => {
    const { api, load, hook } = install();
    const identified = api.identify({ id: 'u-1' });
    const attributes = api.setAttributes({ plan: 'pro' });
    api.reset();
    expect(load).toHaveBeenCalledTimes(3);
    const chat = fakeChat();
    hook.ready(chat);
    expect(await identified).toEqual({ ok: true });
    expect(await attributes).toEqual({ ok: false, code: 'SB_ERR_VALIDATION', message: 'no' });
    expect(chat.calls).toEqual(['identify u-1', 'setAttributes {"plan":"pro"}', 'reset']);
    expect(await api.identify({ id: 'u-2' })).toEqual({ ok: true });
    expect(chat.calls.at(-1)).toBe('identify u-2');
  });

  it('does not load the chat to close it or to set the language', () => {
    const { api, load, hook } = install();
    api.close();
    api.setLocale('fr');
    api.setLocale('  ');
    expect(hook.locale.get()).toBe('fr');
    expect(load).not.toHaveBeenCalled();
    api.toggle();
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('tells listeners of open, close, unread and new messages until they unsubscribe; one failing listener does not stop the others', () => {
    vi.useFakeTimers();
    const { api, hook } = install();
    const seen: unknown[] = [];
    api.on('open', () => {
      throw new Error('page bug');
    });
    const offOpen = api.on('open', () => seen.push('open'));
    api.on('close', () => seen.push('close'));
    api.on('unread', (n) => seen.push(`unread ${n}`));
    api.on('message', (m) => seen.push(m.text));
    api.open();
    api.close();
    hook.unread.set(2);
    hook.emit('message', { id: 'm1', text: 'Hi', createdAt: '2026-01-01T00:00:00Z', attachments: [] });
    offOpen();
    api.open();
    expect(seen).toEqual(['open', 'close', 'unread 2', 'Hi']);
    expect(() => vi.runAllTimers()).toThrow('page bug');
  });
});

describe('setAttributes values', () => {
  it('sends name, email and phone as contact details and everything else as text attributes', () => {
    expect(toVisitorUpdate({ name: 'Kim', email: 'kim@example.com', plan: 'pro', seats: 4, trial: false, gone: null })).toEqual({
      name: 'Kim',
      email: 'kim@example.com',
      attributes: { plan: 'pro', seats: '4', trial: 'false' },
    });
    expect(toVisitorUpdate({ phone: '+49 30 1' })).toEqual({ phone: '+49 30 1' });
  });

  it('refuses what is not an object', () => {
    expect([null, 'x', 3, ['a']].map(toVisitorUpdate)).toEqual([null, null, null, null]);
  });
});
