import { effect } from '@preact/signals';
import { render } from 'preact';
import { afterPaint } from './after-paint.js';
import { ApiClient } from './api.js';
import { ConsoleStore } from './console-store.js';
import { t } from './i18n/core.js';
import { locale, localeReady } from './i18n/index.js';
import { createSocketRealtime } from './realtime.js';
import { SESSION_KEY, memoryStorage, readSession, type KeyValueStorage } from './session.js';
import { TicketStore } from './tickets.js';
import { App } from './ui/app.js';
import { CHANNELS_ROUTE, now, route } from './ui/context.js';

/** Composition root of the console: wires the REST client, the socket and the browser to the store. */

function pickStorage(): KeyValueStorage {
  try {
    const probe = 'sb:probe';
    localStorage.setItem(probe, '1');
    localStorage.removeItem(probe);
    return localStorage;
  } catch {
    return memoryStorage(); // storage blocked: stay signed in for this page only
  }
}

const storage = pickStorage();
const isFocused = () => document.visibilityState === 'visible' && document.hasFocus();

const api = new ApiClient({
  storage,
  onSignedOut: () => store.sessionEnded(t('app.sessionEnded')),
});

const store: ConsoleStore = new ConsoleStore({
  api,
  storage,
  isFocused,
  afterPaint,
  createRealtime: () =>
    createSocketRealtime({
      token: () => readSession(storage)?.accessToken ?? null,
      refreshAccess: (stale) => api.refreshAccess(stale),
    }),
});

// The open conversation's ticket follows the store: its selection, room joins and socket events.
const tickets = new TicketStore(api, store);

// The open conversation lives in the URL hash (#/c/<id>): reload and back/forward keep the place.
const hashId = () => {
  const m = /^#\/c\/(.+)$/.exec(location.hash);
  return m?.[1] ? decodeURIComponent(m[1]) : null;
};
const followHash = () => {
  route.value = location.hash;
  if (!store.session.value) return;
  const id = hashId();
  if (id && id !== store.selectedId.value) void store.open(id);
  else if (!id && store.selectedId.value) store.close();
};
window.addEventListener('hashchange', followHash);
let shownId: string | null = null;
effect(() => {
  const id = store.selectedId.value;
  // Only a change of selection writes the URL; the hash on first load is read, not cleared.
  if (id === shownId) return;
  shownId = id;
  if (hashId() === id) return;
  // Leaving a conversation for the channel settings keeps #/channels.
  if (!id && location.hash === CHANNELS_ROUTE) return;
  history.pushState(null, '', id ? `#/c/${encodeURIComponent(id)}` : location.pathname + location.search);
  route.value = location.hash;
});

// Keyboard shortcuts (ui/shortcuts.tsx) are a chunk fetched on the first key that could be one.
document.addEventListener('keydown', (e) => {
  if (/^[jkrneaz?/]$/.test(e.key)) void import('./ui/shortcuts.js').then((m) => m.onKey(e, store));
});
window.addEventListener('focus', () => store.focusChanged());
document.addEventListener('visibilitychange', () => store.focusChanged());
window.addEventListener('storage', (e) => {
  if (e.key === SESSION_KEY || e.key === null) store.syncSession();
});

// The tab's title counts unread messages. Setting it costs the page milliseconds (the browser
// redraws its tab strip), and a message changes the count as it arrives: in a visible tab the title
// follows once the frame showing the message is painted, and only when it differs.
let titleQueued = false;
function applyTitle(): void {
  titleQueued = false;
  const unread = store.unreadTotal.peek();
  const title = unread > 0 ? `(${unread}) Switchboard` : 'Switchboard';
  if (document.title !== title) document.title = title;
}
effect(() => {
  void store.unreadTotal.value;
  if (titleQueued) return;
  titleQueued = true;
  afterPaint(applyTitle);
});
document.addEventListener('visibilitychange', () => document.hidden && titleQueued && applyTitle());
// Relative times and SLA time left ("in 2 h 15 min") move on every 30 s.
setInterval(() => (now.value = Date.now()), 30_000);

store.start();
// Open the conversation named in the URL once signed in (now, or after the login screen).
effect(() => {
  if (store.session.value) queueMicrotask(followHash);
});
// Desktop notifications and sound for the agent's conversations: a chunk, once signed in (docs/console.md).
effect(() => void (store.session.value && import('./ui/notify-view.js').then((m) => m.startNotify(store, api))));

// <html lang> follows the console's language (screen readers, hyphenation, the browser's translate offer).
effect(() => void (document.documentElement.lang = locale.value));
// A Russian agent's first paint waits for the Russian messages rather than flashing English.
void localeReady().then(() => render(<App store={store} api={api} tickets={tickets} />, document.getElementById('app')!));
