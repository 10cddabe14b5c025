import { randomBytes } from 'node:crypto';
import type { KbSettingsInput } from '@switchboard/contracts';
import { errors } from '@switchboard/http';
import type { Repositories } from '@switchboard/inbox-service';
import type { Logger } from '@switchboard/logging';
import { DuplicateKeyError, type Update } from '@switchboard/store';
import { slugify } from '../markdown.js';
import { kbErrors } from './errors.js';
import type { KbSettingsRecord } from './records.js';
import type { KbStore } from './repository.js';

export const DEFAULT_COLOR = '#4f46e5';
export const DEFAULT_LOCALE = 'en';

/** What a help center starts with before an admin changes anything (the portal is made unique on creation). */
export function defaultSettings(tenant: { name: string; locale?: string | undefined }): Omit<KbSettingsRecord, '_id' | 'tenantId' | 'portal' | 'updatedAt'> {
  const defaultLocale = tenant.locale && /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(tenant.locale) ? tenant.locale : DEFAULT_LOCALE;
  return { name: tenant.name.slice(0, 120) || 'Help center', logoUrl: null, color: DEFAULT_COLOR, defaultLocale, locales: [defaultLocale] };
}

/** A slug with a numeric suffix, kept within the slug length limit. */
export function withSuffix(base: string, n: number): string {
  if (n <= 1) return base;
  const suffix = `-${n}`;
  return `${base.slice(0, 120 - suffix.length).replace(/-+$/, '')}${suffix}`;
}

/**
 * A tenant's help-center settings (one record, `_id` = tenantId). The first read creates the
 * defaults, so every tenant has a help center at /help/<portal>/ from the moment anyone looks.
 */
export class KbSettingsService {
  /** Told after a tenant's settings changed (the custom-domain router reloads). */
  onChanged: ((tenantId: string) => void) | undefined;

  constructor(
    private readonly store: KbStore,
    private readonly inbox: Repositories,
    private readonly publicUrl: string,
    private readonly logger: Logger,
  ) {}

  async get(tenantId: string): Promise<KbSettingsRecord> {
    const settings = this.store.forTenant(tenantId).settings;
    const saved = await settings.findById(tenantId);
    if (saved) return saved;
    const tenant = await this.inbox.getTenant(tenantId);
    const defaults = defaultSettings({ name: tenant?.name ?? 'Help center', locale: tenant?.locale });
    const base = slugify(tenant?.name ?? '') || 'help';
    for (let n = 1; n <= 60; n++) {
      // After many taken suffixes a random one ends the search.
      const portal = n < 60 ? withSuffix(base, n) : `${base.slice(0, 100)}-${randomBytes(4).toString('hex')}`;
      if (await this.store.findPortal(portal)) continue;
      try {
        const created = await settings.insertOne({ _id: tenantId, portal, ...defaults, updatedAt: new Date() });
        this.logger.info({ tenantId, portal }, 'help center created with default settings');
        return created;
      } catch (err) {
        if (!(err instanceof DuplicateKeyError)) throw err;
        // Either a parallel request created this tenant's settings, or another tenant took the portal.
        const raced = await settings.findById(tenantId);
        if (raced) return raced;
      }
    }
    throw new Error(`no free help center portal for ${base}`);
  }

  /** Adds a locale an article was just written in (the public pages list the help center's locales). */
  async addLocale(tenantId: string, locale: string): Promise<void> {
    const current = await this.get(tenantId);
    if (current.locales.includes(locale)) return;
    await this.store.forTenant(tenantId).settings.updateOne({ _id: tenantId }, { $addToSet: { locales: locale }, $set: { updatedAt: new Date() } });
  }

  async update(tenantId: string, input: KbSettingsInput): Promise<KbSettingsRecord> {
    const current = await this.get(tenantId);
    const locales = input.locales ? [...new Set(input.locales)] : current.locales;
    const defaultLocale = input.defaultLocale ?? current.defaultLocale;
    if (!locales.includes(defaultLocale)) {
      throw errors.validation(`The default language ${defaultLocale} must be one of the help center's languages (${locales.join(', ')}).`, { path: '/defaultLocale' });
    }
    if (input.logoUrl && !/^https?:\/\//i.test(input.logoUrl)) {
      throw errors.validation('The logo must be an http or https address.', { path: '/logoUrl' });
    }
    if (input.portal !== undefined && input.portal !== current.portal) {
      const owner = await this.store.findPortal(input.portal);
      if (owner && owner.tenantId !== tenantId) throw kbErrors.portalTaken(input.portal);
    }
    const domain = input.customDomain === undefined ? undefined : input.customDomain === null ? null : input.customDomain.toLowerCase();
    if (domain) {
      if (domain === this.mainHost()) {
        throw errors.validation(`${domain} is this hub's own address; a help center needs a domain of its own (e.g. help.example.com).`, { path: '/customDomain' });
      }
      const owner = await this.store.findByDomain(domain);
      if (owner && owner.tenantId !== tenantId) throw kbErrors.domainTaken(domain);
    }

    const set: Record<string, unknown> = { locales, defaultLocale, updatedAt: new Date() };
    for (const key of ['portal', 'name', 'logoUrl', 'color'] as const) if (input[key] !== undefined) set[key] = input[key];
    if (domain) set.customDomain = domain;
    // No domain is an absent field, not null: the unique index on customDomain skips absent ones.
    const update: Update = domain === null ? { $set: set, $unset: { customDomain: true } } : { $set: set };
    try {
      await this.store.forTenant(tenantId).settings.updateOne({ _id: tenantId }, update);
    } catch (err) {
      if (!(err instanceof DuplicateKeyError)) throw err;
      // Lost a race for the same portal or domain with another tenant.
      if (input.portal && (await this.store.findPortal(input.portal))?.tenantId !== tenantId) throw kbErrors.portalTaken(input.portal);
      if (domain) throw kbErrors.domainTaken(domain);
      throw err;
    }
    this.logger.info({ tenantId, changed: Object.keys(input) }, 'help center settings changed');
    this.onChanged?.(tenantId);
    return this.get(tenantId);
  }

  private mainHost(): string | null {
    try {
      return new URL(this.publicUrl).hostname.toLowerCase();
    } catch {
      return null;
    }
  }
}
