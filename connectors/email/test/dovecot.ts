import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { tempDir } from '@switchboard/testkit';

export const dovecotBinary = '/usr/sbin/dovecot';
const doveadmBinary = '/usr/bin/doveadm';

/** A private Dovecot IMAP server for one test file: plain IMAP on 127.0.0.1, users with passwords, maildir in a temp dir. */
export interface Dovecot {
  host: '127.0.0.1';
  port: number;
  /** Adds a mailbox owner who can log in right away. */
  addUser(user: string, password: string): void;
  /** Drops every IMAP session of a user, as a server restart or a network cut would. */
  kick(user: string): Promise<void>;
  /** Stops the server (the whole process group) and removes its folder. */
  close(): Promise<void>;
}


/**
 * Starts `dovecot -F` as a child process with its own config, base_dir, state_dir and port, so it
 * never meets a system Dovecot the Debian package may have started on 143. As root, Dovecot
 * refuses to run mail processes as root, so mail belongs to the `dovecot` user and the logins run
 * as `dovenull` (both created by the Debian package); as any other user everything runs as that
 * user.
 */
export async function startDovecot(): Promise<Dovecot> {
  if (!existsSync(dovecotBinary)) {
    throw new Error(`${dovecotBinary} is missing: install Debian's dovecot-imapd (npm test installs it when missing)`);
  }
  const tmp = tempDir('sb-dovecot');
  const dir = tmp.dir;
  // Mail processes run as another user and must reach the maildir below this folder.
  chmodSync(dir, 0o755);
  const mailRoot = path.join(dir, 'mail');
  // One password file per user: Dovecot caches a passwd-file and may miss a line added within
  // the same second, but a file it has never opened is always read fresh.
  const usersDir = path.join(dir, 'users');
  const logFile = path.join(dir, 'dovecot.log');
  mkdirSync(path.join(dir, 'run'));
  mkdirSync(path.join(dir, 'state'));
  mkdirSync(mailRoot);
  mkdirSync(usersDir);

  const identity = processIdentity();
  if (identity.mailOwner) chownSync(mailRoot, identity.mailOwner.uid, identity.mailOwner.gid);
  const port = await freePort();
  writeFileSync(path.join(dir, 'dovecot.conf'), config({ dir, port, usersDir, logFile, mailRoot, identity }));

  const child = spawn(dovecotBinary, ['-F', '-c', path.join(dir, 'dovecot.conf')], { cwd: dir, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // A crashed test worker must not leave a server behind.
  const killOnExit = () => killGroup(child, 'SIGKILL');
  process.once('exit', killOnExit);

  const close = async () => {
    process.off('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    tmp.remove();
  };

  try {
    await waitForGreeting(port, exited, 15_000);
  } catch (err) {
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
    await close();
    throw new Error(`dovecot did not start: ${(err as Error).message}\n${stderr}${log}`);
  }

  return {
    host: '127.0.0.1',
    port,
    addUser(user, password) {
      if (!/^[\w.@+-]+$/.test(user) || /[\r\n]/.test(password)) throw new Error(`unusable test user "${user}"`);
      writeFileSync(path.join(usersDir, user), `${user}:{PLAIN}${password}::::::\n`);
    },
    kick: (user) => kick(path.join(dir, 'dovecot.conf'), user),
    close,
  };
}

function kick(configFile: string, user: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(doveadmBinary, ['-c', configFile, 'kick', user], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`doveadm kick ${user} failed (${code}): ${output}`))));
  });
}

interface Identity {
  loginUser: string;
  internalUser: string;
  /** Only set when not root: the group of the sockets internal services share. */
  internalGroup?: string;
  mailUid: string;
  mailGid: string;
  /** Only set as root: the maildir must belong to the user the mail processes run as. */
  mailOwner?: { uid: number; gid: number };
  /** Only root may chroot the login and anvil processes. */
  chroot: boolean;
}

function processIdentity(): Identity {
  if (process.getuid?.() === 0) {
    // Dovecot never runs mail processes as root; these users come with the Debian package.
    return { loginUser: 'dovenull', internalUser: 'dovecot', mailUid: 'dovecot', mailGid: 'dovecot', mailOwner: systemUser('dovecot'), chroot: true };
  }
  const me = userInfo();
  return { loginUser: me.username, internalUser: me.username, internalGroup: groupName(me.gid), mailUid: me.username, mailGid: String(me.gid), chroot: false };
}

function config(o: { dir: string; port: number; usersDir: string; logFile: string; mailRoot: string; identity: Identity }): string {
  const id = o.identity;
  const noChroot = id.chroot ? '' : '  chroot =\n';
  return `# written by connectors/email/test/dovecot.ts
protocols = imap
listen = 127.0.0.1
base_dir = ${o.dir}/run
state_dir = ${o.dir}/state
instance_name = sb-test-${o.port}
log_path = ${o.logFile}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
# wrong-password tests should not wait: no 2 s failure delay, no growing penalty per IP
auth_failure_delay = 0
default_login_user = ${id.loginUser}
default_internal_user = ${id.internalUser}
${id.internalGroup ? `default_internal_group = ${id.internalGroup}\n` : ''}first_valid_uid = 1
first_valid_gid = 1
mail_location = maildir:~/Maildir
# IDLE notices new mail through inotify; this is the fallback where inotify is unavailable
mailbox_idle_check_interval = 1 secs
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${o.usersDir}/%u
}
userdb {
  driver = static
  args = uid=${id.mailUid} gid=${id.mailGid} home=${o.mailRoot}/%u
}
service anvil {
${noChroot}  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service imap-login {
${noChroot}  inet_listener imap {
    address = 127.0.0.1
    port = ${o.port}
  }
  inet_listener imaps {
    port = 0
  }
}
`;
}

function systemUser(name: string): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${name}:`));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (!uid || !gid) throw new Error(`the system user "${name}" is missing; install Debian's dovecot-imapd`);
  return { uid: Number(uid), gid: Number(gid) };
}

function groupName(gid: number): string {
  const line = readFileSync('/etc/group', 'utf8').split('\n').find((l) => l.split(':')[2] === String(gid));
  const name = line?.split(':')[0];
  if (!name) throw new Error(`no group with id ${gid} in /etc/group`);
  return name;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Ready means the first line is the real greeting: while its auth process is still starting,
 * Dovecot greets with "Waiting for authentication process to respond" instead.
 */
async function waitForGreeting(port: number, exited: Promise<void>, ms: number): Promise<void> {
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (gone) throw new Error('the process exited');
    if (await greets(port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no IMAP greeting on 127.0.0.1:${port} within ${ms} ms`);
}

function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    let data = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2000, () => done(false));
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString();
      if (data.includes('\n')) done(/^\* OK \[CAPABILITY[^\n]*ready/i.test(data));
    });
    socket.once('error', () => done(false));
    socket.once('close', () => done(false));
  });
}
