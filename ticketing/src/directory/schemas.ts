/** The directory's REST shapes: one TypeBox source for types, validation and OpenAPI. */
import { Type, type Static } from 'typebox';

const Id = Type.String({ minLength: 1, maxLength: 100 });
const IsoTime = Type.String({ format: 'date-time' });
const AttributeKey = Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_-]{0,63}$' });

export const Handle = Type.Object(
  {
    channel: Type.String({ minLength: 1, maxLength: 50, pattern: '^[A-Za-z0-9_.-]+$', description: 'telegram, whatsapp, slack, instagram, email …' }),
    id: Type.String({ minLength: 1, maxLength: 300, pattern: '\\S', description: 'The sender’s id on that channel.' }),
  },
  { additionalProperties: false },
);

const Emails = Type.Array(Type.String({ minLength: 3, maxLength: 320 }), { maxItems: 50, description: 'Stored lower case.' });
const Phones = Type.Array(Type.String({ minLength: 3, maxLength: 50 }), {
  maxItems: 50,
  description: 'Any spelling; stored in E.164 ("+79161234567"). Numbers without "+" need the directory’s default country.',
});
const Handles = Type.Array(Handle, { maxItems: 50 });

export const ContactCreate = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 300, pattern: '\\S' })),
    emails: Type.Optional(Emails),
    phones: Type.Optional(Phones),
    handles: Type.Optional(Handles),
    company: Type.Optional(Type.String({ minLength: 1, maxLength: 300, pattern: '\\S' })),
    attributes: Type.Optional(Type.Record(AttributeKey, Type.String({ maxLength: 2000 }), { additionalProperties: false, maxProperties: 100 })),
  },
  { additionalProperties: false },
);
export type ContactCreate = Static<typeof ContactCreate>;

export const ContactPatch = Type.Object(
  {
    name: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 300, pattern: '\\S' }), Type.Null()], { description: 'null clears it.' })),
    emails: Type.Optional(Type.Array(Type.String({ minLength: 3, maxLength: 320 }), { maxItems: 50, description: 'Added to the contact’s emails; none are removed.' })),
    phones: Type.Optional(Type.Array(Type.String({ minLength: 3, maxLength: 50 }), { maxItems: 50, description: 'Added to the contact’s phones; none are removed.' })),
    handles: Type.Optional(Type.Array(Handle, { maxItems: 50, description: 'Added to the contact’s handles; none are removed.' })),
    company: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 300, pattern: '\\S' }), Type.Null()], { description: 'null clears it.' })),
    attributes: Type.Optional(
      Type.Record(AttributeKey, Type.Union([Type.String({ maxLength: 2000 }), Type.Null()]), {
        additionalProperties: false,
        maxProperties: 100,
        description: 'Sets the given keys; null removes one. Other keys stay.',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ContactPatch = Static<typeof ContactPatch>;

export const ContactView = Type.Object({
  id: Id,
  name: Type.Optional(Type.String()),
  emails: Type.Array(Type.String()),
  phones: Type.Array(Type.String()),
  handles: Type.Array(Handle),
  company: Type.Optional(Type.String()),
  attributes: Type.Record(Type.String(), Type.String()),
  createdAt: IsoTime,
  updatedAt: IsoTime,
  mergedFrom: Type.Optional(
    Type.String({ description: 'Present when the id asked for was merged into this contact: the id that was asked for.' }),
  ),
});
export type ContactView = Static<typeof ContactView>;

export const ContactList = Type.Object({
  items: Type.Array(ContactView),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `cursor` for the next page; null on the last one.' }),
});

export const ContactQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Part of a name, email, phone or company, any case.' })),
    email: Type.Optional(Type.String({ minLength: 3, maxLength: 320, description: 'Exact look-up by email (any case).' })),
    phone: Type.Optional(Type.String({ minLength: 3, maxLength: 50, description: 'Exact look-up by phone, in any spelling.' })),
    channel: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: 'With `handle`: exact look-up by a messenger identity.' })),
    handle: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
    cursor: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type ContactQuery = Static<typeof ContactQuery>;

export const MergeBody = Type.Object(
  { from: Type.String({ minLength: 1, maxLength: 100, description: 'The contact that joins this one and is then marked merged.' }) },
  { additionalProperties: false },
);

export const NoteCreate = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: 65_536, pattern: '\\S' }),
    url: Type.Optional(Type.String({ maxLength: 2000, format: 'uri', description: 'Link back, e.g. to the ticket.' })),
  },
  { additionalProperties: false },
);

export const NoteView = Type.Object({
  id: Id,
  contactId: Id,
  text: Type.String(),
  url: Type.Optional(Type.String()),
  by: Type.String(),
  createdAt: IsoTime,
});
export type NoteView = Static<typeof NoteView>;
