import { describe, expect, it } from 'vitest';
import { validator, WebInboxUpdate, type BusinessHours, type PreChatField, type WebInboxView } from '@switchboard/contracts';
import {
  hoursDraft,
  hoursProblem,
  hoursValue,
  keyFromLabel,
  MAX_FIELDS,
  moveField,
  PRESETS,
  preChatProblem,
  setField,
  settingsChange,
  settingsDraft,
  zoneOptions,
  type HoursDraft,
} from './web-inbox-settings.js';

/** What the server takes as a PATCH body (platform/contracts/src/web-inboxes.ts). */
const update = validator(WebInboxUpdate);

const inbox = (over: Partial<WebInboxView> = {}): WebInboxView => ({
  id: 'w1',
  name: 'Shop',
  widgetToken: 'tok',
  allowedOrigins: [],
  preChatForm: [],
  businessHours: null,
  offlineMessage: '',
  identityVerification: false,
  identitySecret: 'a'.repeat(64),
  snippet: '<script></script>',
  createdAt: '2025-01-01T00:00:00Z',
  ...over,
});

const closedWeek = (): HoursDraft['days'] => [[], [], [], [], [], [], []];
const field = (key: string, label = key): PreChatField => ({ key, label, type: 'text', required: false });

describe('business hours', () => {
  it('new hours start from Monday to Friday, 9 to 5, in the browser’s zone, while "always open" stays on', () => {
    const d = hoursDraft(null, 'Europe/Berlin');
    expect(d.always).toBe(true);
    expect(hoursValue(d)).toBeNull();
    expect(hoursValue({ ...d, always: false })).toEqual({
      timezone: 'Europe/Berlin',
      intervals: [1, 2, 3, 4, 5].map((day) => ({ day, from: '09:00', to: '17:00' })),
    });
  });

  it('turns stored intervals into days and back unchanged, split days and midnight included', () => {
    const stored: BusinessHours = {
      timezone: 'America/New_York',
      intervals: [
        { day: 0, from: '10:00', to: '14:00' },
        { day: 1, from: '08:00', to: '12:00' },
        { day: 1, from: '13:00', to: '18:30' },
        { day: 5, from: '18:00', to: '24:00' },
        { day: 6, from: '00:00', to: '24:00' },
      ],
    };
    const d = hoursDraft(stored, 'Europe/Berlin');
    expect(d.always).toBe(false);
    expect(d.timezone).toBe('America/New_York');
    // A time input cannot show 24:00: the draft holds 00:00 as the end of a day.
    expect(d.days[5]).toEqual([{ from: '18:00', to: '00:00' }]);
    expect(d.days[1]).toHaveLength(2);
    expect(d.days[2]).toEqual([]);
    expect(hoursProblem(d)).toBeNull();
    expect(hoursValue(d)).toEqual(stored);
  });

  it('sorts a day’s ranges and lists days Sunday first, as the API keeps them', () => {
    const days = closedWeek();
    days[3] = [
      { from: '14:00', to: '17:00' },
      { from: '09:00', to: '12:00' },
    ];
    days[0] = [{ from: '10:00', to: '11:00' }];
    expect(hoursValue({ always: false, timezone: 'UTC', days })!.intervals).toEqual([
      { day: 0, from: '10:00', to: '11:00' },
      { day: 3, from: '09:00', to: '12:00' },
      { day: 3, from: '14:00', to: '17:00' },
    ]);
  });

  it.each([
    ['a missing time', [{ from: '09:00', to: '' }], /Monday: enter both the opening and the closing time/],
    ['closing before opening', [{ from: '17:00', to: '09:00' }], /Monday: close after opening/],
    ['closing when opening', [{ from: '09:00', to: '09:00' }], /Monday: close after opening/],
    [
      'overlapping ranges',
      [
        { from: '13:00', to: '18:00' },
        { from: '09:00', to: '13:30' },
      ],
      /Monday: the opening hours overlap/,
    ],
  ])('refuses %s in words', (_, ranges, error) => {
    const days = closedWeek();
    days[1] = ranges;
    expect(hoursProblem({ always: false, timezone: 'UTC', days })).toMatch(error);
  });

  it('takes ranges that touch, and 00:00 as midnight at the end of a day', () => {
    const days = closedWeek();
    days[1] = [
      { from: '09:00', to: '13:00' },
      { from: '13:00', to: '00:00' },
    ];
    expect(hoursProblem({ always: false, timezone: 'UTC', days })).toBeNull();
  });

  it('asks for an open day or "always open", and a time zone', () => {
    expect(hoursProblem({ always: false, timezone: 'UTC', days: closedWeek() })).toMatch(/at least one day, or switch on “Always open”/);
    expect(hoursProblem({ always: true, timezone: 'UTC', days: closedWeek() })).toBeNull();
    expect(hoursProblem({ ...hoursDraft(null, ''), always: false })).toMatch(/Choose a time zone/);
  });

  it('offers the browser’s time zones, and a stored zone it does not list', () => {
    expect(zoneOptions('Europe/Berlin')).toContain('Asia/Tokyo');
    expect(zoneOptions('Europe/Berlin').filter((z) => z === 'Europe/Berlin')).toHaveLength(1);
    expect(zoneOptions('Mars/Olympus_Mons')[0]).toBe('Mars/Olympus_Mons');
  });
});

describe('pre-chat form', () => {
  it('makes keys from labels', () => {
    expect(keyFromLabel('Order number')).toBe('order_number');
    expect(keyFromLabel('  Café au lait! ')).toBe('cafe_au_lait');
    expect(keyFromLabel('2nd address')).toBe('nd_address');
    expect(keyFromLabel('Номер')).toBe('');
    expect(keyFromLabel('x'.repeat(60))).toHaveLength(40);
  });

  it('a new label renames a key that followed the label, never one typed by hand', () => {
    let list = setField([field('', '')], 0, { label: 'Order' });
    expect(list[0]).toMatchObject({ key: 'order', label: 'Order' });
    list = setField(list, 0, { label: 'Order number' });
    expect(list[0]!.key).toBe('order_number');
    list = setField(list, 0, { key: 'ref' });
    list = setField(list, 0, { label: 'Order reference' });
    expect(list[0]).toMatchObject({ key: 'ref', label: 'Order reference' });
  });

  it('moves fields up and down, not past the ends, without touching the list it was given', () => {
    const list = [field('a'), field('b'), field('c')];
    expect(moveField(list, 2, -1).map((f) => f.key)).toEqual(['a', 'c', 'b']);
    expect(moveField(list, 0, 1).map((f) => f.key)).toEqual(['b', 'a', 'c']);
    expect(moveField(list, 0, -1).map((f) => f.key)).toEqual(['a', 'b', 'c']);
    expect(moveField(list, 2, 1).map((f) => f.key)).toEqual(['a', 'b', 'c']);
    expect(list.map((f) => f.key)).toEqual(['a', 'b', 'c']);
  });

  it('the presets fill the contact: name, email and phone', () => {
    expect(PRESETS.map((p) => [p.key, p.type])).toEqual([
      ['name', 'text'],
      ['email', 'email'],
      ['phone', 'tel'],
    ]);
    expect(preChatProblem(PRESETS)).toBeNull();
  });

  it.each([
    [[field('order', ' ')], /Field 1 needs a label/],
    [[field('', 'Order')], /“Order” needs a key, e\.g\. order_number/],
    [[field('Order', 'Order')], /key of “Order” starts with a letter a–z/],
    [[field('1st', 'First')], /key of “First” starts with a letter/],
    [[field('order-no', 'Order')], /key of “Order” starts with a letter/],
    [[field('email', 'Email'), field('email', 'Work email')], /Two fields have the key “email”/],
    [Array.from({ length: MAX_FIELDS + 1 }, (_, i) => field(`f${i}`)), /at most 10 fields/],
  ])('refuses %j in words', (list, error) => {
    expect(preChatProblem(list)).toMatch(error);
  });
});

describe('saving the settings', () => {
  it('starts from the inbox as stored and saves it unchanged', () => {
    const stored = inbox({
      preChatForm: [PRESETS[0]!, { key: 'order', label: 'Order', type: 'text', required: false }],
      businessHours: { timezone: 'Europe/Berlin', intervals: [{ day: 1, from: '09:00', to: '17:00' }] },
      offlineMessage: 'Back tomorrow.',
    });
    const r = settingsChange(settingsDraft(stored, 'Asia/Tokyo'));
    expect(r).toEqual({
      ok: true,
      change: { preChatForm: stored.preChatForm, businessHours: stored.businessHours, offlineMessage: 'Back tomorrow.' },
    });
    if (r.ok) expect(update.check(r.change)).toBe(true);
  });

  it('trims labels and the offline message; "always open" saves null; what it sends the server takes', () => {
    const d = settingsDraft(inbox(), 'Europe/Berlin');
    d.preChatForm = [{ key: 'email', label: '  Email ', type: 'email', required: true }];
    d.offlineMessage = '  We answer by email. ';
    const r = settingsChange(d);
    expect(r).toEqual({
      ok: true,
      change: { preChatForm: [{ key: 'email', label: 'Email', type: 'email', required: true }], businessHours: null, offlineMessage: 'We answer by email.' },
    });
    if (r.ok) expect(update.check(r.change)).toBe(true);

    const open = settingsChange({ ...d, hours: { ...d.hours, always: false } });
    expect(open.ok && open.change.businessHours?.intervals).toHaveLength(5);
    if (open.ok) expect(update.check(open.change)).toBe(true);
  });

  it('refuses a draft the server would not take, the form’s problem first', () => {
    const d = settingsDraft(inbox(), 'UTC');
    d.preChatForm = [field('Bad key', 'Order')];
    d.hours = { always: false, timezone: 'UTC', days: closedWeek() };
    expect(settingsChange(d)).toEqual({ ok: false, error: expect.stringMatching(/key of “Order”/) });
    d.preChatForm = [];
    expect(settingsChange(d)).toEqual({ ok: false, error: expect.stringMatching(/at least one day/) });
  });

  it('does not change the stored inbox while the draft is edited', () => {
    const stored = inbox({ preChatForm: [field('order', 'Order')] });
    const d = settingsDraft(stored, 'UTC');
    d.preChatForm = setField(d.preChatForm, 0, { required: true });
    expect(stored.preChatForm[0]!.required).toBe(false);
  });
});
