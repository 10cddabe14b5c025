import { kbPaths } from '../../urls.js';
import type { Site } from '../site.js';

/** A plain GET form: search works with JavaScript off. */
export function SearchForm({ site, id, query = '' }: { site: Site; id: string; query?: string }) {
  return (
    <form class="search" role="search" method="get" action={site.href(kbPaths.search(site.locale))}>
      <label class="sr-only" for={id}>
        {site.t.search}
      </label>
      <input type="search" id={id} name="q" value={query} placeholder={site.t.searchPlaceholder} maxLength={200} autoComplete="off" />
      <button type="submit">{site.t.search}</button>
    </form>
  );
}
