import { admin } from './ru/admin.js';
import { automation } from './ru/automation.js';
import { bulk } from './ru/bulk.js';
import { channels } from './ru/channels.js';
import { connect } from './ru/connect.js';
import { contact } from './ru/contact.js';
import { core } from './ru/core.js';
import { identity } from './ru/identity.js';
import { invite } from './ru/invite.js';
import { kb } from './ru/kb.js';
import { manage } from './ru/manage.js';
import { notify } from './ru/notify.js';
import { pickers } from './ru/pickers.js';
import { reports } from './ru/reports.js';
import { search } from './ru/search.js';
import { shortcuts } from './ru/shortcuts.js';
import { webSettings } from './ru/web-settings.js';
// For the bundle's sake: a lazy chunk imports both ui/context.ts and ui/icons.tsx (or the page's shared chunk splits; README).
import '../ui/context.js';
import '../ui/icons.js';

/** Every Russian message, fetched as one chunk (ru-<hash>.js) when the console speaks Russian. */
export const ru = { admin, automation, bulk, channels, connect, contact, core, identity, invite, kb, manage, notify, pickers, reports, search, shortcuts, webSettings };
export type RuBundle = typeof ru;
