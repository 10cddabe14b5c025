import type { Bus } from '@switchboard/bus';
import { newId } from '@switchboard/contracts';
import { errors, SbError } from '@switchboard/http';
import { DuplicateKeyError, type Filter, type Update } from '@switchboard/store';
import { added, handleKey, normalizeEmail, normalizeHandle, normalizePhone, type CountryCode } from '../crm/normalize.js';
import type { ChannelHandle } from '../crm/types.js';
import {
  UNIQUE_FIELDS,
  type DirectoryContactRecord,
  type DirectoryNoteRecord,
  type DirectoryRepositories,
  type DirectoryStore,
  type MergedValues,
} from './repository.js';
import type { ContactCreate, ContactPatch, ContactQuery } from './schemas.js';

export interface ContactDirectoryOptions {
  /** Country of phone numbers written without "+" (e.g. "RU": "8 916 …"); default none: such numbers are refused. */
  defaultCountry?: CountryCode;
}

/** A contact found by id: the survivor when the id was merged, with the id asked for as `mergedFrom`. */
export interface Resolved {
  contact: DirectoryContactRecord;
  mergedFrom?: string;
}

interface Identifiers {
  emails: string[];
  phones: string[];
  handles: ChannelHandle[];
  handleKeys: string[];
}

/** Merges of merges are flattened, so a longer chain only exists while a merge is half done. */
const MAX_MERGE_HOPS = 10;

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function decodeCursor(raw: string): string {
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as { i?: unknown };
    if (typeof c.i !== 'string' || c.i === '') throw new Error('shape');
    return c.i;
  } catch {
    throw errors.validation('cursor is not one this API returned.', { path: '/cursor' });
  }
}

/** 409 SB_ERR_CONFLICT naming the field, the value and the live contact that holds it. */
function taken(field: 'emails' | 'phones' | 'handles', value: string, contactId: string): SbError {
  const what = field === 'emails' ? 'email' : field === 'phones' ? 'phone' : 'handle';
  return new SbError(
    'SB_ERR_CONFLICT',
    409,
    `The ${what} ${value} already belongs to contact ${contactId}; merge the two contacts instead.`,
    { field, value, contactId },
  );
}

/**
 * The built-in contact directory: people with their emails, phones and messenger handles, one
 * live contact per identifier and tenant, merges that keep old ids answering. Every call takes
 * the tenant first; the repository layer pins each query to it.
 */
export class ContactDirectory {
  constructor(
    private readonly store: DirectoryStore,
    private readonly bus: Pick<Bus, 'publishEvent'>,
    private readonly opts: ContactDirectoryOptions = {},
  ) {}

  async list(tenantId: string, q: ContactQuery): Promise<{ items: DirectoryContactRecord[]; nextCursor: string | null }> {
    const r = this.store.forTenant(tenantId);
    const and: Filter[] = [{ mergedInto: null }];
    if (q.email !== undefined) {
      const email = normalizeEmail(q.email);
      if (!email) throw errors.validation(`"${q.email}" is not an email address.`, { path: '/email' });
      and.push({ emails: email });
    }
    if (q.phone !== undefined) {
      const phone = this.phone(q.phone, '/phone');
      and.push({ phones: phone });
    }
    if ((q.channel === undefined) !== (q.handle === undefined)) {
      throw errors.validation('channel and handle go together: a handle is an id on one channel.', { path: q.channel === undefined ? '/channel' : '/handle' });
    }
    if (q.channel !== undefined && q.handle !== undefined) and.push({ handleKeys: handleKey({ channel: q.channel, id: q.handle }) });
    if (q.q !== undefined) {
      const text = escapeRegex(q.q.trim());
      const or: Filter[] = [
        { name: { $regex: text, $options: 'i' } },
        { emails: { $regex: text, $options: 'i' } },
        { company: { $regex: text, $options: 'i' } },
      ];
      // Phones are stored as "+79161234567": "916 123" finds it by its digits.
      const digits = q.q.replace(/\D/g, '');
      if (digits.length >= 3) or.push({ phones: { $regex: digits } });
      and.push({ $or: or });
    }
    if (q.cursor !== undefined) and.push({ _id: { $lt: decodeCursor(q.cursor) } });
    const found = await r.contacts.find({ $and: and }, { sort: { _id: -1 }, limit: q.limit + 1 });
    const items = found.slice(0, q.limit);
    const last = items[items.length - 1];
    const nextCursor = found.length > q.limit && last ? Buffer.from(JSON.stringify({ i: last._id })).toString('base64url') : null;
    return { items, nextCursor };
  }

  get(tenantId: string, id: string): Promise<Resolved> {
    return this.resolve(this.store.forTenant(tenantId), id);
  }

  async create(tenantId: string, input: ContactCreate): Promise<DirectoryContactRecord> {
    const r = this.store.forTenant(tenantId);
    const ids = this.identifiers(input);
    const now = new Date();
    const doc: Omit<DirectoryContactRecord, 'tenantId'> = {
      _id: newId(),
      ...(input.name !== undefined ? { name: input.name.trim() } : {}),
      ...ids,
      ...(input.company !== undefined ? { company: input.company.trim() } : {}),
      attributes: input.attributes ?? {},
      createdAt: now,
      updatedAt: now,
      mergedInto: null,
    };
    return this.guarded(r, ids, undefined, () => r.contacts.insertOne(doc));
  }

  async patch(tenantId: string, id: string, patch: ContactPatch): Promise<Resolved> {
    const r = this.store.forTenant(tenantId);
    const { contact, mergedFrom } = await this.resolve(r, id);
    const ids = this.identifiers(patch);
    const $set: Record<string, unknown> = { updatedAt: new Date() };
    const $unset: Record<string, ''> = {};
    if (patch.name === null) $unset.name = '';
    else if (patch.name !== undefined) $set.name = patch.name.trim();
    if (patch.company === null) $unset.company = '';
    else if (patch.company !== undefined) $set.company = patch.company.trim();
    for (const [key, value] of Object.entries(patch.attributes ?? {})) {
      if (value === null) $unset[`attributes.${key}`] = '';
      else $set[`attributes.${key}`] = value;
    }
    const update: Update = { $set, ...(Object.keys($unset).length ? { $unset } : {}), ...addToSet(ids) };
    const updated = await this.guarded(r, ids, contact._id, () =>
      r.contacts.findOneAndUpdate({ _id: contact._id, mergedInto: null }, update, { returnDocument: 'after' }),
    );
    if (!updated) throw errors.conflict(`Contact ${contact._id} was merged while it was being changed; send the change again.`);
    return { contact: updated, ...(mergedFrom ? { mergedFrom } : {}) };
  }

  /**
   * Deletes a live contact with its notes and the records of contacts merged into it (they keep
   * copies of the merged data). A merged id is refused: deleting the person means deleting the
   * survivor, which the caller should name on purpose.
   */
  async remove(tenantId: string, id: string): Promise<void> {
    const r = this.store.forTenant(tenantId);
    const doc = await r.contacts.findById(id);
    if (!doc) throw errors.notFound('The contact');
    if (doc.mergedInto) {
      throw new SbError('SB_ERR_CONFLICT', 409, `Contact ${id} was merged into ${doc.mergedInto}; delete that one to remove the person.`, {
        mergedInto: doc.mergedInto,
      });
    }
    await r.notes.deleteMany({ contactId: id });
    await r.contacts.deleteMany({ mergedInto: id });
    await r.contacts.deleteOne({ _id: id });
  }

  /**
   * `from` joins `id`: its emails, phones and handles move over, its attributes, name and
   * company fill what the survivor lacks, its notes follow, and it is marked `mergedInto` so its
   * id keeps answering with the survivor. Sending the same merge again finishes one that was
   * interrupted and publishes `contact.merged` again (consumers are idempotent).
   */
  async merge(tenantId: string, id: string, fromId: string, by: string): Promise<DirectoryContactRecord> {
    const r = this.store.forTenant(tenantId);
    // Found first: another tenant's id answers 404 whatever the body says.
    const { contact: survivor } = await this.resolve(r, id);
    if (id === fromId) throw errors.validation('A contact cannot be merged into itself.', { path: '/from' });
    let loser = await r.contacts.findById(fromId);
    if (!loser) throw errors.notFound('The contact to merge (from)');
    if (loser._id === survivor._id) throw errors.validation(`Contact ${id} was already merged into ${fromId}: they are one contact.`, { path: '/from' });
    const now = new Date();
    if (loser.mergedInto === null) {
      const values: MergedValues = {
        emails: loser.emails,
        phones: loser.phones,
        handles: loser.handles,
        attributes: loser.attributes,
        ...(loser.name !== undefined ? { name: loser.name } : {}),
        ...(loser.company !== undefined ? { company: loser.company } : {}),
      };
      // First free the identifiers (the unique indexes see them once), keeping a copy to move.
      const marked = await r.contacts.findOneAndUpdate(
        { _id: loser._id, mergedInto: null },
        { $set: { mergedInto: survivor._id, mergedAt: now, mergedValues: values, emails: [], phones: [], handles: [], handleKeys: [], updatedAt: now } },
        { returnDocument: 'after' },
      );
      loser = marked ?? (await r.contacts.findById(fromId));
      if (!loser) throw errors.notFound('The contact to merge (from)');
    }
    const target = await this.resolve(r, loser._id);
    if (target.contact._id !== survivor._id) {
      throw new SbError('SB_ERR_CONFLICT', 409, `Contact ${fromId} was already merged into ${target.contact._id}.`, { mergedInto: target.contact._id });
    }
    const moved = loser.mergedValues ?? { emails: [], phones: [], handles: [], attributes: {} };
    const $set: Record<string, unknown> = { updatedAt: now };
    for (const [key, value] of Object.entries(moved.attributes)) if (!(key in survivor.attributes)) $set[`attributes.${key}`] = value;
    if (survivor.name === undefined && moved.name !== undefined) $set.name = moved.name;
    if (survivor.company === undefined && moved.company !== undefined) $set.company = moved.company;
    const ids: Identifiers = { emails: moved.emails, phones: moved.phones, handles: moved.handles, handleKeys: moved.handles.map(handleKey) };
    const updated = await this.guarded(r, ids, survivor._id, () =>
      r.contacts.findOneAndUpdate({ _id: survivor._id, mergedInto: null }, { $set, ...addToSet(ids) }, { returnDocument: 'after' }),
    );
    if (!updated) throw errors.conflict(`Contact ${survivor._id} was merged elsewhere during this merge; send the merge again.`);
    // Contacts merged into the one that just merged now point at the survivor directly.
    await r.contacts.updateMany({ mergedInto: loser._id }, { $set: { mergedInto: survivor._id } });
    await r.notes.updateMany({ contactId: loser._id }, { $set: { contactId: survivor._id } });
    await this.bus.publishEvent({
      id: newId(),
      v: 1,
      type: 'contact.merged',
      tenantId,
      at: now.toISOString(),
      data: { source: 'directory', contactId: survivor._id, mergedId: loser._id, emails: moved.emails, phones: moved.phones, handles: moved.handles, by },
    });
    return updated;
  }

  async addNote(tenantId: string, id: string, note: { text: string; url?: string }, by: string): Promise<DirectoryNoteRecord> {
    const r = this.store.forTenant(tenantId);
    const { contact } = await this.resolve(r, id);
    return r.notes.insertOne({
      _id: newId(),
      contactId: contact._id,
      text: note.text,
      ...(note.url !== undefined ? { url: note.url } : {}),
      by,
      createdAt: new Date(),
    });
  }

  async notes(tenantId: string, id: string, limit: number): Promise<DirectoryNoteRecord[]> {
    const r = this.store.forTenant(tenantId);
    const { contact } = await this.resolve(r, id);
    return r.notes.find({ contactId: contact._id }, { sort: { createdAt: -1, _id: -1 }, limit });
  }

  /** The contact with this id, following merges to the survivor. */
  private async resolve(r: DirectoryRepositories, id: string): Promise<Resolved> {
    let doc = await r.contacts.findById(id);
    for (let hops = 0; doc?.mergedInto; hops++) {
      if (hops >= MAX_MERGE_HOPS) throw errors.unavailable(`Contact ${id} is in a merge chain longer than ${MAX_MERGE_HOPS}; try again shortly.`);
      doc = await r.contacts.findById(doc.mergedInto);
    }
    if (!doc) throw errors.notFound('The contact');
    return { contact: doc, ...(doc._id !== id ? { mergedFrom: id } : {}) };
  }

  private phone(raw: string, path: string): string {
    const phone = normalizePhone(raw, this.opts.defaultCountry);
    if (!phone) {
      const hint = this.opts.defaultCountry ? '' : ' (write it with the country code, "+…")';
      throw errors.validation(`"${raw}" is not a phone number${hint}.`, { path });
    }
    return phone;
  }

  /** Normalized identifiers of a request body, or a 400 naming the first that is not one. */
  private identifiers(input: { emails?: string[]; phones?: string[]; handles?: ChannelHandle[] }): Identifiers {
    const emails = (input.emails ?? []).map((raw, i) => {
      const email = normalizeEmail(raw);
      if (!email) throw errors.validation(`"${raw}" is not an email address.`, { path: `/emails/${i}` });
      return email;
    });
    const phones = (input.phones ?? []).map((raw, i) => this.phone(raw, `/phones/${i}`));
    const handles = added([], (input.handles ?? []).map(normalizeHandle), handleKey);
    return { emails: added([], emails), phones: added([], phones), handles, handleKeys: handles.map(handleKey) };
  }

  /** Runs a write that may claim identifiers; a clash is a 409 naming the field, value and holder. */
  private async guarded<T>(r: DirectoryRepositories, ids: Identifiers, self: string | undefined, write: () => Promise<T>): Promise<T> {
    const clash = await this.clash(r, ids, self);
    if (clash) throw clash;
    try {
      return await write();
    } catch (err) {
      if (!(err instanceof DuplicateKeyError)) throw err;
      // Another request claimed the value between the check and the write.
      const again = await this.clash(r, ids, self);
      const field = UNIQUE_FIELDS[err.index as keyof typeof UNIQUE_FIELDS] ?? 'emails';
      throw again ?? new SbError('SB_ERR_CONFLICT', 409, `One of the ${field} already belongs to another contact.`, { field });
    }
  }

  private async clash(r: DirectoryRepositories, ids: Identifiers, self: string | undefined): Promise<SbError | null> {
    const checks = [
      ['emails', 'emails', ids.emails],
      ['phones', 'phones', ids.phones],
      ['handles', 'handleKeys', ids.handleKeys],
    ] as const;
    for (const [field, key, values] of checks) {
      if (values.length === 0) continue;
      const other = await r.contacts.findOne({ [key]: { $in: values }, mergedInto: null, ...(self ? { _id: { $ne: self } } : {}) });
      if (other) return taken(field, values.find((v) => other[key].includes(v)) ?? values[0]!, other._id);
    }
    return null;
  }
}

function addToSet(ids: Identifiers): Pick<Update, '$addToSet'> {
  const each: Record<string, unknown> = {};
  if (ids.emails.length) each.emails = { $each: ids.emails };
  if (ids.phones.length) each.phones = { $each: ids.phones };
  if (ids.handles.length) {
    each.handles = { $each: ids.handles };
    each.handleKeys = { $each: ids.handleKeys };
  }
  return Object.keys(each).length ? { $addToSet: each } : {};
}
