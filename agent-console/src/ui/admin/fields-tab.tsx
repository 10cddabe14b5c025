import { useState } from 'preact/hooks';
import type { FieldType } from '../../admin/admin-api.js';
import { fieldBody, fieldTypeName, FIELD_TYPES, keyFromLabel, type FieldForm } from '../../admin/field-form.js';
import { t as tr } from '../../i18n/admin.js';
import { IconCheck } from '../icons.js';
import { Card, ConfirmButton, Problem, useAction, useAdminApi, useLoad } from './parts.js';

const EMPTY: FieldForm = { label: '', key: '', type: 'text', options: '' };

/** Ticket fields: the team's custom fields, shown in every ticket's panel in this order. */
export default function FieldsTab() {
  const api = useAdminApi();
  const fields = useLoad(() => api.fields().then((r) => r.items));
  const [f, setF] = useState<FieldForm>(EMPTY);
  const act = useAction();
  const remove = useAction();

  const submit = async (e: Event) => {
    e.preventDefault();
    const r = fieldBody(f, fields.data ?? []);
    if (!r.ok) return act.setError(r.error);
    if (await act.run(async () => {
      const made = await api.createField(r.body);
      fields.setData((list) => [...(list ?? []), made]);
    }))
      setF(EMPTY);
  };

  return (
    <>
      <Problem text={fields.error ?? remove.error} />
      {fields.data?.length === 0 && <p class="muted">{tr('fields.none')}</p>}
      <ul class="channel-list" aria-label={tr('tab.fields')}>
        {fields.data?.map((x) => (
          <Card key={x.id} testid="admin-field" id={x.id}>
            <div class="channel-row">
              <IconCheck size={16} />
              <span class="channel-name">{x.label}</span>
              <span class="channel-kind">
                {fieldTypeName(x.type)} · {x.key}
              </span>
            </div>
            {x.options && <p class="muted">{x.options.join(', ')}</p>}
            <ConfirmButton
              label={tr('delete')}
              question={tr('fields.deleteQ', { label: x.label })}
              onConfirm={() => void remove.run(async () => (await api.deleteField(x.id), fields.setData((list) => list?.filter((y) => y.id !== x.id) ?? null)))}
            />
          </Card>
        ))}
      </ul>
      <form class="channel-add admin-form" onSubmit={submit} aria-labelledby="field-title" data-testid="field-form">
        <h2 id="field-title">{tr('fields.new')}</h2>
        <div class="admin-row">
          <label class="admin-field">
            <span>{tr('fields.label')}</span>
            <input class="input" value={f.label} onInput={(e) => setF({ ...f, label: e.currentTarget.value })} data-testid="field-label" />
          </label>
          <label class="admin-field">
            <span>{tr('fields.type')}</span>
            <select class="select" value={f.type} onChange={(e) => setF({ ...f, type: e.currentTarget.value as FieldType })} data-testid="field-type">
              {FIELD_TYPES.map((t) => (
                <option key={t} value={t}>
                  {fieldTypeName(t)}
                </option>
              ))}
            </select>
          </label>
          <label class="admin-field">
            <span>{tr('fields.key')}</span>
            <input class="input" value={f.key} placeholder={keyFromLabel(f.label) || 'order_number'} onInput={(e) => setF({ ...f, key: e.currentTarget.value })} />
          </label>
        </div>
        {f.type === 'select' && (
          <label class="admin-field">
            <span>{tr('fields.options')}</span>
            <textarea class="input admin-text" rows={4} value={f.options} onInput={(e) => setF({ ...f, options: e.currentTarget.value })} data-testid="field-options" />
          </label>
        )}
        <Problem text={act.error} />
        <button class="btn btn-primary admin-start" type="submit" disabled={act.busy} data-testid="field-submit">
          {tr('fields.add')}
        </button>
      </form>
    </>
  );
}
