/**
 * The CrmProvider seam: the interface (types.ts), the config union keyed on `kind`, and
 * createCrmProvider(); one adapter per file. All three speak REST, so the same failures —
 * timeouts, rate limits, 5xx — reach the caller the same way (errors.ts).
 */
import { DirectoryCrm } from './builtin.js';
import { HubSpotCrm, type HubSpotCrmOptions } from './hubspot.js';
import { KommoCrm, type KommoCrmOptions } from './kommo.js';
import type { CountryCode } from './normalize.js';
import type { CrmProvider } from './types.js';

export * from './types.js';
export { DirectoryCrm, type DirectoryCrmOptions } from './builtin.js';
export { HubSpotCrm, type HubSpotCrmOptions } from './hubspot.js';
export { KommoCrm, type KommoCrmOptions } from './kommo.js';
export { DEFAULT_TIMEOUT_MS, isRetryableStatus, parseRetryAfter } from './errors.js';
export { normalizeEmail, normalizePhone, normalizeHandle, handleKey, type CountryCode } from './normalize.js';

/** Settings every adapter takes. */
interface Common {
  /** Milliseconds before a request fails as retryable; default 10000. */
  timeoutMs?: number;
  /** The fetch to use; default the global one. */
  fetch?: typeof fetch;
}

export type CrmConfig =
  | ({ kind: 'builtin'; baseUrl: string; apiKey: string } & Common)
  | ({ kind: 'hubspot'; token: string; baseUrl?: string; defaultCountry?: CountryCode } & Common &
      Pick<HubSpotCrmOptions, 'handlesProperty' | 'attributeProperties' | 'portalId' | 'appUrl'>)
  | ({ kind: 'kommo'; token: string; baseUrl: string; defaultCountry?: CountryCode } & Common &
      Pick<KommoCrmOptions, 'handlesFieldId' | 'attributeFields'>);

/** The adapter a tenant's CRM settings name. Creating one makes no request; `check()` does. */
export function createCrmProvider(config: CrmConfig): CrmProvider {
  switch (config.kind) {
    case 'builtin': {
      const { kind: _kind, ...opts } = config;
      return new DirectoryCrm(opts);
    }
    case 'hubspot': {
      const { kind: _kind, ...opts } = config;
      return new HubSpotCrm(opts);
    }
    case 'kommo': {
      const { kind: _kind, ...opts } = config;
      return new KommoCrm(opts);
    }
  }
}
