import type { WidgetConfig } from './config.js';
import type { KeyValueStorage } from './storage.js';
import { createStore, type Store } from './store.js';

/**
 * window.Switchboard, the page's handle on the widget. The loader installs it at once; the calls
 * that need the chat (identify, setAttributes, reset) wait until the chat's core has loaded, and
 * make it load now rather than when the page is idle.
 */

export type ApiResult = { ok: true } | { ok: false; code: string; message: string };

/** An agent's message, as `on('message')` listeners get it. */
export interface PublicMessage {
  id: string;
  text: string;
  authorName?: string;
  createdAt: string;
  attachments: { name: string; url?: string }[];
}

export interface WidgetEvents {
  /** A new agent message (not the history loaded when the chat starts). */
  message: PublicMessage;
  open: undefined;
  close: undefined;
  /** Agent messages the visitor has not seen, whenever the count changes. */
  unread: number;
}

/** The identify() values: `hash` = hex HMAC-SHA256 of `id` keyed with the inbox's identity secret. */
export interface IdentifyValues {
  id: string;
  name?: string;
  email?: string;
  phone?: string;
  hash?: string;
}

export interface SwitchboardApi {
  open(): void;
  close(): void;
  toggle(): void;
  identify(values: IdentifyValues): Promise<ApiResult>;
  /** name, email and phone update the contact; every other key is a custom attribute (values as text). */
  setAttributes(values: Record<string, string | number | boolean | null>): Promise<ApiResult>;
  /** The widget's language, e.g. "de". */
  setLocale(locale: string): void;
  /** Forget the visitor (call it on logout): next messages start a new anonymous conversation. */
  reset(): void;
  /** Returns a function that removes the listener. */
  on<E extends keyof WidgetEvents>(event: E, listener: (value: WidgetEvents[E]) => void): () => void;
}

/** What only the chat bundle does; the loader forwards to it once it runs. */
export interface ChatApi {
  identify: SwitchboardApi['identify'];
  setAttributes: SwitchboardApi['setAttributes'];
  reset(): Promise<ApiResult> | void;
}

/** What the loader hands the chat's core (main.tsx `boot()`): the two share state without a global. */
export interface ChatHook {
  config: WidgetConfig;
  storage: KeyValueStorage;
  open: Store<boolean>;
  /** The launcher's unread count, written by the UI. */
  unread: Store<number>;
  locale: Store<string>;
  emit<E extends keyof WidgetEvents>(event: E, value: WidgetEvents[E]): void;
  /** The chat runs: calls waiting for it go to `impl` now, later ones straight away. */
  ready(impl: ChatApi): void;
}

/** window.Switchboard as the stub (WIDGET_QUEUE_STUB) or the loader left it. */
export type SwitchboardGlobal = Partial<SwitchboardApi> & { q?: [string, unknown[]][] };

declare global {
  interface Window {
    Switchboard?: SwitchboardApi;
    SwitchboardSettings?: unknown;
  }
}

type Waiting = [keyof ChatApi, unknown, (result: ApiResult | void | Promise<ApiResult | void>) => void];

/**
 * Fill `target` (the stub's object, so references the page kept to it keep working) with the API,
 * then replay the calls the stub queued. `load` imports the chat's core (once, or again after a failed download).
 */
export function installApi(target: SwitchboardGlobal, init: { config: WidgetConfig; storage: KeyValueStorage; open: Store<boolean>; locale: string }, load: () => void): ChatHook {
  const { open } = init;
  const unread = createStore(0);
  const locale = createStore(init.locale);
  const listeners: Record<string, Set<(value: never) => void> | undefined> = {};
  let impl: ChatApi | undefined;
  let waiting: Waiting[] = [];

  const emit: ChatHook['emit'] = (event, value) => {
    for (const fn of [...(listeners[event] ?? [])]) {
      try {
        (fn as (v: typeof value) => void)(value);
      } catch (err) {
        // The page's listener failed: report it as the page's error, keep the widget going.
        setTimeout(() => {
          throw err;
        });
      }
    }
  };
  open.subscribe((isOpen) => emit(isOpen ? 'open' : 'close', undefined));
  unread.subscribe((n) => emit('unread', n));

  const later = <T extends ApiResult | void>(method: keyof ChatApi, arg?: unknown): Promise<T> =>
    new Promise((resolve) => {
      if (impl) return resolve((impl[method] as unknown as (a: unknown) => T)(arg));
      waiting.push([method, arg, resolve as Waiting[2]]);
      load();
    });

  const queued = target.q ?? [];
  delete target.q;
  const api: SwitchboardApi = {
    open() {
      open.set(true);
      load();
    },
    close: () => open.set(false),
    toggle() {
      open.set(!open.get());
      load();
    },
    identify: (values) => later('identify', values),
    setAttributes: (values) => later('setAttributes', values),
    setLocale(value) {
      if (typeof value === 'string' && value.trim()) locale.set(value.trim());
    },
    reset: () => void later('reset'),
    on(event, listener) {
      const set = (listeners[event] ??= new Set());
      set.add(listener as (value: never) => void);
      return () => void set.delete(listener as (value: never) => void);
    },
  };
  Object.assign(target, api);

  const hook: ChatHook = {
    ...init,
    unread,
    locale,
    emit,
    ready(chat) {
      impl = chat;
      for (const [method, arg, resolve] of waiting) resolve((chat[method] as unknown as (a: unknown) => ApiResult | void)(arg));
      waiting = [];
    },
  };
  for (const [method, args] of queued) {
    const fn = (api as unknown as Record<string, ((...a: unknown[]) => unknown) | undefined>)[method];
    if (typeof fn === 'function') fn(...(Array.isArray(args) ? args : []));
  }
  return hook;
}
