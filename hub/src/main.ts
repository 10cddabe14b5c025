import { loadConfig, ConfigError } from '@switchboard/config';
import { serve } from '@switchboard/runtime';
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
  await serve(hub.app, { port: config.port, host: config.host, logger: hub.platform.logger, shutdownTimeoutMs: config.shutdownTimeoutMs });
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
}

main().catch((err: unknown) => {
  process.stderr.write(`Switchboard failed to start: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
