// Error mapping of the Redis state store (src/state/redis.ts): connection trouble and transient server
// states become StateUnavailableError (sync-collection and getctag answer 503 with Retry-After); a script
// bug or any other server reply stays a plain error (500).
import { StateUnavailableError } from './store.ts';

/** Server replies that mean "not now" rather than "bug": the caller gets a 503, not a 500. */
const TRANSIENT_REPLY = /^(LOADING|READONLY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|BUSY|NOAUTH|WRONGPASS|OOM|MOVED|ASK)\b/;

/** The StateUnavailableError of the Redis store, with the Retry-After it advertises. */
export function redisUnavailable(message: string, retryAfterSeconds: number, cause?: unknown): StateUnavailableError {
  return new StateUnavailableError(`state store (Redis): ${message}`, retryAfterSeconds, { cause });
}

/** Connection trouble and transient server states → StateUnavailableError; a script bug stays an error. */
export function mapRedisError(what: string, err: unknown, retryAfterSeconds: number): Error {
  if (err instanceof StateUnavailableError) return err;
  const e = err instanceof Error ? err : new Error(String(err));
  if (e.name === 'ReplyError' && !TRANSIENT_REPLY.test(e.message)) return e;
  return redisUnavailable(`${what}: ${e.message}`, retryAfterSeconds, e);
}
