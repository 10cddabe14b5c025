import { kbPaths } from '../../urls.js';
import type { ArticleLink, CategorySection } from '../reader.js';
import type { PageHead } from '../seo.js';
import type { Site } from '../site.js';
import { ArticleList } from './article-list.js';
import { Layout, type LanguageLink } from './layout.js';
import { SearchForm } from './search-form.js';

/** Articles listed per category on the home page; the category page has them all. */
const PER_CATEGORY = 8;

export interface HomeProps {
  site: Site;
  sections: CategorySection[];
  uncategorized: ArticleLink[];
  languages: LanguageLink[];
  head: PageHead;
}

export function HomePage({ site, sections, uncategorized, languages, head }: HomeProps) {
  const { t, locale, settings } = site;
  return (
    <Layout site={site} head={head} languages={languages} headerSearch={false}>
      <div class="hero">
        <div class="wrap">
          <h1>{settings.name}</h1>
          <SearchForm site={site} id="q" />
        </div>
      </div>
      <main id="main" class="wrap">
        <ul class="cards">
          {sections.map((s) => {
            const href = site.href(kbPaths.category(locale, s.category.slug));
            return (
              <li class="card">
                <h2>
                  <a href={href}>{s.text.name}</a>
                </h2>
                {s.text.description && <p>{s.text.description}</p>}
                <ArticleList site={site} articles={s.articles.slice(0, PER_CATEGORY)} />
                {s.articles.length > PER_CATEGORY && <a href={href}>{t.seeAll(s.articles.length)}</a>}
              </li>
            );
          })}
          {uncategorized.length > 0 && (
            <li class="card">
              <h2>{t.otherArticles}</h2>
              <ArticleList site={site} articles={uncategorized} />
            </li>
          )}
        </ul>
        {sections.length === 0 && uncategorized.length === 0 && <p>{t.noArticles}</p>}
      </main>
    </Layout>
  );
}
