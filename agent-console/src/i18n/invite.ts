import { messages } from './index.js';

/** English text of the invitation page (#/invite/<token>), a chunk of its own. */
export const en = {
  short: 'Choose a password of at least 10 characters.',
  mismatch: 'The two passwords are not the same.',
  problem: 'Switchboard had a problem handling that. Please try again.',
  unreachable: 'Cannot reach Switchboard. Check your connection.',
  title: 'Welcome to the team',
  sub: 'Choose a password to finish setting up your account.',
  password: 'New password (at least 10 characters)',
  repeat: 'Repeat the password',
  settingUp: 'Setting up…',
  submit: 'Set password and sign in',
  signIn: 'I already have a password — sign in',
};

export const t = messages('invite', en);
