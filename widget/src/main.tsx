import { render } from 'preact';
import type { ChatHook, SwitchboardApi } from './api.js';
import { App, type SuggestChunk } from './app.js';
import { createChat, UNREACHABLE, visitorChunk, type Chat } from './chat.js';
import { loadLocale, visitorLocale } from './i18n.js';
import { lazy } from './lazy.js';
import { toPublicMessage } from './messages.js';
import { linked } from './shared.js';
import { styles } from './styles.js';

/**
 * The chat's core, the module the loader (loader.ts) imports from beside itself when the page
 * needs the chat; it adds no global. Everything else comes in chunks it imports on first need.
 */

/** How long the first render waits for the visitor's language before it starts in English. */
const LOCALE_WAIT_MS = 3000;

/** Called by the loader with what it shares: the configuration, storage, the open and locale stores, the page's API. */
export function boot(hook: ChatHook): void {
  const { config, storage, open, unread, locale } = hook;
  const chat: Chat = createChat({
    hubOrigin: config.hubOrigin,
    inboxToken: config.inboxToken,
    storage,
    onAgentMessage: (m) => hook.emit('message', toPublicMessage(m)),
  });
  // The checks and the calls' retries come in a chunk of their own, loaded on the first call.
  const api: Pick<SwitchboardApi, 'identify' | 'setAttributes'> & { reset(): void } = {
    identify: (values) => visitorChunk().then((chunk) => chunk.identify(chat, values), () => UNREACHABLE),
    setAttributes: (values) => visitorChunk().then((chunk) => chunk.setAttributes(chat, values), () => UNREACHABLE),
    reset: () => chat.reset(),
  };
  hook.ready(api);

  const suggest = config.suggestions
    ? lazy(async (): Promise<SuggestChunk> => {
        const { createSuggester, primaryLocale, Suggestions } = await linked(import('./suggestions-view.js'));
        return { Suggestions, suggester: createSuggester({ hubOrigin: config.hubOrigin, inboxToken: config.inboxToken, locale: primaryLocale(visitorLocale(locale.get())) }) };
      })
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
    render(<App chat={chat} open={open} config={config} storage={storage} suggest={suggest} unread={unread} locale={locale} />, container);
  };
  // The first render waits for the visitor's language (a chunk unless English), so the launcher
  // never flashes English at a Russian page; a slow or failed download starts it in English.
  const language = loadLocale(visitorLocale(locale.get(), true));
  void Promise.race([language, new Promise((resolve) => setTimeout(resolve, LOCALE_WAIT_MS))])
    .catch(() => {})
    .then(() => {
      // The loader may run from <head>, before <body> exists.
      if (document.body) mount();
      else document.addEventListener('DOMContentLoaded', mount, { once: true });
    });
}
