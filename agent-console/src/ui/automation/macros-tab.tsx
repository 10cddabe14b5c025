import type { MacroCreate, MacroView } from '@switchboard/contracts';
import { useState } from 'preact/hooks';
import { automationApi } from '../../automation/automation-api.js';
import { macroBody, macroForm } from '../../automation/rule-form.js';
import { actionsText } from '../../automation/summaries.js';
import { t } from '../../i18n/automation.js';
import { useApi } from '../context.js';
import { IconCheck } from '../icons.js';
import { Card, ConfirmButton, Problem, useAction, useLoad } from '../admin/parts.js';
import { ActionEditor, addAutomationStyles, FieldNote, useChoices, useSave, type Choices } from './action-editor.js';

/** Macros: named lists of actions every agent can run on a conversation from its header. */
export default function MacrosTab() {
  addAutomationStyles();
  const api = automationApi(useApi());
  const macros = useLoad(() => api.macros().then((r) => r.items));
  const choices = useChoices();
  const [adding, setAdding] = useState(false);
  const byName = (xs: MacroView[]) => [...xs].sort((a, b) => a.name.localeCompare(b.name));
  const set = (m: MacroView) => macros.setData((xs) => byName([...(xs ?? []).filter((x) => x.id !== m.id), m]));
  return (
    <>
      {adding ? (
        <MacroEditor title={t('newMacro')} choices={choices} onSave={async (body) => (set(await api.createMacro(body)), setAdding(false))} onCancel={() => setAdding(false)} />
      ) : (
        <button class="btn btn-primary admin-start" onClick={() => setAdding(true)} data-testid="macro-new">
          {t('newMacro')}
        </button>
      )}
      <Problem text={macros.error ?? choices.error} />
      {macros.data?.length === 0 && <p class="muted">{t('noMacro')}</p>}
      <ul class="channel-list" aria-label={t('macros')}>
        {macros.data?.map((m) => <MacroItem key={m.id} m={m} choices={choices} onSaved={set} onDeleted={() => macros.setData((xs) => xs?.filter((x) => x.id !== m.id) ?? null)} />)}
      </ul>
    </>
  );
}

function MacroItem({ m, choices, onSaved, onDeleted }: { m: MacroView; choices: Choices; onSaved: (m: MacroView) => void; onDeleted: () => void }) {
  const api = automationApi(useApi());
  const [editing, setEditing] = useState(false);
  const act = useAction();
  return (
    <Card testid="admin-macro" id={m.id}>
      {editing ? (
        <MacroEditor initial={m} title={t('change', { name: m.name })} choices={choices} onSave={async (body) => (onSaved(await api.updateMacro(m.id, body)), setEditing(false))} onCancel={() => setEditing(false)} />
      ) : (
        <>
          <div class="channel-row">
            <IconCheck size={16} />
            <span class="channel-name">{m.name}</span>
          </div>
          <p class="muted">{actionsText(m.actions, choices.names)}</p>
          <Problem text={act.error} />
          <div class="admin-row">
            <button class="btn btn-small" onClick={() => setEditing(true)}>
              {t('changeBtn')}
            </button>
            <ConfirmButton label={t('delete')} question={t('deleteMacro', { name: m.name })} onConfirm={() => void act.run(async () => (await api.deleteMacro(m.id), onDeleted()))} />
          </div>
        </>
      )}
    </Card>
  );
}

function MacroEditor(props: { initial?: MacroView; title: string; choices: Choices; onSave: (body: MacroCreate) => Promise<unknown>; onCancel: () => void }) {
  const [form, setForm] = useState(() => macroForm(props.initial));
  const save = useSave(macroBody, props.onSave);
  return (
    <form
      class="channel-add admin-form"
      aria-label={props.title}
      data-testid="macro-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save.submit(form);
      }}
    >
      <h2>{props.title}</h2>
      <label class="admin-field">
        <span>{t('macroName')}</span>
        <input class="input" value={form.name} data-testid="macro-name" aria-invalid={!!save.errors['/name']} onInput={(e) => setForm({ ...form, name: e.currentTarget.value })} />
      </label>
      <FieldNote errors={save.errors} path="/name" />
      <ActionEditor rows={form.actions} errors={save.errors} choices={props.choices} onChange={(actions) => setForm({ ...form, actions })} />
      <Problem text={save.general ?? (save.hasErrors ? t('e.marked') : null)} />
      <div class="admin-row">
        <button class="btn btn-primary" type="submit" disabled={save.busy} data-testid="macro-save">
          {t('saveMacro')}
        </button>
        <button class="btn" type="button" onClick={props.onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
