import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Webhook, WebhookDelivery } from '../../admin/admin-api.js';
import { toggleId } from '../../admin/agents.js';
import { deliveryText, eventsText, WEBHOOK_EVENTS, webhookBody, type WebhookForm } from '../../admin/integrations.js';
import { IconSend } from '../icons.js';
import { Card, ConfirmButton, Problem, ShownOnce, useAction, useAdminApi, useLoad } from './parts.js';
import { intlLocale } from '../../i18n/index.js';
import { t } from '../../i18n/admin.js';

const EMPTY: WebhookForm = { url: '', all: true, events: [], description: '' };

/** Webhooks: subscriptions, their signing secret (shown once) and recent deliveries (docs/webhooks.md). */
export default function WebhooksTab() {
  const api = useAdminApi();
  const hooks = useLoad(() => api.webhooks().then((r) => r.items));
  const [f, setF] = useState<WebhookForm>(EMPTY);
  const [secret, setSecret] = useState<string | null>(null);
  const act = useAction();
  // Editing and testing a webhook: a chunk of its own (webhook-tools.tsx).
  const [tools, setTools] = useState<typeof import('./webhook-tools.js') | null>(null);
  useEffect(() => void import('./webhook-tools.js').then(setTools, (e: Error) => act.setError(e.message)), []);

  const submit = async (e: Event) => {
    e.preventDefault();
    const r = webhookBody(f);
    if (!r.ok) return act.setError(r.error);
    await act.run(async () => {
      const { secret: s, ...made } = await api.createWebhook(r.body);
      hooks.setData((list) => [made, ...(list ?? [])]);
      setSecret(s);
      setF(EMPTY);
    });
  };

  return (
    <>
      {secret && <ShownOnce label={t('hooks.secret')} value={secret} testid="webhook-secret" onDone={() => setSecret(null)} />}
      <form class="channel-add admin-form" onSubmit={submit} aria-labelledby="hook-title">
        <h2 id="hook-title">{t('hooks.new')}</h2>
        <label class="admin-field">
          <span>{t('hooks.url')}</span>
          <input class="input" type="url" value={f.url} placeholder="https://example.com/switchboard" onInput={(e) => setF({ ...f, url: e.currentTarget.value })} />
        </label>
        <label class="admin-field">
          <span>{t('hooks.description')}</span>
          <input class="input" value={f.description} onInput={(e) => setF({ ...f, description: e.currentTarget.value })} />
        </label>
        <fieldset class="admin-checks">
          <legend>{t('hooks.events')}</legend>
          <label>
            <input type="checkbox" checked={f.all} onChange={(e) => setF({ ...f, all: e.currentTarget.checked })} /> {t('hooks.allLater')}
          </label>
          {!f.all &&
            WEBHOOK_EVENTS.map((ev) => (
              <label key={ev}>
                <input type="checkbox" checked={f.events.includes(ev)} onChange={(e) => setF({ ...f, events: toggleId(f.events, ev, e.currentTarget.checked) })} /> {ev}
              </label>
            ))}
        </fieldset>
        <Problem text={act.error} />
        <button class="btn btn-primary admin-start" type="submit" disabled={act.busy}>
          {t('hooks.add')}
        </button>
      </form>
      <Problem text={hooks.error} />
      {hooks.data?.length === 0 && <p class="muted">{t('hooks.none')}</p>}
      <ul class="channel-list" aria-label={t('tab.webhooks')}>
        {hooks.data?.map((h) => (
          <HookItem key={h.id} h={h} onDeleted={() => hooks.setData((list) => list?.filter((x) => x.id !== h.id) ?? null)}>
            {tools && <tools.WebhookTools h={h} set={hooks.setData} events={WEBHOOK_EVENTS} check={webhookBody} />}
          </HookItem>
        ))}
      </ul>
    </>
  );
}

function HookItem({ h, onDeleted, children }: { h: Webhook; onDeleted: () => void; children: ComponentChildren }) {
  const api = useAdminApi();
  const [log, setLog] = useState<WebhookDelivery[] | null>(null);
  const act = useAction();
  const toggleLog = () => (log ? setLog(null) : void act.run(async () => setLog((await api.deliveries(h.id)).items)));
  return (
    <Card testid="admin-webhook" id={h.id}>
      <div class="channel-row">
        <IconSend size={16} />
        <span class="channel-name admin-wrap">{h.url}</span>
        <span class={`channel-status channel-status-${h.enabled ? 'active' : 'error'}`}>{h.enabled ? t('hooks.on') : t('hooks.off')}</span>
      </div>
      <p class="muted">
        {h.description ? `${h.description} · ` : ''}
        {eventsText(h.events)}
      </p>
      {h.disabledReason && <p class="channel-error">{h.disabledReason}</p>}
      {children}
      {log && (
        <ul class="admin-log" aria-label={t('hooks.recent')}>
          {log.length === 0 && <li class="muted">{t('hooks.nothing')}</li>}
          {log.map((d) => (
            <li key={d.id} class={`admin-delivery-${d.status}`}>
              <time dateTime={d.createdAt}>{new Date(d.createdAt).toLocaleString(intlLocale.value)}</time> {d.eventType}: {deliveryText(d)}
            </li>
          ))}
        </ul>
      )}
      <Problem text={act.error} />
      <div class="admin-row">
        <button class="btn btn-small" aria-expanded={!!log} onClick={toggleLog}>
          {t('hooks.recent')}
        </button>
        <ConfirmButton label={t('delete')} question={t('hooks.deleteQ')} onConfirm={() => void act.run(async () => (await api.deleteWebhook(h.id), onDeleted()))} />
      </div>
    </Card>
  );
}
