import { loadConfig, ConfigError } from '@switchboard/config';
import { buildHub } from './app.js';

/** `npm start`: the whole hub in one process. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`Switchboard cannot start: ${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
  const hub = await buildHub(config);
  await hub.app.listen({ port: config.port, host: config.host });
  const url = config.publicUrl;
  const lines = [
    '',
    '  Switchboard is running.',
    `  Agent console:  ${url}/`,
    ...(hub.demo ? [`  Demo login:     ${hub.demo.email} / ${hub.demo.password}`, `  Demo website:   ${url}/demo`, ...(hub.demo.helpCenterUrl ? [`  Help center:    ${hub.demo.helpCenterUrl}`] : [])] : []),
    `  API docs:       ${url}/docs`,
    `  Data folder:    ${config.dataDir}`,
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    hub.app.log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => process.exit(1), 10_000).unref();
    await hub.app.close();
    clearTimeout(timer);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`Switchboard failed to start: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
