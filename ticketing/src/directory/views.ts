import type { DirectoryContactRecord, DirectoryNoteRecord } from './repository.js';
import type { ContactView, NoteView } from './schemas.js';

export function contactView(c: DirectoryContactRecord, mergedFrom?: string): ContactView {
  return {
    id: c._id,
    ...(c.name !== undefined ? { name: c.name } : {}),
    emails: c.emails,
    phones: c.phones,
    handles: c.handles,
    ...(c.company !== undefined ? { company: c.company } : {}),
    attributes: c.attributes,
    createdAt: new Date(c.createdAt).toISOString(),
    updatedAt: new Date(c.updatedAt).toISOString(),
    ...(mergedFrom !== undefined ? { mergedFrom } : {}),
  };
}

export function noteView(n: DirectoryNoteRecord): NoteView {
  return {
    id: n._id,
    contactId: n.contactId,
    text: n.text,
    ...(n.url !== undefined ? { url: n.url } : {}),
    by: n.by,
    createdAt: new Date(n.createdAt).toISOString(),
  };
}
