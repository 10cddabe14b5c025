/** What the embedding page tells the widget: its script tag's data-* attributes and `window.SwitchboardSettings`. */
export interface WidgetConfig {
  /** `data-inbox-token`: which inbox the chat belongs to. */
  inboxToken: string;
  /** Origin of the hub the socket connects to: `data-hub-url` if set, else the script's own origin. */
  hubOrigin: string;
  /** `title` / `data-inbox-name`: header title; absent = the widget's own, in the visitor's language. */
  title?: string | undefined;
  /** `color` / `data-color`: accent colour of launcher, header and visitor bubbles (any CSS colour). */
  color?: string | undefined;
  /** `position` / `data-position`: the corner of the launcher and panel. Default right. */
  position: 'left' | 'right';
  /** `greeting` / `data-greeting`: the first line the panel shows before any message. */
  greeting?: string | undefined;
  /** `locale` / `data-locale`: the widget's language (e.g. "de"); absent = the browser's. setLocale() changes it. */
  locale?: string | undefined;
  /** `hideLauncher` / `data-hide-launcher`: no round button; the page opens the chat with Switchboard.open(). Default false. */
  hideLauncher: boolean;
  /** `data-suggestions="off"` (or "false"): no help-center articles suggested while the visitor types. Default on. */
  suggestions: boolean;
}

/** `window.SwitchboardSettings`, set by the page before the snippet; wins over the data-* attributes. */
export interface SwitchboardSettings {
  position?: 'left' | 'right';
  color?: string;
  greeting?: string;
  locale?: string;
  hideLauncher?: boolean;
  title?: string;
}

interface ScriptLike {
  readonly src: string;
  getAttribute(name: string): string | null;
}

/**
 * The widget's own script tag. `document.currentScript` is the reliable answer while the script
 * first runs; the attribute query covers loaders that inject it in ways that leave it null.
 */
export function findScript(doc: Document): HTMLScriptElement | null {
  const current = doc.currentScript;
  if (current instanceof HTMLScriptElement && current.hasAttribute('data-inbox-token')) return current;
  return doc.querySelector<HTMLScriptElement>('script[data-inbox-token]');
}

const OFF = /^(off|false|no|0)$/i;

/** Read the configuration; null (and the widget stays away) without a token. Settings of the wrong type are ignored. */
export function readConfig(script: ScriptLike, pageUrl: string, settings?: unknown): WidgetConfig | null {
  const attr = (name: string) => script.getAttribute(`data-${name}`)?.trim();
  const inboxToken = attr('inbox-token');
  if (!inboxToken) return null;
  let hubOrigin: string;
  try {
    hubOrigin = new URL(attr('hub-url') || script.src, pageUrl).origin;
  } catch {
    return null;
  }
  const given = ((typeof settings === 'object' && settings) || {}) as Record<string, unknown>;
  const text = (key: string, attribute = key) => {
    const value = given[key];
    return (typeof value === 'string' && value.trim()) || attr(attribute) || undefined;
  };
  const position = given.position === 'left' || given.position === 'right' ? given.position : attr('position');
  const hide = attr('hide-launcher');
  return {
    inboxToken,
    hubOrigin,
    title: text('title', 'inbox-name'),
    color: text('color'),
    position: position === 'left' ? 'left' : 'right',
    greeting: text('greeting'),
    locale: text('locale'),
    hideLauncher: typeof given.hideLauncher === 'boolean' ? given.hideLauncher : hide !== undefined && !OFF.test(hide),
    suggestions: !OFF.test(attr('suggestions') ?? ''),
  };
}
