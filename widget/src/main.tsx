import { render } from 'preact';
import { App } from './app.js';
import { createChat } from './chat.js';
import { findScript, readConfig } from './config.js';
import { storageKeys, webStorage } from './storage.js';
import { createStore } from './store.js';
import { styles } from './styles.js';
import { createSuggester, primaryLocale } from './suggestions.js';

/** The one global the widget adds: lets the page open the chat from its own buttons. */
export interface SwitchboardApi {
  open(): void;
  close(): void;
  toggle(): void;
}

declare global {
  interface Window {
    Switchboard?: SwitchboardApi;
  }
}

// Read now: document.currentScript is only set while this script first runs.
const script = findScript(document);

function boot(): void {
  // The snippet pasted twice must not give the page two chats.
  if (window.Switchboard) return;
  const config = script && readConfig(script, location.href);
  if (!config) {
    console.warn('[switchboard] widget not started: the script tag needs data-inbox-token');
    return;
  }
  const local = webStorage('localStorage');
  const session = webStorage('sessionStorage');
  const openKey = storageKeys.open(config.inboxToken);
  const open = createStore(session.get(openKey) === '1');
  open.subscribe((value) => session.set(openKey, value ? '1' : '0'));

  window.Switchboard = {
    open: () => open.set(true),
    close: () => open.set(false),
    toggle: () => open.set(!open.get()),
  };

  const chat = createChat({ hubOrigin: config.hubOrigin, inboxToken: config.inboxToken, storage: local });
  const suggester = config.suggestions
    ? createSuggester({ hubOrigin: config.hubOrigin, inboxToken: config.inboxToken, locale: primaryLocale(navigator.language) })
    : undefined;

  const mount = () => {
    const host = document.createElement('div');
    host.id = 'switchboard-widget';
    const root = host.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = styles;
    const container = document.createElement('div');
    root.append(style, container);
    document.body.appendChild(host);
    render(<App chat={chat} open={open} config={config} storage={local} suggester={suggester} />, container);
  };
  // An async script in <head> can run before <body> exists.
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount, { once: true });
}

boot();
