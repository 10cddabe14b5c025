/**
 * @switchboard/knowledge-base — multilingual articles with drafts, revisions and categories, the
 * public help center (server-rendered), search through the SearchIndex seam following sb.events,
 * and suggestions for the widget.
 */
export { default as knowledgeBase, type KnowledgeBaseOptions } from './plugin.js';
export { KbStore, KB_COLLECTIONS, type KbRepositories } from './articles/repository.js';
export { KbService, type KbServiceDeps, type KbArticleWithTranslations } from './articles/service.js';
export { KbSettingsService } from './articles/settings.js';
export { KbSearch, KB_INDEX } from './search/kb-search.js';
export { seedKnowledgeBase } from './seed.js';
export type * from './articles/records.js';
export type * from './types.js';
export { helpCenterBase, articleUrl, kbPaths } from './urls.js';
