import type { en } from '../notify.js';
import type { Translation } from '../index.js';

export const notify: Translation<typeof en> = {
  visitor: 'Посетитель {id}',
  sentFile: { one: 'Прислан {count} файл', few: 'Прислано {count} файла', many: 'Прислано {count} файлов', other: 'Прислано {count} файла' },
  newMessage: 'Новое сообщение',
  mentioned: '{name} упомянул(а) вас в заметке',
  openToRead: 'Откройте диалог, чтобы прочитать.',
  offerLabel: 'Уведомления на рабочем столе',
  offer: 'Получайте уведомление и звуковой сигнал, когда клиент пишет в один из ваших диалогов.',
  enable: 'Включить уведомления',
  later: 'Не сейчас',
};
