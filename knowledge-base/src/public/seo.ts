/** What a page says about itself in <head>: title, description, canonical, alternates, OpenGraph, JSON-LD. */
export interface PageHead {
  title: string;
  description: string;
  /** Absolute; also og:url. Omitted on pages that are not indexed (search). */
  canonical?: string;
  /** The same page in other languages (hreflang), x-default included. */
  alternates?: { hreflang: string; href: string }[];
  ogType: 'website' | 'article';
  noindex?: boolean;
  /** schema.org objects, each printed as its own ld+json block. */
  jsonLd?: object[];
}

/**
 * JSON for a `<script type="application/ld+json">` block. The browser ends a script element at
 * the first `</script` whatever the type, and `<!--` changes how it parses, so `<`, `>` and `&`
 * are written as \u escapes (still the same JSON); U+2028/2029 too, for old parsers.
 */
export function jsonLdText(data: object): string {
  return JSON.stringify(data).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export interface Crumb {
  name: string;
  url: string;
}

export function breadcrumbList(crumbs: Crumb[]): object {
  return {
    '@context': 'https://schema.org',
    '@type': 'BreadcrumbList',
    itemListElement: crumbs.map((c, i) => ({ '@type': 'ListItem', position: i + 1, name: c.name, item: c.url })),
  };
}

export function articleJsonLd(a: {
  headline: string;
  description: string;
  url: string;
  locale: string;
  publishedAt: Date;
  modifiedAt: Date;
  publisher: string;
  logoUrl: string | null;
}): object {
  const organization = { '@type': 'Organization', name: a.publisher, ...(a.logoUrl ? { logo: { '@type': 'ImageObject', url: a.logoUrl } } : {}) };
  return {
    '@context': 'https://schema.org',
    '@type': 'Article',
    headline: a.headline,
    description: a.description,
    inLanguage: a.locale,
    datePublished: a.publishedAt.toISOString(),
    dateModified: a.modifiedAt.toISOString(),
    author: organization,
    publisher: organization,
    mainEntityOfPage: { '@type': 'WebPage', '@id': a.url },
    url: a.url,
    ...(a.logoUrl ? { image: a.logoUrl } : {}),
  };
}
