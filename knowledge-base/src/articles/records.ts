import type { DomainEvent } from '@switchboard/contracts';
import type { TenantDoc } from '@switchboard/tenancy';

/** One help center per tenant (`_id` = tenantId). */
export interface KbSettingsRecord extends TenantDoc {
  portal: string;
  name: string;
  logoUrl: string | null;
  color: string;
  defaultLocale: string;
  locales: string[];
  /** Lowercase host name; absent (not null) when none, so the unique index skips it. */
  customDomain?: string;
  updatedAt: Date;
}

export interface KbCategoryRecord extends TenantDoc {
  slug: string;
  position: number;
  translations: Record<string, { name: string; description?: string }>;
  createdAt: Date;
  updatedAt: Date;
}

/** What a translation's draft, published version and revisions hold. */
export interface KbContent {
  title: string;
  slug: string;
  description: string;
  /** Markdown. */
  body: string;
}

export interface KbVersion extends KbContent {
  revision: number;
  updatedAt: Date;
  updatedBy: string | null;
}

/** The language-independent part of an article. */
export interface KbArticleRecord extends TenantDoc {
  categoryId: string | null;
  position: number;
  authorId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * One article in one locale (`_id` = `<articleId>:<locale>`). Edits go to `draft`; publishing
 * copies it to `published`, which is all the public pages, the search index and suggestions see.
 * `slug` / `publishedSlug` are top level for the unique index and public look-ups;
 * `previousSlugs` lets old links redirect (301) after a slug changes.
 */
export interface KbTranslationRecord extends TenantDoc {
  articleId: string;
  locale: string;
  categoryId: string | null;
  slug: string;
  draft: KbVersion;
  published: (KbVersion & { publishedAt: Date }) | null;
  publishedSlug: string | null;
  previousSlugs: string[];
  /** Last revision number used (draft saves, publishes, restores all take the next). */
  revision: number;
  votes: { helpful: number; notHelpful: number };
  createdAt: Date;
  updatedAt: Date;
}

export interface KbRevisionRecord extends TenantDoc {
  articleId: string;
  locale: string;
  revision: number;
  action: 'save' | 'publish' | 'unpublish' | 'restore';
  content: KbContent;
  authorId: string | null;
  at: Date;
}

/**
 * A domain event a write announces (`_id` = the event id), written before the change and removed
 * once sb.events confirmed it; what a crash or a broker outage left here is published later.
 */
export interface KbOutboxRecord extends TenantDoc {
  event: DomainEvent;
  createdAt: Date;
}
