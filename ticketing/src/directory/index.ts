/** The built-in contact directory: a REST service over the DocumentStore (docs/crm.md). */
export { directoryService, type DirectoryServiceOptions } from './plugin.js';
export { ContactDirectory, type ContactDirectoryOptions, type Resolved } from './service.js';
export { DirectoryStore, DIRECTORY_COLLECTIONS, type DirectoryContactRecord, type DirectoryNoteRecord, type MergedValues } from './repository.js';
export { ContactCreate, ContactPatch, ContactQuery, ContactView, ContactList, Handle, MergeBody, NoteCreate, NoteView } from './schemas.js';
export { contactView, noteView } from './views.js';
export { directoryApiKey } from './api-key.js';
