import type { en } from '../invite.js';
import type { Translation } from '../index.js';

export const invite: Translation<typeof en> = {
  short: 'Выберите пароль не короче 10 символов.',
  mismatch: 'Пароли не совпадают.',
  problem: 'Switchboard не смог обработать запрос. Попробуйте ещё раз.',
  unreachable: 'Нет связи со Switchboard. Проверьте подключение.',
  title: 'Добро пожаловать в команду',
  sub: 'Придумайте пароль, чтобы завершить настройку учётной записи.',
  password: 'Новый пароль (не короче 10 символов)',
  repeat: 'Повторите пароль',
  settingUp: 'Настраиваем…',
  submit: 'Сохранить пароль и войти',
  signIn: 'У меня уже есть пароль — войти',
};
