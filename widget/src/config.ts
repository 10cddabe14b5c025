/** What the embedding page tells the widget through its script tag. */
export interface WidgetConfig {
  /** `data-inbox-token`: which inbox the chat belongs to. */
  inboxToken: string;
  /** Origin of the hub the socket connects to: `data-hub-url` if set, else the script's own origin. */
  hubOrigin: string;
  /** `data-inbox-name`: header title. Default "Chat with us". */
  title: string;
  /** `data-color`: accent colour of launcher, header and visitor bubbles (any CSS colour). */
  color?: string;
  /** `data-suggestions="off"` (or "false"): no help-center articles suggested while the visitor types. Default on. */
  suggestions: boolean;
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

/** Read the configuration from the script tag; null (and the widget stays away) without a token. */
export function readConfig(script: ScriptLike, pageUrl: string): WidgetConfig | null {
  const inboxToken = script.getAttribute('data-inbox-token')?.trim();
  if (!inboxToken) return null;
  let hubOrigin: string;
  try {
    hubOrigin = new URL(script.getAttribute('data-hub-url') || script.src, pageUrl).origin;
  } catch {
    return null;
  }
  const color = script.getAttribute('data-color')?.trim();
  return {
    inboxToken,
    hubOrigin,
    title: script.getAttribute('data-inbox-name')?.trim() || 'Chat with us',
    ...(color ? { color } : {}),
    suggestions: !/^(off|false|no|0)$/i.test(script.getAttribute('data-suggestions')?.trim() ?? ''),
  };
}
