import { useState } from 'preact/hooks';
import type { CrmKind, TicketSettings } from '../../admin/admin-api.js';
import { CRM_KINDS, crmBody, crmName, crmText, type CrmForm } from '../../admin/integrations.js';
import { t } from '../../i18n/admin.js';
import { IconUser } from '../icons.js';
import { Done, Problem, useAction, useAdminApi, useLoad } from './parts.js';

/**
 * CRM: which contact system tickets link to. Credentials are write-only — the server never sends
 * them back, so they are typed again to change them; it checks them before saving.
 */
export default function CrmTab() {
  const api = useAdminApi();
  const settings = useLoad(() => api.settings());
  if (settings.error) return <Problem text={settings.error} />;
  if (!settings.data) return <p class="muted">{t('loading')}</p>;
  return <CrmEditor settings={settings.data} onSaved={settings.setData} />;
}

function CrmEditor({ settings, onSaved }: { settings: TicketSettings; onSaved: (s: TicketSettings) => void }) {
  const api = useAdminApi();
  const current = (settings.crm?.kind ?? 'none') as CrmKind | 'none';
  const [f, setF] = useState<CrmForm>({ kind: CRM_KINDS.includes(current) ? current : 'none', token: '', baseUrl: settings.crm?.baseUrl ?? '' });
  const [done, setDone] = useState<string | null>(null);
  const act = useAction();
  const needsToken = f.kind === 'hubspot' || f.kind === 'kommo';

  const submit = async (e: Event) => {
    e.preventDefault();
    setDone(null);
    const r = crmBody(f);
    if (!r.ok) return act.setError(r.error);
    if (await act.run(async () => onSaved(await api.updateSettings({ crm: r.crm })))) {
      setF({ ...f, token: '' });
      setDone(t('crm.saved', { name: crmName(f.kind) }));
    }
  };

  return (
    <form class="admin-form" onSubmit={submit} aria-label="CRM" data-testid="crm-form">
      <h2>
        <IconUser size={16} /> CRM
      </h2>
      <p data-testid="crm-current">{t('crm.now', { name: crmText(settings.crm) })}</p>
      <label class="admin-field">
        <span>{t('crm.provider')}</span>
        <select class="select" value={f.kind} onChange={(e) => setF({ ...f, kind: e.currentTarget.value as CrmKind | 'none' })} data-testid="crm-kind">
          {CRM_KINDS.map((k) => (
            <option key={k} value={k}>
              {crmName(k)}
            </option>
          ))}
        </select>
      </label>
      {needsToken && (
        <>
          <label class="admin-field">
            <span>{f.kind === 'hubspot' ? t('crm.hubspotToken') : t('crm.kommoToken')}</span>
            <input class="input" type="password" autocomplete="off" value={f.token} onInput={(e) => setF({ ...f, token: e.currentTarget.value })} data-testid="crm-token" />
          </label>
          <label class="admin-field">
            <span>{f.kind === 'kommo' ? t('crm.accountUrl') : t('crm.apiUrl')}</span>
            <input
              class="input"
              type="url"
              value={f.baseUrl}
              placeholder={f.kind === 'kommo' ? 'https://yourteam.kommo.com' : 'https://api.hubapi.com'}
              onInput={(e) => setF({ ...f, baseUrl: e.currentTarget.value })}
            />
          </label>
          <p class="muted">{t('crm.writeOnly')}</p>
        </>
      )}
      <Problem text={act.error} testid="crm-error" />
      <Done text={done} />
      <button class="btn btn-primary admin-start" type="submit" disabled={act.busy}>
        {act.busy ? t('crm.checking') : t('save')}
      </button>
    </form>
  );
}
