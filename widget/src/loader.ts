import { installApi, type ChatHook, type SwitchboardApi, type SwitchboardGlobal } from './api.js';
import { findScript, readConfig } from './config.js';
import { storageKey, webStorage } from './storage.js';
import { createStore } from './store.js';
import type { boot as bootChat } from './main.js';

/**
 * dist/widget.js, what the snippet loads: reads the configuration, installs window.Switchboard
 * (replaying what the stub queued), and imports the chat's core (ES modules in widget/ beside this
 * script) when it is needed: at once if the visitor has a conversation or the panel open in this
 * tab, on the first API call that needs the chat, otherwise once the page has loaded and is idle.
 * No Preact and no socket here: this part is paid by every page view of every visitor.
 */

/**
 * The core's files relative to this script, set by build.mjs: the entry, then the chunks it
 * imports, all asked for at once rather than one after the other. Their names carry a content
 * hash, so a new loader never runs a stale cached chat.
 */
declare const __SB_CHAT_FILES__: string[];

// Read now: document.currentScript is only set while this script first runs.
const script = findScript(document);

function boot(): void {
  const existing: SwitchboardGlobal | undefined = window.Switchboard;
  // The snippet pasted twice must not give the page two chats. The stub's object has a queue; ours does not.
  if (existing && !Array.isArray(existing.q)) return;
  const config = script && readConfig(script, location.href, window.SwitchboardSettings);
  if (!config) {
    console.warn('[switchboard] widget not started: the script tag needs data-inbox-token');
    return;
  }
  const local = webStorage('localStorage');
  const session = webStorage('sessionStorage');
  const openKey = storageKey('open', config.inboxToken);
  const open = createStore(session.get(openKey) === '1');
  open.subscribe((value) => session.set(openKey, value ? '1' : '0'));

  let hook: ChatHook;
  let loading = false;
  const load = () => {
    if (loading) return;
    loading = true;
    Promise.all(__SB_CHAT_FILES__.map((file) => import(new URL(file, script!.src).href))).then(
      ([core]) => (core as { boot: typeof bootChat }).boot(hook),
      // A failed download (network blip) may be tried again by the next call that needs the chat.
      () => (loading = false),
    );
  };

  const target = existing ?? {};
  window.Switchboard = target as SwitchboardApi;
  hook = installApi(target, { config, storage: local, open, locale: config.locale ?? '' }, load);

  if (open.get() || local.get(storageKey('visitor', config.inboxToken)) || local.get(storageKey('outbox', config.inboxToken))) {
    load();
    return;
  }
  // Safari has no requestIdleCallback.
  const whenIdle = () => ('requestIdleCallback' in window ? requestIdleCallback(load, { timeout: 3000 }) : setTimeout(load, 200));
  if (document.readyState === 'complete') whenIdle();
  else addEventListener('load', whenIdle, { once: true });
}

boot();
