import type { en } from '../connect.js';
import type { Translation } from '../index.js';

export const connect: Translation<typeof en> = {
  'connect.noName': 'Дайте аккаунту название.',
  'connect.fill': 'Заполните «{label}».',
  'connect.wrong': '«{label}» выглядит неверно.',
  'connect.works': 'Подключение работает.',
  'connect.worksAs': 'Подключение работает ({label}).',
  'connect.failed': 'Проверка не прошла: {reason}.',
  'connect.noReason': 'причина не указана',
  'connect.removeQ': 'Удалить «{name}»? Сообщения из него перестанут приходить; входящие и диалоги останутся.',
  'connect.title': 'Подключить канал',
  'connect.connected': '{name} подключён.',
  'connect.webhook': 'URL вебхука для панели провайдера:',
  'connect.channel': 'Канал',
  'connect.choose': 'Выберите…',
  'connect.namePlaceholder': 'например, «Бот поддержки»',
  'connect.checking': 'Проверяем…',
  'connect.submit': 'Подключить {title}',
  'connect.test': 'Проверить',
  'connect.enable': 'Включить',
  'connect.disable': 'Отключить',
  'connect.name': 'Название',
  'connect.remove': 'Удалить',
};
