import type { DocumentStore } from '@switchboard/store';
import { TenantCollection, type TenantDoc } from '@switchboard/tenancy';
import type { ChannelHandle } from '../crm/types.js';

/** A person in the built-in directory (collection `directory_contacts`). */
export interface DirectoryContactRecord extends TenantDoc {
  name?: string;
  /** Lower case, unique per tenant among live contacts. */
  emails: string[];
  /** E.164, unique per tenant among live contacts. */
  phones: string[];
  handles: ChannelHandle[];
  /** "channel:id" of every handle: the unique index and the look-up key (see normalize.ts). */
  handleKeys: string[];
  company?: string;
  attributes: Record<string, string>;
  createdAt: Date;
  updatedAt: Date;
  /** The survivor this contact was merged into; null while the contact is live. */
  mergedInto: string | null;
  mergedAt?: Date;
  /**
   * What the contact held when it was merged. Its emails, phones and handles move to the
   * survivor (and leave this record, so the unique indexes see them once); kept here so a merge
   * interrupted half-way can be finished by sending it again.
   */
  mergedValues?: MergedValues;
}

export interface MergedValues {
  name?: string;
  company?: string;
  emails: string[];
  phones: string[];
  handles: ChannelHandle[];
  attributes: Record<string, string>;
}

/** A note on a contact (collection `directory_notes`); notes follow their contact into a merge. */
export interface DirectoryNoteRecord extends TenantDoc {
  contactId: string;
  text: string;
  url?: string;
  /** Agent id, or `apikey:<keyId>` for integrations. */
  by: string;
  createdAt: Date;
}

/** Collections the directory owns; tenant deletion must empty them too (TenantDeletion extraCollections). */
export const DIRECTORY_COLLECTIONS = ['directory_contacts', 'directory_notes'] as const;

/** Names of the unique indexes, and the contact field each one protects. */
export const UNIQUE_FIELDS = {
  directory_email_unique: 'emails',
  directory_phone_unique: 'phones',
  directory_handle_unique: 'handles',
} as const;

export interface DirectoryRepositories {
  tenantId: string;
  contacts: TenantCollection<DirectoryContactRecord>;
  notes: TenantCollection<DirectoryNoteRecord>;
}

/** The directory's repository layer: every collection is reached through one tenant. */
export class DirectoryStore {
  constructor(private readonly store: DocumentStore) {}

  forTenant(tenantId: string): DirectoryRepositories {
    return {
      tenantId,
      contacts: new TenantCollection(this.store.collection<DirectoryContactRecord>('directory_contacts'), tenantId),
      notes: new TenantCollection(this.store.collection<DirectoryNoteRecord>('directory_notes'), tenantId),
    };
  }

  /**
   * One live contact per email, phone and handle in a tenant. The indexes are partial on a first
   * element because an empty array is an index key of its own (two contacts without a phone
   * would collide); merged contacts hold empty arrays, so they never block anyone. Safe to call
   * on every start.
   */
  async ensureIndexes(): Promise<void> {
    const contacts = this.store.collection<DirectoryContactRecord>('directory_contacts');
    await contacts.createIndex({ keys: { tenantId: 1, emails: 1 }, unique: true, partial: { 'emails.0': { $exists: true } }, name: 'directory_email_unique' });
    await contacts.createIndex({ keys: { tenantId: 1, phones: 1 }, unique: true, partial: { 'phones.0': { $exists: true } }, name: 'directory_phone_unique' });
    await contacts.createIndex({ keys: { tenantId: 1, handleKeys: 1 }, unique: true, partial: { 'handleKeys.0': { $exists: true } }, name: 'directory_handle_unique' });
    await contacts.createIndex({ keys: { tenantId: 1, mergedInto: 1 } });
    await this.store.collection<DirectoryNoteRecord>('directory_notes').createIndex({ keys: { tenantId: 1, contactId: 1, createdAt: -1 } });
  }
}
