import type { AutomationRuleCreate } from '@switchboard/contracts';
import { useState } from 'preact/hooks';
import { METRICS, newTrigger, ruleBody, ruleForm, TRIGGER_KINDS, type RuleForm } from '../../automation/rule-form.js';
import { metricName, triggerName } from '../../automation/summaries.js';
import { t as tr } from '../../i18n/automation.js';
import { Problem } from '../admin/parts.js';
import { ActionEditor, Duration, FieldNote, Select, useSave, type Choices } from './action-editor.js';
import { ConditionEditor } from './condition-editor.js';

export function RuleEditor(props: { initial?: Parameters<typeof ruleForm>[0]; title: string; choices: Choices; onSave: (body: AutomationRuleCreate) => Promise<unknown>; onCancel: () => void }) {
  const [form, setForm] = useState(() => ruleForm(props.initial));
  const save = useSave(ruleBody, props.onSave);
  const t = form.trigger;
  const setTrigger = (patch: Partial<RuleForm['trigger']>) => setForm({ ...form, trigger: { ...t, ...patch } });
  return (
    <form
      class="channel-add admin-form"
      aria-label={props.title}
      data-testid="rule-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save.submit(form);
      }}
    >
      <h2>{props.title}</h2>
      <div class="admin-row">
        <label class="admin-field">
          <span>{tr('name')}</span>
          <input class="input" value={form.name} data-testid="rule-name" aria-invalid={!!save.errors['/name']} onInput={(e) => setForm({ ...form, name: e.currentTarget.value })} />
        </label>
        <label>
          <input type="checkbox" checked={form.enabled} onChange={(e) => setForm({ ...form, enabled: e.currentTarget.checked })} /> {tr('on')}
        </label>
      </div>
      <FieldNote errors={save.errors} path="/name" />
      <fieldset class="auto-set">
        <legend>{tr('whenLegend')}</legend>
        <div class="admin-row">
          <Select label={tr('trigger')} testid="trigger-kind" value={t.kind} options={TRIGGER_KINDS} name={triggerName} onChange={(kind) => setTrigger(newTrigger(kind))} />
          {t.kind === 'message_received' && (
            <label>
              <input type="checkbox" checked={t.first} onChange={(e) => setTrigger({ first: e.currentTarget.checked })} /> {tr('onlyFirst')}
            </label>
          )}
          {t.kind === 'ticket_updated' && (
            <input
              class="input"
              aria-label={tr('fieldsLabel')}
              placeholder={tr('fieldsHint')}
              value={t.fields}
              onInput={(e) => setTrigger({ fields: e.currentTarget.value })}
            />
          )}
          {t.kind === 'sla_breached' && <Select label={tr('slaTarget')} value={t.metric} options={['', ...METRICS]} name={(m) => (m ? metricName(m) : tr('anyTarget'))} onChange={(metric) => setTrigger({ metric })} />}
          {t.kind === 'conversation_idle' && <Duration label={tr('quietLabel')} amount={t.amount} unit={t.unit} testid="trigger-minutes" onChange={(amount, unit) => setTrigger({ amount, unit })} />}
        </div>
        <FieldNote errors={save.errors} path="/trigger/minutes" />
        <FieldNote errors={save.errors} path="/trigger/fields" />
      </fieldset>
      <ConditionEditor rows={form.conditions} match={form.match} errors={save.errors} choices={props.choices} onChange={(conditions, match) => setForm({ ...form, conditions, match })} />
      <ActionEditor rows={form.actions} errors={save.errors} choices={props.choices} onChange={(actions) => setForm({ ...form, actions })} />
      <Problem text={save.general ?? (save.hasErrors ? tr('e.marked') : null)} />
      <div class="admin-row">
        <button class="btn btn-primary" type="submit" disabled={save.busy} data-testid="rule-save">
          {tr('saveRule')}
        </button>
        <button class="btn" type="button" onClick={props.onCancel}>
          {tr('cancel')}
        </button>
      </div>
    </form>
  );
}
