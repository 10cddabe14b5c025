import { useSignal } from '@preact/signals';
import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import type { KbSettingsView } from '@switchboard/contracts';
import { errorText } from '../../kb/kb-api.js';
import type { KbStore } from '../../kb/kb-store.js';
import { addableLocales, localeName } from '../../kb/locales.js';
import {
  addLocale,
  fieldOfError,
  isHexColor,
  portalUrl,
  removeLocale,
  settingsChange,
  settingsFields,
  settingsProblems,
  type LocaleEdit,
  type SettingsField,
  type SettingsFields,
} from '../../kb/settings-form.js';
import { useStore } from '../context.js';
import { t } from '../../i18n/kb.js';

type TextField = 'name' | 'portal' | 'logoUrl' | 'color' | 'customDomain';

/** The help center settings (#/kb/settings): admins change them, every other agent reads them. */
export function SettingsView({ kb }: { kb: KbStore }) {
  const saved = kb.settings.value;
  if (saved) return <SettingsForm kb={kb} saved={saved} />;
  return kb.settingsError.value ? (
    <div class="kb-body">
      <button class="btn btn-small" onClick={() => void kb.loadSettings()}>
        {t('retry')}
      </button>
    </div>
  ) : (
    <p class="muted kb-body">{t('loading')}</p>
  );
}

function SettingsForm({ kb, saved }: { kb: KbStore; saved: KbSettingsView }) {
  const admin = useStore().agent.value?.role === 'admin';
  const fields = useSignal<SettingsFields>(settingsFields(saved));
  /** The settings the fields were filled from. */
  const base = useSignal(saved);
  /** A save was tried: from then on the fields' problems show. */
  const tried = useSignal(false);
  const busy = useSignal(false);
  const done = useSignal(false);
  const refusal = useSignal<{ message: string; field: SettingsField | null } | null>(null);
  const newLocale = useSignal('');
  const localeProblem = useSignal<string | null>(null);

  // Settings that changed elsewhere (a reload of the list) replace the fields, unless they hold edits.
  useEffect(() => {
    if (base.value === saved) return;
    if (!Object.keys(settingsChange(base.value, fields.value)).length) fields.value = settingsFields(saved);
    base.value = saved;
  }, [saved]);

  const f = fields.value;
  const problems = settingsProblems(f);
  const dirty = Object.keys(settingsChange(saved, f)).length > 0;
  const set = (change: Partial<SettingsFields>) => {
    fields.value = { ...fields.value, ...change };
    done.value = false;
  };
  const editLocales = (edit: LocaleEdit) => {
    set(edit.fields);
    localeProblem.value = edit.problem;
    return !edit.problem;
  };

  const submit = async (ev: Event) => {
    ev.preventDefault();
    tried.value = true;
    const change = settingsChange(saved, fields.value);
    if (!admin || busy.value || !Object.keys(change).length || Object.keys(settingsProblems(fields.value)).length) return;
    busy.value = true;
    refusal.value = null;
    try {
      const next = await kb.saveSettings(change);
      fields.value = settingsFields(next);
      base.value = next;
      tried.value = false;
      localeProblem.value = null;
      done.value = true;
    } catch (err) {
      refusal.value = { message: errorText(err), field: fieldOfError(err) };
    }
    busy.value = false;
  };

  const problem = (k: SettingsField) => (tried.value ? problems[k] : undefined);
  const input = (k: TextField, label: string, extra: { placeholder?: string; maxLength?: number; type?: string } = {}) => (
    <input
      class="input"
      data-testid={`kb-settings-${k}`}
      aria-label={label}
      aria-invalid={!!problem(k) || refusal.value?.field === k || undefined}
      value={f[k]}
      onInput={(ev) => set({ [k]: ev.currentTarget.value })}
      {...extra}
    />
  );
  const row = (k: SettingsField, label: string, control: ComponentChildren, hint?: ComponentChildren) => (
    <div class={`kb-field${k === 'customDomain' || k === 'locales' ? ' kb-field-wide' : ''}`}>
      <span>{label}</span>
      {control}
      {hint && <small class="muted">{hint}</small>}
      {problem(k) && <small class="kb-settings-problem">{problem(k)}</small>}
    </div>
  );
  const add = () => {
    if (editLocales(addLocale(fields.value, newLocale.value))) newLocale.value = '';
  };

  return (
    <form class="kb-body kb-settings" data-testid="kb-settings" onSubmit={submit} noValidate>
      <h2>{t('set.title')}</h2>
      {!admin && (
        <p class="kb-note" data-testid="kb-settings-readonly">
          {t('set.readonly')}
        </p>
      )}
      <fieldset class="kb-fields" disabled={!admin || busy.value}>
        {row('name', t('set.name'), input('name', t('set.name'), { maxLength: 120 }))}
        {row('portal', t('set.portal'), input('portal', t('set.portal'), { maxLength: 120 }), t('set.publicAddress', { url: portalUrl(saved, f.portal, location.origin) }))}
        {row('logoUrl', t('set.logo'), input('logoUrl', t('set.logo'), { type: 'url', placeholder: 'https://…' }))}
        {row(
          'color',
          t('set.colour'),
          <div class="kb-inline">
            <input
              type="color"
              class="kb-settings-swatch"
              aria-label={t('set.pickColour')}
              value={isHexColor(f.color.trim()) ? f.color.trim().toLowerCase() : '#000000'}
              onInput={(ev) => set({ color: ev.currentTarget.value })}
            />
            {input('color', t('set.colourHex'), { maxLength: 7, placeholder: '#4f46e5' })}
          </div>,
        )}
        {row(
          'defaultLocale',
          t('set.defaultLocale'),
          <select class="select" data-testid="kb-settings-default-locale" value={f.defaultLocale} onChange={(ev) => set({ defaultLocale: ev.currentTarget.value })}>
            {f.locales.map((l) => (
              <option key={l} value={l}>
                {localeName(l)} ({l})
              </option>
            ))}
          </select>,
        )}
        {row(
          'locales',
          t('set.locales'),
          <>
            <ul class="kb-locales kb-settings-locales" aria-label={t('set.locales')}>
              {f.locales.map((l) => (
                <li key={l} class="kb-locale" title={localeName(l)} data-testid="kb-settings-locale" data-locale={l}>
                  {l}
                  {l === f.defaultLocale ? ' · default' : admin && (
                    <button type="button" aria-label={t('set.removeLocale', { name: localeName(l) })} onClick={() => editLocales(removeLocale(fields.value, l))}>
                      ×
                    </button>
                  )}
                </li>
              ))}
            </ul>
            {admin && (
              <div class="kb-inline">
                <input
                  class="input"
                  list="kb-locale-options"
                  aria-label={t('set.addLocale')}
                  placeholder={t('set.addLocalePlaceholder')}
                  data-testid="kb-settings-new-locale"
                  value={newLocale.value}
                  onInput={(ev) => {
                    newLocale.value = ev.currentTarget.value;
                    localeProblem.value = null;
                  }}
                  onKeyDown={(ev) => {
                    if (ev.key !== 'Enter') return;
                    ev.preventDefault();
                    add();
                  }}
                />
                <button type="button" class="btn btn-small" data-testid="kb-settings-add-locale" disabled={!newLocale.value.trim()} onClick={add}>
                  {t('set.add')}
                </button>
                <datalist id="kb-locale-options">
                  {addableLocales(f.locales, []).map((l) => (
                    <option key={l} value={l}>
                      {localeName(l)}
                    </option>
                  ))}
                </datalist>
              </div>
            )}
            {localeProblem.value && (
              <small class="kb-settings-problem" role="alert">
                {localeProblem.value}
              </small>
            )}
          </>,
        )}
        {row(
          'customDomain',
          t('set.domain'),
          input('customDomain', t('set.domain'), { placeholder: 'help.example.com' }),
          t('set.domainHint'),
        )}
      </fieldset>
      {refusal.value && (
        <div class="inline-error" role="alert" data-testid="kb-settings-error">
          {refusal.value.message}
        </div>
      )}
      <div class="kb-toolbar">
        <a class="btn btn-ghost btn-small" href={saved.publicUrl} target="_blank" rel="noopener noreferrer" data-testid="kb-settings-open">
          {t('set.open')}
        </a>
        {admin && (
          <span class="kb-actions">
            <span class="muted kb-saved" role="status" data-testid="kb-settings-status">
              {busy.value ? t('editor.saving') : done.value ? t('set.saved') : dirty ? t('editor.unsaved') : ''}
            </span>
            <button class="btn btn-primary btn-small" type="submit" data-testid="kb-settings-save" disabled={!dirty || busy.value}>
              {t('cat.save')}
            </button>
          </span>
        )}
      </div>
    </form>
  );
}
