import { useState } from 'preact/hooks';
import type { ChannelAccount } from '../api.js';
import {
  accountPath,
  channelForms,
  connectBody,
  dropAccount,
  editBody,
  formOf,
  formProblem,
  putAccount,
  removeQuestion,
  testText,
  type ChannelField,
  type FormValues,
  type TestResult,
} from '../channel-forms.js';
import { useApi } from './context.js';
import { IconCheck } from './icons.js';
import { t } from '../i18n/connect.js';

/** How channel settings hand the list over: a state setter of the accounts. */
export type SetAccounts = (change: (list: ChannelAccount[] | null) => ChannelAccount[]) => void;

/**
 * Connecting Telegram, Slack, WhatsApp Cloud, Instagram and email accounts, and each account's
 * Test / Disable / Enable / Remove. A chunk of its own, fetched by channel settings
 * (channels-view.tsx) when they open; the forms come from channel-forms.ts.
 */
export function ConnectChannel({ set }: { set: SetAccounts }) {
  const api = useApi();
  const [channel, setChannel] = useState('');
  const [name, setName] = useState('');
  const [values, setValues] = useState<FormValues>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [connected, setConnected] = useState<(ChannelAccount & { webhookUrl?: string }) | null>(null);
  const form = formOf(channel);

  const pick = (c: string) => {
    setChannel(c);
    setValues({});
    setError(null);
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!form || busy) return;
    const problem = formProblem(form, name, values);
    setError(problem);
    if (problem) return;
    setBusy(true);
    try {
      const a = await api.call<ChannelAccount & { webhookUrl: string }>('POST', `/api/v1/channels/${form.channel}`, connectBody(form, name, values));
      set((list) => putAccount(list, a));
      setConnected(a);
      setName('');
      setChannel('');
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="channel-add channel-connect" data-testid="channel-connect" onSubmit={submit} noValidate>
      <h2>{t('connect.title')}</h2>
      {connected && (
        <p class="channel-connected" role="status" data-testid="channel-connected">
          <IconCheck size={14} /> {t('connect.connected', { name: connected.name })}
          {connected.webhookUrl && formOf(connected.channel)?.pasteWebhook && (
            <>
              {' '}
              {t('connect.webhook')} <code>{connected.webhookUrl}</code>
            </>
          )}
        </p>
      )}
      <label class="connect-field">
        <span>{t('connect.channel')}</span>
        <select class="input" data-testid="channel-connect-kind" value={channel} onChange={(e) => pick((e.target as HTMLSelectElement).value)}>
          <option value="">{t('connect.choose')}</option>
          {channelForms().map((f) => (
            <option key={f.channel} value={f.channel}>
              {f.title}
            </option>
          ))}
        </select>
      </label>
      {form && (
        <>
          <label class="connect-field">
            <span>{t('connect.name')}</span>
            <input class="input" data-testid="channel-connect-name" maxLength={200} placeholder={t('connect.namePlaceholder')} value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
          </label>
          {form.fields.map((f) => (
            <Field key={f.key} f={f} value={values[f.key] ?? ''} set={(v) => setValues({ ...values, [f.key]: v })} />
          ))}
          {error && (
            <div class="inline-error" data-testid="channel-connect-error" role="alert">
              {error}
            </div>
          )}
          <button class="btn btn-primary" data-testid="channel-connect-submit" type="submit" disabled={busy}>
            {busy ? t('connect.checking') : t('connect.submit', { title: form.title })}
          </button>
        </>
      )}
    </form>
  );
}

function Field({ f, value, set, keep }: { f: ChannelField; value: string; set: (v: string) => void; keep?: boolean }) {
  const input = (e: Event) => set((e.target as HTMLInputElement).value);
  const id = `connect-${f.key}`;
  return (
    <label class="connect-field">
      <span>
        {f.label}
        {f.required && !keep ? ' *' : ''}
      </span>
      {f.type === 'select' ? (
        <select class="input" data-testid={id} value={value} onChange={input}>
          {f.options!.map(([v, label]) => (
            <option key={v} value={v}>
              {label}
            </option>
          ))}
        </select>
      ) : (
        <input
          class="input"
          data-testid={id}
          type={f.type}
          autocomplete={f.type === 'password' ? 'new-password' : 'off'}
          required={f.required && !keep}
          value={value}
          onInput={input}
        />
      )}
      {(keep || f.help) && <small class="muted">{keep ? t('connect.keep') : f.help}</small>}
    </label>
  );
}

/** Test, Disable / Enable and Remove of one account, with what the last one answered. */
export function AccountActions({ a, set }: { a: ChannelAccount; set: SetAccounts }) {
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  // The edit form: a new name and secrets typed anew (stored sealed; the server never sends them back).
  const [name, setName] = useState<string | null>(null);
  const [values, setValues] = useState<FormValues>({});
  const form = formOf(a.channel);

  const run = async (what: () => Promise<{ ok: boolean; text: string } | null>) => {
    setBusy(true);
    setNote(null);
    try {
      setNote(await what());
    } catch (err) {
      setNote({ ok: false, text: (err as Error).message });
    } finally {
      setBusy(false);
    }
  };
  const test = () =>
    run(async () => {
      const r = await api.call<TestResult>('POST', `${accountPath(a)}/test`);
      // The test updated the account's status and last error: show them.
      const fresh = await api.call<ChannelAccount>('GET', accountPath(a));
      set((list) => putAccount(list, fresh));
      return { ok: r.ok, text: testText(r) };
    });
  const toggle = () =>
    run(async () => {
      const fresh = await api.call<ChannelAccount>('PATCH', accountPath(a), { status: a.status === 'disabled' ? 'active' : 'disabled' });
      set((list) => putAccount(list, fresh));
      return null;
    });
  const save = (e: Event) => {
    e.preventDefault();
    const r = editBody(form, a.name, name!, values);
    if (!r.ok) return setNote({ ok: false, text: r.error });
    void run(async () => {
      const fresh = await api.call<ChannelAccount>('PATCH', accountPath(a), r.body);
      set((list) => putAccount(list, fresh));
      setName(null);
      setValues({});
      return { ok: true, text: t('connect.saved') };
    });
  };
  const remove = () => {
    if (!confirm(removeQuestion(a))) return;
    void run(async () => {
      await api.call('DELETE', accountPath(a));
      set((list) => dropAccount(list, a.accountId));
      return null;
    });
  };

  return (
    <div class="channel-actions">
      {name !== null && (
        <form class="channel-add channel-connect" data-testid="channel-edit" onSubmit={save} noValidate>
          <label class="connect-field">
            <span>{t('connect.name')}</span>
            <input class="input" data-testid="channel-edit-name" maxLength={200} value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
          </label>
          {form?.fields.map((f) => f.in === 'credentials' && <Field key={f.key} f={f} keep value={values[f.key] ?? ''} set={(v) => setValues({ ...values, [f.key]: v })} />)}
          <button class="btn btn-primary" data-testid="channel-edit-save" type="submit" disabled={busy}>
            {t('connect.save')}
          </button>
          <button class="btn" type="button" onClick={() => setName(null)}>
            {t('connect.cancel')}
          </button>
        </form>
      )}
      {name === null && (
        <button class="btn" data-testid="channel-edit-open" type="button" onClick={() => (setName(a.name), setNote(null))}>
          {t('connect.edit')}
        </button>
      )}
      <button class="btn" data-testid="channel-test" type="button" disabled={busy} onClick={test}>
        {t('connect.test')}
      </button>
      <button class="btn" data-testid="channel-toggle" type="button" disabled={busy} onClick={toggle}>
        {a.status === 'disabled' ? t('connect.enable') : t('connect.disable')}
      </button>
      <button class="btn" data-testid="channel-remove" type="button" disabled={busy} onClick={remove}>
        {t('connect.remove')}
      </button>
      {note && (
        <span class={note.ok ? 'channel-test-ok' : 'channel-error'} data-testid="channel-note" data-ok={String(note.ok)} role={note.ok ? 'status' : 'alert'}>
          {note.text}
        </span>
      )}
    </div>
  );
}
