#!/usr/bin/env node
// The one test command (`npm test`). On a fresh machine it brings up what the tests need:
// RabbitMQ and Redis (started when not answering), Debian's Chromium (installed when missing),
// the built widget and console bundles; then type-checks and runs every test with vitest.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';

const log = (msg) => process.stdout.write(`[test] ${msg}\n`);

function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  return res.status ?? 1;
}

function portOpen(port, host = '127.0.0.1', timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function waitForPort(port, seconds) {
  for (let i = 0; i < seconds * 2; i++) {
    if (await portOpen(port)) return true;
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

async function ensureService(name, port, start) {
  if (await portOpen(port)) return;
  log(`${name} is not answering on ${port}; starting it`);
  start();
  if (!(await waitForPort(port, 90))) {
    log(`${name} did not come up on 127.0.0.1:${port}`);
    process.exit(1);
  }
}

function aptInstall(pkgs) {
  log(`installing ${pkgs.join(' ')} from Debian`);
  run('apt-get', ['update', '-qq']);
  const status = run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (status !== 0) process.exit(status);
}

const has = (bin) => spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;

// RabbitMQ and Redis must be real servers; install them only when the machine has none.
if (!has('rabbitmq-server') && !(await portOpen(5672))) aptInstall(['rabbitmq-server']);
if (!has('redis-server') && !(await portOpen(6379))) aptInstall(['redis-server']);
await ensureService('RabbitMQ', 5672, () => run('rabbitmq-server', ['-detached']));
await ensureService('Redis', 6379, () =>
  run('redis-server', ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', '6379', '--save', '', '--appendonly', 'no']),
);
if (!existsSync('/usr/bin/chromium')) aptInstall(['chromium']);
// The email connector's IMAP tests run a private Dovecot (connectors/email/test/dovecot.ts).
if (!existsSync('/usr/sbin/dovecot')) aptInstall(['dovecot-imapd']);

log('building widget and console');
if (run('npm', ['run', 'build', '--silent']) !== 0) process.exit(1);
log('type-checking');
if (run('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']) !== 0) process.exit(1);

const env = {
  ...process.env,
  TEST_AMQP_URL: process.env.TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
  TEST_REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  CHROMIUM_PATH: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
};
log('running tests');
process.exit(run('npx', ['vitest', 'run', ...process.argv.slice(2)], { env }));
