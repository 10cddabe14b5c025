import { renderMarkdown } from '../../markdown.js';
import { formatDate } from '../locale.js';
import type { LiveTranslation } from '../reader.js';
import type { PageHead } from '../seo.js';
import type { Site } from '../site.js';
import { Breadcrumbs, type CrumbLink } from './breadcrumbs.js';
import { Layout, type LanguageLink } from './layout.js';

export interface ArticleProps {
  site: Site;
  translation: LiveTranslation;
  crumbs: CrumbLink[];
  languages: LanguageLink[];
  /** Where the "Was this helpful?" form posts. */
  voteHref: string;
  /** The visitor just voted: thank them instead of asking again. */
  voted: boolean;
  head: PageHead;
}

export function ArticlePage({ site, translation, crumbs, languages, voteHref, voted, head }: ArticleProps) {
  const { t, locale } = site;
  const { published } = translation;
  return (
    <Layout site={site} head={head} languages={languages}>
      <main id="main" class="wrap">
        <Breadcrumbs label={t.breadcrumbs} crumbs={crumbs} />
        <article>
          <h1>{published.title}</h1>
          <p class="meta">
            <time dateTime={published.publishedAt.toISOString()}>{t.updated(formatDate(published.publishedAt, locale))}</time>
          </p>
          {/* Markdown rendered and sanitized by renderMarkdown: the one place page HTML comes from content. */}
          <div class="body" dangerouslySetInnerHTML={{ __html: renderMarkdown(published.body) }} />
        </article>
        {voted ? (
          <section class="vote" aria-live="polite">
            <p role="status">{t.thanks}</p>
          </section>
        ) : (
          <form class="vote" method="post" action={voteHref}>
            <h2>{t.helpfulQuestion}</h2>
            <button type="submit" name="helpful" value="yes">
              {t.yes}
            </button>
            <button type="submit" name="helpful" value="no">
              {t.no}
            </button>
          </form>
        )}
      </main>
    </Layout>
  );
}
