import type { SecretBox } from '@switchboard/crypto';

/** How long a sealed media link works: long enough for Meta to fetch it, short enough not to leak. */
export const PUBLIC_MEDIA_TTL_MS = 15 * 60 * 1000;
/** The token rides in the query: fastify caps path parameters at 100 characters, a sealed grant is longer. */
export const PUBLIC_MEDIA_PATH = '/media/meta';

interface Grant {
  t: string;
  r: string;
  e: number;
}

/**
 * A link to one stored file that Meta's servers can fetch without a token: the grant (tenant,
 * ref, expiry) is sealed with SECRETS_KEY, so it can be neither forged nor widened.
 */
export function publicMediaUrl(secrets: SecretBox, publicUrl: string, tenantId: string, ref: string, now = Date.now()): string {
  const grant: Grant = { t: tenantId, r: ref, e: now + PUBLIC_MEDIA_TTL_MS };
  return `${publicUrl}${PUBLIC_MEDIA_PATH}?t=${encodeURIComponent(secrets.seal(JSON.stringify(grant)))}`;
}

/** The tenant and ref a link grants, or null when it is forged, garbled or expired. */
export function openMediaGrant(secrets: SecretBox, token: string, now = Date.now()): { tenantId: string; ref: string } | null {
  try {
    const g = JSON.parse(secrets.open(token)) as Grant;
    if (typeof g.t !== 'string' || typeof g.r !== 'string' || typeof g.e !== 'number' || g.e < now) return null;
    return { tenantId: g.t, ref: g.r };
  } catch {
    return null;
  }
}
