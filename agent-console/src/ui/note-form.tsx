import { useSignal } from '@preact/signals';
import { useRef } from 'preact/hooks';
import { insertMention, keptMentions, matchAgents, mentionAt, track, type MentionAgent } from '../mentions.js';
import type { TicketStore } from '../tickets.js';
import { t } from '../i18n/core.js';
import { useStore } from './context.js';

/**
 * The note box of the ticket panel with @mentions: typing "@an" lists the team's agents whose
 * name matches; ↑/↓ choose, Enter or Tab insert "@Ana Lopez", Esc closes the list. The agents
 * still named when the note is sent are notified (mentions.ts decides which).
 */
export function NoteForm({ tickets }: { tickets: TicketStore }) {
  const meId = useStore().agent.value?.id;
  const text = useSignal('');
  const caret = useSignal(0);
  const tracked = useSignal<MentionAgent[]>([]);
  const active = useSignal(0);
  const closed = useSignal(false);
  const input = useRef<HTMLTextAreaElement>(null);
  const sending = tickets.noteSending.value;

  const at = closed.value ? null : mentionAt(text.value, caret.value);
  const options = at ? matchAgents(tickets.agents.value.filter((a) => a.active !== false && a.id !== meId), at.query) : [];
  const open = options.length > 0;
  const current = open ? options[Math.min(active.value, options.length - 1)]! : null;

  const follow = (el: HTMLTextAreaElement) => (caret.value = el.selectionStart ?? el.value.length);
  const pick = (agent: MentionAgent) => {
    if (!at) return;
    const next = insertMention(text.value, at, agent);
    text.value = next.text;
    caret.value = next.caret;
    tracked.value = track(tracked.value, agent);
    active.value = 0;
    // Written to the box at once, caret included, so keys typed before the next render land
    // after the inserted name (the render then finds the value unchanged and keeps the caret).
    const el = input.current;
    if (el) {
      el.value = next.text;
      el.focus();
      el.setSelectionRange(next.caret, next.caret);
    }
  };
  const submit = async (e?: Event) => {
    e?.preventDefault();
    if (await tickets.addNote(text.value, keptMentions(text.value, tracked.value))) {
      text.value = '';
      tracked.value = [];
    }
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (open && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      e.preventDefault();
      active.value = (options.indexOf(current!) + (e.key === 'ArrowDown' ? 1 : options.length - 1)) % options.length;
    } else if (open && (e.key === 'Enter' || e.key === 'Tab') && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      pick(current!);
    } else if (open && e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      closed.value = true;
    } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit(e);
  };

  return (
    <form class="note-form" onSubmit={(e) => void submit(e)}>
      <div class="mention-wrap">
        <textarea
          ref={input}
          class="note-input"
          data-testid="ticket-note-input"
          rows={2}
          // A textarea keeps its textbox role (combobox is not allowed on it); the list is announced below.
          aria-autocomplete="list"
          aria-controls="note-mentions"
          aria-activedescendant={current ? `note-mention-${current.id}` : undefined}
          aria-label={t('note.label')}
          placeholder={t('note.placeholder')}
          value={text.value}
          onInput={(e) => {
            text.value = e.currentTarget.value;
            follow(e.currentTarget);
            closed.value = false;
            active.value = 0;
          }}
          onKeyUp={(e) => /^(Arrow(Left|Right)|Home|End)$/.test(e.key) && follow(e.currentTarget)}
          onClick={(e) => follow(e.currentTarget)}
          onKeyDown={onKeyDown}
        />
        <ul id="note-mentions" class="mention-options" role="listbox" aria-label={t('note.mentionList')} data-testid="mention-options" hidden={!open}>
          {options.map((a) => (
            <li
              key={a.id}
              id={`note-mention-${a.id}`}
              role="option"
              class="mention-option"
              data-testid="mention-option"
              aria-selected={a === current}
              // mousedown, not click: the textarea keeps the focus and the caret.
              onMouseDown={(e) => {
                e.preventDefault();
                pick(a);
              }}
            >
              {a.name}
            </li>
          ))}
        </ul>
        <p class="sr-only" aria-live="polite">
          {open ? t('note.matches', { count: options.length }) : ''}
        </p>
      </div>
      <button class="btn btn-small" data-testid="ticket-note-add" type="submit" disabled={sending || !text.value.trim()}>
        {sending ? t('note.adding') : t('note.add')}
      </button>
    </form>
  );
}
