import { render } from 'preact';
import type { ApiResult, ChatHook, SwitchboardApi } from './api.js';
import { App, type SuggestChunk } from './app.js';
import { createChat, toVisitorUpdate, type Chat } from './chat.js';
import { loadLocale, pickLocale } from './i18n.js';
import { lazy } from './lazy.js';
import { toPublicMessage } from './messages.js';
import { styles } from './styles.js';

/**
 * The chat's core, the module the loader (loader.ts) imports from beside itself when the page
 * needs the chat; it adds no global. Everything else comes in chunks it imports on first need.
 */

const invalid = (message: string): ApiResult => ({ ok: false, code: 'SB_ERR_VALIDATION', message });
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
  const api: Pick<SwitchboardApi, 'identify' | 'setAttributes'> & { reset(): void } = {
    identify: (values) =>
      typeof values?.id === 'string' && values.id.trim()
        ? chat.identify({ ...values, id: values.id.trim() })
        : Promise.resolve(invalid('identify() needs the user’s id, a non-empty string.')),
    setAttributes(values) {
      const update = toVisitorUpdate(values);
      return update ? chat.update(update) : Promise.resolve(invalid('setAttributes() takes an object of names and values.'));
    },
    reset: () => chat.reset(),
  };
  hook.ready(api);

  const suggest = config.suggestions
    ? lazy(async (): Promise<SuggestChunk> => {
        const { createSuggester, primaryLocale, Suggestions } = await import('./suggestions-view.js');
        return { Suggestions, suggester: createSuggester({ hubOrigin: config.hubOrigin, inboxToken: config.inboxToken, locale: primaryLocale(locale.get()) }) };
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
  const language = loadLocale(pickLocale(locale.get(), document.documentElement.lang, navigator.language));
  void Promise.race([language, new Promise((resolve) => setTimeout(resolve, LOCALE_WAIT_MS))])
    .catch(() => {})
    .then(() => {
      // The loader may run from <head>, before <body> exists.
      if (document.body) mount();
      else document.addEventListener('DOMContentLoaded', mount, { once: true });
    });
}
