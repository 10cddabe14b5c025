import { chunkTexts, type Texts } from './chunk-texts.js';

/** The texts of the offline and pre-chat forms (offline.tsx, prechat.tsx), in their chunks rather than the core. */
export const formTexts: Texts<'away' | 'back' | 'leave' | 'byEmail' | 'save' | 'required' | 'badEmail' | 'badPhone' | 'start'> = {
  en: {
    away: "We're away right now.",
    back: 'Back {when} at {time}.',
    leave: "We'll reply by email:",
    byEmail: "We'll reply by email to {email}.",
    save: 'Save',
    required: '{label} is required.',
    badEmail: 'Invalid email address.',
    badPhone: 'Invalid phone number.',
    start: 'Start chat',
  },
  ru: {
    away: 'Сейчас мы не в сети.',
    back: 'Вернёмся: {when}, {time}.',
    leave: 'Ответим на email:',
    byEmail: 'Ответим на {email}.',
    save: 'Сохранить',
    required: 'Заполните поле «{label}».',
    badEmail: 'Неверный email.',
    badPhone: 'Неверный номер телефона.',
    start: 'Начать чат',
  },
};
export const ft = chunkTexts(formTexts);
