import { describe, expect, it } from 'vitest';
import { loadConfig, ConfigError } from './config.js';

describe('loadConfig', () => {
  it('runs on embedded defaults with an empty environment', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.bus.amqpUrl).toBeUndefined();
    expect(c.mongo.url).toBeUndefined();
    expect(c.redisUrl).toBeUndefined();
    expect(c.publicUrl).toBe('http://localhost:3000');
    expect(c.demoSeed).toBe(true);
  });

  it('switches a seam to its server when the URL is set', () => {
    const c = loadConfig({ AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672', REDIS_URL: 'redis://127.0.0.1:6379', BUS_PARTITIONS: '4' });
    expect(c.bus.amqpUrl).toBe('amqp://guest:guest@127.0.0.1:5672');
    expect(c.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(c.bus.partitions).toBe(4);
  });

  it('stops start-up with a sentence naming the variable', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT must be a whole number/);
    expect(() => loadConfig({ AMQP_URL: 'http://x' })).toThrow(/AMQP_URL is not valid/);
    expect(() => loadConfig({ JWT_SECRET: 'short' })).toThrow(/JWT_SECRET/);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
    expect(() => loadConfig({ DEMO_SEED: 'maybe' })).toThrow(/DEMO_SEED must be true or false/);
  });
});

describe('README configuration table', () => {
  it('documents every environment variable the hub reads', async () => {
    const { readFileSync } = await import('node:fs');
    const { EnvSchema } = await import('./config.js');
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const missing = Object.keys(EnvSchema.properties).filter((name) => !readme.includes(`| \`${name}\` |`));
    expect(missing).toEqual([]);
  });
});
