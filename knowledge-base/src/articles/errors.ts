import { SbError } from '@switchboard/http';

/** The knowledge base's coded errors (docs/errors.md lists them). */
export const kbErrors = {
  slugTaken: (slug: string, locale: string) =>
    new SbError('SB_ERR_KB_SLUG_TAKEN', 409, `The address "${slug}" is already used by another article in ${locale}; choose another slug.`, { slug, locale }),
  categorySlugTaken: (slug: string) => new SbError('SB_ERR_KB_SLUG_TAKEN', 409, `A category with the slug "${slug}" already exists; choose another slug.`, { slug }),
  editConflict: (current: { revision: number; updatedBy: string | null; updatedAt: Date | string }, base: number) =>
    new SbError(
      'SB_ERR_KB_EDIT_CONFLICT',
      409,
      `This draft was saved by someone else after you opened it (you started from revision ${base}, it is now at revision ${current.revision}). Reload it, then apply your changes again.`,
      { baseRevision: base, currentRevision: current.revision, updatedBy: current.updatedBy, updatedAt: new Date(current.updatedAt).toISOString() },
    ),
  categoryNotEmpty: (count: number) =>
    new SbError('SB_ERR_KB_CATEGORY_NOT_EMPTY', 409, `This category still holds ${count} article${count === 1 ? '' : 's'}; move or delete them first.`, { articles: count }),
  unknownCategory: (categoryId: string) =>
    new SbError('SB_ERR_KB_UNKNOWN_CATEGORY', 422, 'The category given for the article does not exist; create it first or leave categoryId empty.', { categoryId }),
  portalTaken: (portal: string) => new SbError('SB_ERR_KB_PORTAL_TAKEN', 409, `The help center address "${portal}" is taken by another team; choose another one.`, { portal }),
  domainTaken: (domain: string) => new SbError('SB_ERR_KB_DOMAIN_TAKEN', 409, `The domain ${domain} already serves another team's help center.`, { domain }),
  unknownInbox: () => new SbError('SB_ERR_UNKNOWN_INBOX', 404, 'No website inbox has this widget token.'),
  originNotAllowed: (origin: string) =>
    new SbError('SB_ERR_ORIGIN_NOT_ALLOWED', 403, `This website inbox does not answer pages on ${origin.slice(0, 300)}; its owner can add the address to the inbox's allowed websites.`),
} as const;
