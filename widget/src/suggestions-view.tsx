import { chunkTexts } from './chunk-texts.js';
import { snippetParts, type Suggester } from './suggestions.js';
import { useStore } from './use-store.js';

/**
 * The suggested articles above the composer: a chunk loaded when the visitor first types, with the
 * suggester's logic (suggestions.ts). Up to three links, the snippet's matches highlighted.
 */
export { createSuggester, primaryLocale } from './suggestions.js';

export const suggestTexts = {
  en: { maybe: 'Maybe this helps:', articles: 'Suggested articles' },
  ru: { maybe: 'Возможно, это поможет:', articles: 'Статьи по теме' },
};
const st = chunkTexts(suggestTexts);

const css = `.suggest{padding:4px 12px 8px;border-top:1px solid var(--sb-line);background:var(--sb-soft);font-size:12px;color:var(--sb-muted)}\
.suggest a{display:block;margin-top:4px;padding:6px 10px;border-radius:8px;background:#fff;text-decoration:none;box-shadow:0 0 0 1px var(--sb-line)}\
.suggest a:hover{box-shadow:0 0 0 1px var(--sb-accent)}\
.suggest strong,.suggest span{display:block;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}\
.suggest strong{font-size:13px;font-weight:600;color:var(--sb-accent)}\
.suggest mark{background:#fef08a}`;

export function Suggestions({ suggester }: { suggester: Suggester }) {
  const items = useStore(suggester.items);
  if (!items.length) return null;
  return (
    <nav class="suggest" data-sb="suggestions" aria-label={st('articles')}>
      <style>{css}</style>
      <p>{st('maybe')}</p>
      {items.map((s) => (
        <a key={s.url} href={s.url} target="_blank" rel="noopener" data-sb="suggestion">
          <strong>{s.title}</strong>
          <span>{snippetParts(s.snippet).map((p, i) => (p.mark ? <mark key={i}>{p.text}</mark> : p.text))}</span>
        </a>
      ))}
    </nav>
  );
}
