import { describe, expect, it } from 'vitest';
import { Type, type TObject } from 'typebox';
import { validator } from '@switchboard/contracts';
import type { Connector } from '@switchboard/connectors-sdk';
import { telegramConnector } from '@switchboard/connector-telegram';
import { slackConnector } from '@switchboard/connector-slack';
import { instagramConnector, whatsappConnector, type MetaDeps } from '@switchboard/connector-meta';
import { emailConnector } from '@switchboard/connector-email';
import type { ChannelAccount } from './api.js';
import { accountPath, channelForms, connectBody, dropAccount, editBody, formOf, formProblem, putAccount, removeQuestion, testText, type FormValues } from './channel-forms.js';

/** The connectors whose credentials the forms ask for; building a schema needs none of their dependencies. */
const unused = {} as MetaDeps;
const connectors: Record<string, Connector> = {
  telegram: telegramConnector(),
  slack: slackConnector(),
  whatsapp: whatsappConnector(unused),
  instagram: instagramConnector(unused),
  email: emailConnector(),
};

/** POST /api/v1/channels/<channel>'s body schema, as connectors/sdk/src/plugin.ts builds it. */
const createBody = (c: Connector) =>
  validator(
    Type.Object(
      { name: Type.String({ minLength: 1, maxLength: 200 }), credentials: c.credentialsSchema, settings: Type.Optional(c.settingsSchema) },
      { additionalProperties: false },
    ),
  );

/** Values an admin would paste, by field key (each channel's docs/channels page shows them). */
const EXAMPLE: FormValues = {
  botToken: '123456789:AAH-test-token-for-the-stand-in_x',
  signingSecret: '8f742231b10e8888abcd99aaaa85a5',
  mode: 'socket',
  appToken: 'xapp-1-A0123-456-abc',
  channels: 'C0123ABCD,C0456EFGH',
  phoneNumberId: '106540352242922',
  accessToken: 'EAAGm0PX4ZCpsBA',
  appSecret: 'a1b2c3',
  verifyToken: 'any string you choose',
  igUserId: '17841400000000000',
  address: 'help@shop.example',
  fromName: 'Shop Support',
  smtpHost: 'smtp.gmail.com',
  smtpPort: '587',
  smtpSecure: 'true',
  smtpUser: 'help@shop.example',
  smtpPassword: 'app-password',
  imapHost: 'imap.gmail.com',
  imapPort: '993',
  imapSecure: 'false',
  imapUser: 'help@shop.example',
  imapPassword: 'app-password',
  allowSelfSigned: 'true',
};
const slackBot = 'xoxb-' + '1234-5678-abcdef';

const requiredOnly = (channel: string): FormValues =>
  Object.fromEntries(formOf(channel)!.fields.filter((f) => f.required).map((f) => [f.key, channel === 'slack' && f.key === 'botToken' ? slackBot : EXAMPLE[f.key]!]));
const everything = (channel: string): FormValues =>
  Object.fromEntries(formOf(channel)!.fields.map((f) => [f.key, channel === 'slack' && f.key === 'botToken' ? slackBot : EXAMPLE[f.key]!]));

describe('the connect forms', () => {
  it('offer Telegram, Slack, WhatsApp Cloud, Instagram and email', () => {
    expect(channelForms().map((f) => f.channel).sort()).toEqual(Object.keys(connectors).sort());
  });

  for (const form of channelForms()) {
    const connector = connectors[form.channel]!;
    const check = createBody(connector);
    const schemaOf = (where: 'credentials' | 'settings'): TObject => (where === 'credentials' ? connector.credentialsSchema : connector.settingsSchema);

    describe(form.title, () => {
      it('asks for each field where the server takes it, and for every one the server requires', () => {
        for (const f of form.fields) expect(Object.keys(schemaOf(f.in).properties), `${f.key} in ${f.in}`).toContain(f.key);
        for (const where of ['credentials', 'settings'] as const) {
          // Secrets the server generates itself (the webhook secret) are not asked for.
          for (const key of schemaOf(where).required ?? []) {
            expect(form.fields.find((f) => f.key === key && f.in === where)?.required, `${where}.${key} is required`).toBe(true);
          }
        }
      });

      it('sends a body the server accepts, with only the required fields and with all of them', () => {
        for (const values of [requiredOnly(form.channel), everything(form.channel)]) {
          expect(formProblem(form, 'Support', values)).toBeNull();
          const result = check.validate(connectBody(form, '  Support ', values));
          expect(result.ok ? [] : result.issues).toEqual([]);
        }
      });

      it('says in words what is missing or malformed, and the server would refuse those too', () => {
        const full = requiredOnly(form.channel);
        expect(formProblem(form, ' ', full)).toBe('Give the account a name.');
        const first = form.fields.find((f) => f.required)!;
        expect(formProblem(form, 'Support', { ...full, [first.key]: '  ' })).toBe(`Fill in “${first.label}”.`);
        for (const f of form.fields.filter((x) => x.pattern)) {
          const values = { ...full, [f.key]: 'not right!' };
          expect(formProblem(form, 'Support', values)).toMatch(new RegExp(`^“${f.label}” doesn’t look right\\.`));
          expect(check.check(connectBody(form, 'Support', values)), f.key).toBe(false);
        }
      });
    });
  }

  it('puts secrets in credentials and the rest in settings, trimmed, leaving empty values to the defaults', () => {
    const email = formOf('email')!;
    expect(connectBody(email, ' Shop ', { address: ' help@shop.example ', smtpHost: 'smtp.shop.example', smtpPassword: 'pw', smtpSecure: '', imapHost: '' })).toEqual({
      name: 'Shop',
      credentials: { smtpPassword: 'pw' },
      settings: { address: 'help@shop.example', smtpHost: 'smtp.shop.example' },
    });
    expect(connectBody(formOf('telegram')!, 'Bot', { botToken: EXAMPLE.botToken! })).toEqual({ name: 'Bot', credentials: { botToken: EXAMPLE.botToken } });
  });

  it('the Telegram token check reads like the help the admin sees', () => {
    expect(formProblem(formOf('telegram')!, 'Bot', { botToken: 'abc' })).toBe('“Bot token” doesn’t look right. What @BotFather answers to /newbot, e.g. 123456789:AAH…');
  });
});

describe('an account’s actions', () => {
  const account = (id: string, over: Partial<ChannelAccount> = {}): ChannelAccount => ({
    accountId: id,
    channel: 'telegram',
    inboxId: 'i' + id,
    name: 'Bot ' + id,
    externalAccountId: null,
    status: 'active',
    lastError: null,
    lastInboundAt: null,
    lastOutboundAt: null,
    createdAt: '2026-01-01T00:00:00Z',
    ...over,
  });

  it('address the account under its channel', () => {
    expect(accountPath(account('a/1'))).toBe('/api/v1/channels/telegram/a%2F1');
  });

  it('tell the test’s outcome in a sentence', () => {
    expect(testText({ ok: true, reason: null, label: '@shop_bot' })).toBe('The connection works (@shop_bot).');
    expect(testText({ ok: true, reason: null, label: null })).toBe('The connection works.');
    expect(testText({ ok: false, reason: 'Telegram: Unauthorized', label: null })).toBe('The test failed: Telegram: Unauthorized.');
    expect(testText({ ok: false, reason: 'The SMTP server refused the login.', label: null })).toBe('The test failed: The SMTP server refused the login.');
  });

  it('ask before removing, saying the history stays', () => {
    expect(removeQuestion(account('1'))).toBe('Remove “Bot 1”? Its messages stop arriving; its inbox and conversations stay.');
  });

  it('replace an account where it was, append a new one, and take a removed one out', () => {
    const list = [account('1'), account('2')];
    expect(putAccount(list, account('1', { status: 'disabled' })).map((a) => `${a.accountId}:${a.status}`)).toEqual(['1:disabled', '2:active']);
    expect(putAccount(null, account('3')).map((a) => a.accountId)).toEqual(['3']);
    expect(putAccount(list, account('3')).map((a) => a.accountId)).toEqual(['1', '2', '3']);
    expect(dropAccount(list, '1').map((a) => a.accountId)).toEqual(['2']);
  });
  it('edit an account: the new name and only the secrets typed anew, each as PATCH takes it', () => {
    /** PATCH /api/v1/channels/<channel>/<id>'s body schema, as connectors/sdk/src/plugin.ts builds it. */
    const patchBody = (c: Connector) =>
      validator(
        Type.Object(
          { name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), credentials: Type.Optional(Type.Object(Type.Partial(c.credentialsSchema).properties, { additionalProperties: false })) },
          { additionalProperties: false },
        ),
      );
    expect(editBody(formOf('telegram'), 'Bot', ' Support bot ', {})).toEqual({ ok: true, body: { name: 'Support bot' } });
    expect(editBody(formOf('telegram'), 'Bot', 'Bot', { botToken: EXAMPLE.botToken! })).toEqual({ ok: true, body: { credentials: { botToken: EXAMPLE.botToken } } });
    expect(editBody(formOf('telegram'), 'Bot', 'Bot', { botToken: 'nope' })).toEqual({ ok: false, error: '“Bot token” doesn’t look right.' });
    expect(editBody(formOf('telegram'), 'Bot', 'Bot', {})).toEqual({ ok: false, error: 'Change the name or type a new secret first.' });
    expect(editBody(formOf('telegram'), 'Bot', '  ', {})).toMatchObject({ ok: false });
    // A WhatsApp Web account has no form: only its name changes.
    expect(editBody(undefined, 'Phone', 'Shop phone', { botToken: 'x' })).toEqual({ ok: true, body: { name: 'Shop phone' } });
    for (const [channel, connector] of Object.entries(connectors)) {
      const values = { ...EXAMPLE, ...(channel === 'slack' ? { botToken: slackBot } : {}) };
      const r = editBody(formOf(channel), 'Old', 'New', values);
      expect(r.ok, channel).toBe(true);
      if (!r.ok) continue;
      // Settings (e.g. an email account's servers) are not part of it: only the secrets.
      const secrets = formOf(channel)!.fields.filter((f) => f.in === 'credentials').map((f) => f.key).sort();
      expect(Object.keys(r.body.credentials ?? {}).sort(), channel).toEqual(secrets);
      expect(patchBody(connector).check(r.body), `${channel}: ${JSON.stringify(r.body)}`).toBe(true);
    }
  });
});
