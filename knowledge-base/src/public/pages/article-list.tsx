import { kbPaths } from '../../urls.js';
import type { ArticleLink } from '../reader.js';
import type { Site } from '../site.js';

export function ArticleList({ site, articles, summaries = false }: { site: Site; articles: ArticleLink[]; summaries?: boolean }) {
  return (
    <ul class="list">
      {articles.map((a) => (
        <li>
          <a href={site.href(kbPaths.article(site.locale, a.slug))}>{a.title}</a>
          {summaries && a.description && <p class="summary">{a.description}</p>}
        </li>
      ))}
    </ul>
  );
}
