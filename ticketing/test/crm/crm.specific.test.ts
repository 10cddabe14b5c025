import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrmProvider, CrmError, DirectoryCrm, HubSpotCrm, KommoCrm } from '../../src/crm/index.js';
import { startDirectoryHub, type DirectoryHub } from './directory-hub.js';
import { HubSpotStandIn } from './hubspot-stand-in.js';
import { HANDLES_FIELD_ID, KommoStandIn } from './kommo-stand-in.js';

describe('createCrmProvider', () => {
  it('builds the adapter the config names, without a request', () => {
    expect(createCrmProvider({ kind: 'builtin', baseUrl: 'http://127.0.0.1:1', apiKey: 'sbk_x' })).toBeInstanceOf(DirectoryCrm);
    expect(createCrmProvider({ kind: 'hubspot', token: 'pat-x' })).toBeInstanceOf(HubSpotCrm);
    expect(createCrmProvider({ kind: 'kommo', token: 't', baseUrl: 'https://acme.kommo.com' }).kind).toBe('kommo');
  });
});

describe('HubSpot adapter, on the wire', () => {
  let hubspot: HubSpotStandIn;
  let crm: HubSpotCrm;
  beforeAll(async () => {
    hubspot = await new HubSpotStandIn().start();
    crm = new HubSpotCrm({ token: hubspot.token, baseUrl: hubspot.url, portalId: '4242' });
  });
  afterAll(() => hubspot.close());

  it('searches with one filter group per identifier and the properties it maps', async () => {
    hubspot.calls.length = 0;
    await crm.find({ handle: { channel: 'telegram', id: '77' }, email: 'A@Example.com', phone: '+7 916 000-00-00' });
    const call = hubspot.calls[0]!;
    expect(call).toMatchObject({ method: 'POST', path: '/crm/v3/objects/contacts/search', authorization: `Bearer ${hubspot.token}` });
    expect(call.body).toEqual({
      filterGroups: [
        { filters: [{ propertyName: 'switchboard_handles', operator: 'CONTAINS_TOKEN', value: 'telegram:77' }] },
        { filters: [{ propertyName: 'email', operator: 'EQ', value: 'a@example.com' }] },
        { filters: [{ propertyName: 'phone', operator: 'EQ', value: '+79160000000' }] },
        { filters: [{ propertyName: 'mobilephone', operator: 'EQ', value: '+79160000000' }] },
      ],
      properties: ['firstname', 'lastname', 'email', 'hs_additional_emails', 'phone', 'mobilephone', 'company', 'switchboard_handles', 'jobtitle'],
      limit: 10,
    });
  });

  it('writes names, primary and additional emails, two phones and handles as HubSpot properties', async () => {
    const c = await crm.create({
      name: 'Olga Ivanovna Petrova',
      emails: ['olga@hs.example', 'o.petrova@hs.example'],
      phones: ['+7 916 111-11-11', '+7 916 222-22-22', '+7 916 333-33-33'],
      handles: [{ channel: 'telegram', id: '42' }],
      company: 'Acme',
    });
    const stored = hubspot.contacts.get(c.id)!.properties;
    expect(stored).toMatchObject({
      firstname: 'Olga',
      lastname: 'Ivanovna Petrova',
      email: 'olga@hs.example',
      hs_additional_emails: 'o.petrova@hs.example',
      phone: '+79161111111',
      mobilephone: '+79162222222',
      company: 'Acme',
      switchboard_handles: 'telegram:42',
    });
    // HubSpot keeps two numbers: the third is not written.
    expect(c.phones).toEqual(['+79161111111', '+79162222222']);
    expect(c.url).toBe(`https://app.hubspot.com/contacts/4242/record/0-1/${c.id}`);
    const updated = await crm.update(c.id, { handles: [{ channel: 'whatsapp', id: '+79161111111' }], emails: ['third@hs.example'] });
    expect(hubspot.contacts.get(c.id)!.properties).toMatchObject({
      switchboard_handles: 'telegram:42;whatsapp:+79161111111',
      hs_additional_emails: 'o.petrova@hs.example;third@hs.example',
    });
    expect(updated.handles).toHaveLength(2);
  });

  it('logs notes as engagements associated with the contact (HUBSPOT_DEFINED 202)', async () => {
    const c = await crm.create({ emails: ['noted@hs.example'] });
    hubspot.calls.length = 0;
    await crm.addNote(c.id, { text: 'Order <5521> broken', url: 'https://support.example/t/1' });
    const body = hubspot.calls[0]!.body as { properties: Record<string, string>; associations: unknown[] };
    expect(body.properties.hs_note_body).toBe('Order &lt;5521&gt; broken<br><a href="https://support.example/t/1">https://support.example/t/1</a>');
    expect(Date.parse(body.properties.hs_timestamp!)).not.toBeNaN();
    expect(body.associations).toEqual([{ to: { id: c.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 202 }] }]);
  });

  it('a second contact with the same email is HubSpot’s 409, not retryable', async () => {
    await crm.create({ emails: ['dup@hs.example'] });
    const err = await crm.create({ emails: ['DUP@hs.example'] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ retryable: false, status: 409, message: expect.stringContaining('Contact already exists') });
  });

  it('refuses an attribute no property is mapped for, before any request', async () => {
    hubspot.calls.length = 0;
    await expect(crm.create({ attributes: { shoe_size: '42' } })).rejects.toMatchObject({ retryable: false, message: expect.stringContaining('attributeProperties') });
    expect(hubspot.calls).toHaveLength(0);
  });

  it('a portal without the handles property answers 400 naming it: not retryable', async () => {
    const bare = await new HubSpotStandIn(undefined, []).start();
    try {
      const p = new HubSpotCrm({ token: bare.token, baseUrl: bare.url });
      const err = (await p.create({ handles: [{ channel: 'telegram', id: '1' }] }).catch((e: unknown) => e)) as CrmError;
      expect(err).toBeInstanceOf(CrmError);
      expect(err).toMatchObject({ retryable: false, status: 400 });
      expect(err.message).toContain('switchboard_handles');
    } finally {
      await bare.close();
    }
  });
});

describe('Kommo adapter, on the wire', () => {
  let kommo: KommoStandIn;
  beforeAll(async () => {
    kommo = await new KommoStandIn().start();
  });
  afterAll(() => kommo.close());

  it('adds contacts as an array with PHONE and EMAIL values (enum WORK) and the handles field', async () => {
    const crm = new KommoCrm({ token: kommo.token, baseUrl: kommo.url, handlesFieldId: HANDLES_FIELD_ID });
    kommo.calls.length = 0;
    const c = await crm.create({ name: 'Sam', emails: ['Sam@Kommo.example'], phones: ['+7 916 444-44-44'], handles: [{ channel: 'telegram', id: '9' }], attributes: { jobtitle: 'CEO' } });
    expect(kommo.calls[0]).toMatchObject({ method: 'POST', path: '/api/v4/contacts', authorization: `Bearer ${kommo.token}` });
    expect(kommo.calls[0]!.body).toEqual([
      {
        name: 'Sam',
        custom_fields_values: [
          { field_code: 'EMAIL', values: [{ value: 'sam@kommo.example', enum_code: 'WORK' }] },
          { field_code: 'PHONE', values: [{ value: '+79164444444', enum_code: 'WORK' }] },
          { field_id: HANDLES_FIELD_ID, values: [{ value: 'telegram:9' }] },
          { field_code: 'POSITION', values: [{ value: 'CEO' }] },
        ],
      },
    ]);
    expect(c.url).toBe(`${kommo.url}/contacts/detail/${c.id}`);
    kommo.calls.length = 0;
    await crm.addNote(c.id, { text: 'Hello' });
    expect(kommo.calls[0]).toMatchObject({ method: 'POST', path: `/api/v4/contacts/${c.id}/notes`, body: [{ note_type: 'common', params: { text: 'Hello' } }] });
    kommo.calls.length = 0;
    expect(await crm.find({ email: 'nobody@kommo.example' })).toBeNull();
    expect(kommo.calls.map((x) => x.query.get('query'))).toEqual(['nobody@kommo.example']);
  });

  it('without a handles field: handles become a note and a look-up by handle asks nothing', async () => {
    const crm = new KommoCrm({ token: kommo.token, baseUrl: kommo.url });
    const c = await crm.create({ name: 'No field', handles: [{ channel: 'Telegram', id: 'nofield1' }] });
    expect(kommo.notesOf(c.id)).toEqual(['Switchboard handles: telegram:nofield1']);
    await crm.update(c.id, { handles: [{ channel: 'telegram', id: 'nofield1' }, { channel: 'slack', id: 'U9' }] });
    expect(kommo.notesOf(c.id)).toEqual(['Switchboard handles: telegram:nofield1', 'Switchboard handles: slack:U9']);
    kommo.calls.length = 0;
    expect(await crm.find({ handle: { channel: 'telegram', id: 'nofield1' } })).toBeNull();
    expect(kommo.calls).toHaveLength(0);
  });

  it('a field the account does not have is Kommo’s validation error, not retryable', async () => {
    const crm = new KommoCrm({ token: kommo.token, baseUrl: kommo.url, attributeFields: { shoe: 99_999 } });
    const err = (await crm.create({ attributes: { shoe: '42' } }).catch((e: unknown) => e)) as CrmError;
    expect(err).toMatchObject({ retryable: false, status: 400 });
    expect(err.message).toContain('custom_fields_values.0.field_id');
  });
});

describe('built-in directory adapter and merges', () => {
  let hub: DirectoryHub;
  beforeAll(async () => {
    hub = await startDirectoryHub();
  });
  afterAll(() => hub.close());

  it('answers a merged id with the survivor; the merged contact’s email finds the survivor', async () => {
    const crm = new DirectoryCrm({ baseUrl: hub.url, apiKey: hub.apiKey });
    const keep = await crm.create({ name: 'Keep', emails: ['keep@dir.example'] });
    const gone = await crm.create({ name: 'Gone', emails: ['gone@dir.example'], handles: [{ channel: 'telegram', id: 'gone' }] });
    const res = await fetch(`${hub.url}/api/v1/directory/contacts/${keep.id}/merge`, {
      method: 'POST',
      headers: { authorization: `Bearer ${hub.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ from: gone.id }),
    });
    expect(res.status).toBe(200);
    expect((await crm.get(gone.id))?.id).toBe(keep.id);
    expect((await crm.find({ email: 'gone@dir.example' }))?.id).toBe(keep.id);
    expect((await crm.find({ handle: { channel: 'telegram', id: 'gone' } }))?.id).toBe(keep.id);
    // An update sent to the old id lands on the survivor.
    expect((await crm.update(gone.id, { phones: ['+7 916 555-55-55'] })).id).toBe(keep.id);
  });

  it('a duplicate email is a 409 that is not retryable; a phone it cannot read is no match', async () => {
    const crm = new DirectoryCrm({ baseUrl: hub.url, apiKey: hub.apiKey });
    await crm.create({ emails: ['taken@dir.example'] });
    await expect(crm.create({ emails: ['taken@dir.example'] })).rejects.toMatchObject({ retryable: false, status: 409, message: expect.stringContaining('taken@dir.example') });
    expect(await crm.find({ phone: 'call me maybe' })).toBeNull();
  });
});
