import type { en } from '../search.js';
import type { Translation } from '../index.js';

export const search: Translation<typeof en> = {
  label: 'Поиск',
  placeholder: 'Поиск по сообщениям, контактам и тикетам',
  close: 'Закрыть поиск',
  failed: 'Поиск не удался. Попробуйте ещё раз.',
  conversations: 'Диалоги',
  contacts: 'Контакты',
  tickets: 'Тикеты',
  unknownContact: 'Неизвестный контакт',
  unnamedContact: 'Контакт без имени',
  noConversation: 'Диалогов пока нет',
  hint: 'Введите слово из сообщения, имя, почту или телефон контакта, тему или номер тикета.',
  searching: 'Ищем…',
  nothing: 'По запросу «{text}» ничего не найдено.',
  results: {
    one: '{count} результат. Стрелки и Enter — открыть.',
    few: '{count} результата. Стрелки и Enter — открыть.',
    many: '{count} результатов. Стрелки и Enter — открыть.',
    other: '{count} результата. Стрелки и Enter — открыть.',
  },
  resultsLabel: 'Результаты',
  'status.new': 'новый',
  'status.open': 'открыт',
  'status.pending': 'ожидает',
  'status.on_hold': 'приостановлен',
  'status.solved': 'решён',
  'status.closed': 'закрыт',
};
