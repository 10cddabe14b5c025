/** The few storage calls the widget makes, so tests and blocked-storage browsers can swap them. */
export interface KeyValueStorage {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
}

/**
 * Where the widget keeps, per inbox: `visitor`, the visitor's identity (the contract fixes this
 * name); `outbox`, messages typed but not yet acknowledged, kept across page loads; `seen`, the
 * highest seq the visitor has seen with the panel open (the unread badge); `open`, whether the
 * panel is open, per tab (sessionStorage).
 */
export const storageKey = (what: 'visitor' | 'outbox' | 'seen' | 'open', inboxToken: string) => `sb:${what}:${inboxToken}`;

export function memoryStorage(): KeyValueStorage {
  const map = new Map<string, string>();
  return {
    get: (key) => map.get(key) ?? null,
    set: (key, value) => void map.set(key, value),
    remove: (key) => void map.delete(key),
  };
}

/**
 * Web storage that never throws: Safari private mode, sandboxed iframes and "block third-party
 * cookies" make localStorage throw on access, and the chat must still work (for this page view).
 */
export function webStorage(kind: 'localStorage' | 'sessionStorage'): KeyValueStorage {
  const fallback = memoryStorage();
  let store: Storage;
  try {
    store = window[kind];
    store.setItem('sb:', '');
    store.removeItem('sb:');
  } catch {
    return fallback;
  }
  // Each call falls back to memory when the browser refuses it (storage full, revoked access).
  const safe =
    <A extends string[], R>(method: 'getItem' | 'setItem' | 'removeItem', backup: (...args: A) => R) =>
    (...args: A): R => {
      try {
        return (store[method] as unknown as (...args: A) => R)(...args);
      } catch {
        return backup(...args);
      }
    };
  return { get: safe('getItem', fallback.get), set: safe('setItem', fallback.set), remove: safe('removeItem', fallback.remove) };
}
