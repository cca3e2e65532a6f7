// Shared by the Redis StateStore integration tests (redis-state*.test.ts): a logger that keeps its lines,
// a parsed `state` configuration for Redis, and one collection key with a change helper.
import assert from 'node:assert/strict';
import { configSchema, type RedisStateConfig } from '../../src/config/schema.ts';
import type { Logger } from '../../src/dav/context.ts';
import { collectionKey } from '../../src/state/keys.ts';

export interface LogLine {
  level: string;
  msg: string;
  fields?: Record<string, unknown>;
}
export function memoryLog(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) => {
    lines.push({ level, msg, fields });
  };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export function redisConfig(extra: Record<string, unknown>): RedisStateConfig {
  const c = configSchema.parse({ state: { kind: 'redis', connectTimeoutMs: 3000, ...extra } }).state;
  assert.equal(c.kind, 'redis');
  return c as RedisStateConfig;
}

export const KEY = collectionKey('it', { owner: 'alice', home: 'calendars', id: 'work' });
export const put = (name: string, etag: string) => ({ name, etag, deleted: false });
