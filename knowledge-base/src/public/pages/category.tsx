import type { CategorySection } from '../reader.js';
import type { PageHead } from '../seo.js';
import type { Site } from '../site.js';
import { ArticleList } from './article-list.js';
import { Breadcrumbs, type CrumbLink } from './breadcrumbs.js';
import { Layout, type LanguageLink } from './layout.js';

export interface CategoryProps {
  site: Site;
  section: CategorySection;
  crumbs: CrumbLink[];
  languages: LanguageLink[];
  head: PageHead;
}

export function CategoryPage({ site, section, crumbs, languages, head }: CategoryProps) {
  return (
    <Layout site={site} head={head} languages={languages}>
      <main id="main" class="wrap">
        <Breadcrumbs label={site.t.breadcrumbs} crumbs={crumbs} />
        <h1>{section.text.name}</h1>
        {section.text.description && <p class="summary">{section.text.description}</p>}
        {section.articles.length ? <ArticleList site={site} articles={section.articles} summaries /> : <p>{site.t.noArticles}</p>}
      </main>
    </Layout>
  );
}
