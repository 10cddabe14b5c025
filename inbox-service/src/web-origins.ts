/**
 * Website origins as a browser sends them in the Origin header: lowercase scheme and host, and
 * no port when it is the scheme's default. Owners' lists are stored in this form, so a plain
 * comparison decides whether a page may use a website inbox.
 */
export function normalizeOrigin(origin: string): string {
  const o = origin.trim().toLowerCase().replace(/\/$/, '');
  if (o.startsWith('https://') && o.endsWith(':443')) return o.slice(0, -4);
  if (o.startsWith('http://') && o.endsWith(':80')) return o.slice(0, -3);
  return o;
}

/** An owner's list, normalized and without repeats, in the order given. */
export function normalizeOrigins(origins: readonly string[]): string[] {
  return [...new Set(origins.map(normalizeOrigin))];
}

/**
 * Whether a page on `origin` may use an inbox restricted to `allowed`. An empty or absent list
 * allows every page; with a list, a missing Origin is not allowed (callers that accept requests
 * from outside a browser decide that themselves).
 */
export function originAllowed(allowed: readonly string[] | undefined, origin: string | undefined): boolean {
  if (!allowed?.length) return true;
  if (!origin) return false;
  return allowed.includes(normalizeOrigin(origin));
}
