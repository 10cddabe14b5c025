import { useState } from 'preact/hooks';
import { toggleId } from '../../admin/agents.js';
import { API_SCOPES, apiKeyBody, keyState } from '../../admin/integrations.js';
import { IconChannels } from '../icons.js';
import { Card, ConfirmButton, Problem, ShownOnce, useAction, useAdminApi, useLoad } from './parts.js';
import { intlLocale } from '../../i18n/index.js';
import { t } from '../../i18n/admin.js';

/** API keys for integrations: create with scopes (the key is shown once), revoke. */
export default function ApiKeysTab() {
  const api = useAdminApi();
  const keys = useLoad(() => api.apiKeys().then((r) => r.items));
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>([]);
  const [key, setKey] = useState<string | null>(null);
  const act = useAction();

  const submit = async (e: Event) => {
    e.preventDefault();
    const r = apiKeyBody(name, scopes);
    if (!r.ok) return act.setError(r.error);
    await act.run(async () => {
      const { key: k, ...made } = await api.createApiKey(r.body);
      keys.setData((list) => [made, ...(list ?? [])]);
      setKey(k);
      setName('');
      setScopes([]);
    });
  };
  const revoke = (id: string) =>
    void act.run(async () => {
      const revoked = await api.revokeApiKey(id);
      keys.setData((list) => list?.map((k) => (k.id === id ? revoked : k)) ?? null);
    });

  return (
    <>
      {key && <ShownOnce label={t('keys.secret')} value={key} testid="api-key-value" onDone={() => setKey(null)} />}
      <form class="channel-add admin-form" onSubmit={submit} aria-labelledby="key-title" data-testid="api-key-form">
        <h2 id="key-title">{t('keys.new')}</h2>
        <label class="admin-field">
          <span>{t('agents.name')}</span>
          <input class="input" value={name} placeholder={t('keys.placeholder')} onInput={(e) => setName(e.currentTarget.value)} data-testid="api-key-name" />
        </label>
        <fieldset class="admin-checks admin-scopes">
          <legend>{t('keys.scopes')}</legend>
          {API_SCOPES.map((s) => (
            <label key={s}>
              <input type="checkbox" checked={scopes.includes(s)} onChange={(e) => setScopes(toggleId(scopes, s, e.currentTarget.checked))} /> {s}
            </label>
          ))}
        </fieldset>
        <Problem text={act.error} />
        <button class="btn btn-primary admin-start" type="submit" disabled={act.busy} data-testid="api-key-submit">
          {t('keys.create')}
        </button>
      </form>
      <Problem text={keys.error} />
      {keys.data?.length === 0 && <p class="muted">{t('keys.none')}</p>}
      <ul class="channel-list" aria-label={t('tab.api-keys')}>
        {keys.data?.map((k) => (
          <Card key={k.id} testid="admin-api-key" id={k.id}>
            <div class="channel-row">
              <IconChannels size={16} />
              <span class="channel-name">{k.name}</span>
              <span class="channel-kind">…{k.hint}</span>
              <span class={`channel-status channel-status-${k.revokedAt ? 'error' : 'active'}`}>{t(keyState(k) === 'Active' ? 'state.active' : 'keys.revoked')}</span>
            </div>
            <p class="muted">
              {k.scopes.join(', ')} · {t('keys.created', { at: new Date(k.createdAt).toLocaleDateString(intlLocale.value) })} ·{' '}
              {k.lastUsedAt ? t('keys.lastUsed', { at: new Date(k.lastUsedAt).toLocaleString(intlLocale.value) }) : t('keys.neverUsed')}
            </p>
            {!k.revokedAt && <ConfirmButton label={t('keys.revoke')} question={t('keys.revokeQ', { name: k.name })} onConfirm={() => revoke(k.id)} />}
          </Card>
        ))}
      </ul>
    </>
  );
}
