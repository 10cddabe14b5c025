import type {
  KbArticleStatus,
  KbArticleSummary,
  KbArticleView,
  KbCategoryView,
  KbRevisionView,
  KbSettingsView,
  KbTranslationView,
  KbVersionView,
} from '@switchboard/contracts';
import { articleUrl, helpCenterBase } from '../urls.js';
import type { KbArticleRecord, KbCategoryRecord, KbContent, KbRevisionRecord, KbSettingsRecord, KbTranslationRecord, KbVersion } from './records.js';

/** Where links in views point: the tenant's help center on the hub's PUBLIC_URL or its own domain. */
export interface LinkBase {
  settings: Pick<KbSettingsRecord, 'portal' | 'customDomain'>;
  publicUrl: string;
}

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();

export function sameContent(a: KbContent, b: KbContent): boolean {
  return a.title === b.title && a.slug === b.slug && a.description === b.description && a.body === b.body;
}

export function statusOf(t: Pick<KbTranslationRecord, 'published'>): KbArticleStatus {
  return t.published ? 'published' : 'draft';
}

function versionView(v: KbVersion): KbVersionView {
  return { title: v.title, slug: v.slug, description: v.description, body: v.body, revision: v.revision, updatedAt: iso(v.updatedAt), updatedBy: v.updatedBy };
}

/** Public URL of the published version, null while unpublished. */
export function publishedUrl(t: Pick<KbTranslationRecord, 'locale' | 'publishedSlug' | 'published'>, base: LinkBase): string | null {
  return t.published && t.publishedSlug ? articleUrl(base.settings, base.publicUrl, t.locale, t.publishedSlug) : null;
}

export function translationView(t: KbTranslationRecord, base: LinkBase): KbTranslationView {
  return {
    locale: t.locale,
    status: statusOf(t),
    draft: versionView(t.draft),
    published: t.published ? { ...versionView(t.published), publishedAt: iso(t.published.publishedAt) } : null,
    hasUnpublishedChanges: t.published ? !sameContent(t.draft, t.published) : true,
    url: publishedUrl(t, base),
    votes: { helpful: t.votes.helpful, notHelpful: t.votes.notHelpful },
  };
}

export function articleView(a: KbArticleRecord, translations: KbTranslationRecord[], base: LinkBase): KbArticleView {
  const votes = { helpful: 0, notHelpful: 0 };
  for (const t of translations) {
    votes.helpful += t.votes.helpful;
    votes.notHelpful += t.votes.notHelpful;
  }
  return {
    id: a._id,
    categoryId: a.categoryId,
    position: a.position,
    authorId: a.authorId,
    createdAt: iso(a.createdAt),
    updatedAt: iso(a.updatedAt),
    translations: translations.map((t) => translationView(t, base)),
    votes,
  };
}

export function summaryView(t: KbTranslationRecord, locales: string[], base: LinkBase): KbArticleSummary {
  return {
    id: t.articleId,
    locale: t.locale,
    title: t.draft.title,
    slug: t.draft.slug,
    status: statusOf(t),
    hasUnpublishedChanges: t.published ? !sameContent(t.draft, t.published) : true,
    categoryId: t.categoryId,
    locales,
    updatedAt: iso(t.updatedAt),
    url: publishedUrl(t, base),
    votes: { helpful: t.votes.helpful, notHelpful: t.votes.notHelpful },
  };
}

export function categoryView(c: KbCategoryRecord, articleCount: number): KbCategoryView {
  return { id: c._id, slug: c.slug, position: c.position, translations: c.translations, articleCount, updatedAt: iso(c.updatedAt) };
}

export function revisionView(r: KbRevisionRecord): KbRevisionView {
  return {
    revision: r.revision,
    action: r.action,
    title: r.content.title,
    slug: r.content.slug,
    description: r.content.description,
    body: r.content.body,
    authorId: r.authorId,
    at: iso(r.at),
  };
}

export function settingsView(s: KbSettingsRecord, publicUrl: string): KbSettingsView {
  return {
    portal: s.portal,
    name: s.name,
    logoUrl: s.logoUrl,
    color: s.color,
    defaultLocale: s.defaultLocale,
    locales: s.locales,
    customDomain: s.customDomain ?? null,
    publicUrl: `${helpCenterBase(s, publicUrl)}/`,
  };
}
