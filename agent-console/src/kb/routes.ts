/**
 * The knowledge base's places in the URL hash, so reload, back and forward keep them:
 * #/kb (articles), #/kb/categories, #/kb/settings, #/kb/new/<locale>, #/kb/articles/<id>/<locale>.
 */

export type KbRoute =
  | { view: 'articles' }
  | { view: 'categories' }
  | { view: 'settings' }
  | { view: 'new'; locale: string | null }
  | { view: 'article'; id: string; locale: string };

const enc = encodeURIComponent;

export const kbHref = {
  articles: '#/kb',
  categories: '#/kb/categories',
  settings: '#/kb/settings',
  newArticle: (locale?: string) => (locale ? `#/kb/new/${enc(locale)}` : '#/kb/new'),
  article: (id: string, locale: string) => `#/kb/articles/${enc(id)}/${enc(locale)}`,
};

/** The KB place a hash names; null for a hash outside the knowledge base. */
export function parseKbRoute(hash: string): KbRoute | null {
  const m = /^#\/kb(?:\/(.*))?$/.exec(hash);
  if (!m) return null;
  const parts = (m[1] ?? '').split('/').filter(Boolean).map(safeDecode);
  if (parts[0] === 'categories') return { view: 'categories' };
  if (parts[0] === 'settings') return { view: 'settings' };
  if (parts[0] === 'new') return { view: 'new', locale: parts[1] ?? null };
  if (parts[0] === 'articles' && parts[1] && parts[2]) return { view: 'article', id: parts[1], locale: parts[2] };
  return { view: 'articles' };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
