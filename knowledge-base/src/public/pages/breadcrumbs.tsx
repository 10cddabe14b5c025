export interface CrumbLink {
  name: string;
  /** Omitted for the current page. */
  href?: string;
}

export function Breadcrumbs({ label, crumbs }: { label: string; crumbs: CrumbLink[] }) {
  return (
    <nav class="crumbs" aria-label={label}>
      <ol>
        {crumbs.map((c) => (
          <li>{c.href ? <a href={c.href}>{c.name}</a> : <span aria-current="page">{c.name}</span>}</li>
        ))}
      </ol>
    </nav>
  );
}
