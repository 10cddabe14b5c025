/** The few storage calls the widget makes, so tests and blocked-storage browsers can swap them. */
export interface KeyValueStorage {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
}

export const storageKeys = {
  /** The visitor's identity for one inbox; the contract fixes this name. */
  visitor: (inboxToken: string) => `sb:visitor:${inboxToken}`,
  /** Messages typed but not yet acknowledged by the server, kept across page loads. */
  outbox: (inboxToken: string) => `sb:outbox:${inboxToken}`,
  /** Highest seq the visitor has seen with the panel open; drives the unread badge. */
  seen: (inboxToken: string) => `sb:seen:${inboxToken}`,
  /** Whether the panel is open, per tab (sessionStorage). */
  open: (inboxToken: string) => `sb:open:${inboxToken}`,
};

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
  let store: Storage | null = null;
  try {
    store = window[kind];
    const probe = '__sb_probe__';
    store.setItem(probe, probe);
    store.removeItem(probe);
  } catch {
    return fallback;
  }
  const s = store;
  return {
    get(key) {
      try {
        return s.getItem(key);
      } catch {
        return fallback.get(key);
      }
    },
    set(key, value) {
      try {
        s.setItem(key, value);
      } catch {
        fallback.set(key, value);
      }
    },
    remove(key) {
      try {
        s.removeItem(key);
      } catch {
        fallback.remove(key);
      }
    },
  };
}
