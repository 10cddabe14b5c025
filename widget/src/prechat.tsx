import { useState } from 'preact/hooks';
import type { PreChatField, WidgetVisitor } from '@switchboard/contracts';
import type { Chat } from './chat.js';
import { answer, CONTACT, EMAIL } from './fields.js';
import { formStyles } from './form-styles.js';
import { ft } from './form-texts.js';

/** The pre-chat form, a chunk the chat loads only for an inbox that asks one (fields.ts decides). */

/** The sentence shown under a field, or '' when the value is fine. */
export function fieldError(field: Pick<PreChatField, 'label' | 'type' | 'required'>, value: string): string {
  if (!value) return field.required ? ft('required', { label: field.label }) : '';
  if (field.type == 'email' && !EMAIL.test(value)) return ft('badEmail');
  return field.type == 'tel' && !/^\+?\d{6,15}$/.test(value.replace(/[\s().-]/g, '')) ? ft('badPhone') : '';
}

interface PreChatProps {
  chat: Chat;
  fields: readonly PreChatField[];
  visitor: WidgetVisitor | null;
  onDone(): void;
}

/** The inbox's pre-chat form; the browser's own validation is off so every message reads alike. */
export function PreChat({ chat, fields, visitor, onDone }: PreChatProps) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failed, setFailed] = useState('');
  return (
    <>
      <style>{formStyles}</style>
      <form
        class="form"
        data-sb="prechat"
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          const form = e.currentTarget;
          const input = (key: string) => form.elements.namedItem(key) as HTMLInputElement;
          const found: Record<string, string> = {};
          const contact: Record<string, string> = {};
          const attributes: Record<string, string> = {};
          for (const f of fields) {
            const value = input(f.key).value.trim();
            const error = fieldError(f, value);
            if (error) found[f.key] = error;
            else if (value) (CONTACT[f.key] ? contact : attributes)[f.key] = value;
          }
          setErrors(found);
          const first = Object.keys(found)[0];
          if (first) return input(first).focus();
          const res = await chat.update({ ...contact, attributes });
          if (res.ok) onDone();
          else setFailed(res.message);
        }}
      >
        {fields.map((f) => (
          <div key={f.key}>
            <label>
              {f.label}
              <input
                name={f.key}
                type={f.type}
                required={f.required}
                autocomplete={CONTACT[f.key]}
                defaultValue={answer(visitor, f.key)}
                aria-invalid={!!errors[f.key]}
                aria-describedby={`sb-${f.key}`}
              />
            </label>
            {errors[f.key] && (
              <p class="err" id={`sb-${f.key}`}>
                {errors[f.key]}
              </p>
            )}
          </div>
        ))}
        {failed && (
          <p class="err" role="alert">
            {failed}
          </p>
        )}
        <button class="btn">{ft('start')}</button>
      </form>
    </>
  );
}
