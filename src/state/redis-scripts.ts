// Lua scripts of the Redis state store (src/state/redis.ts). Each runs atomically on the server, so a
// check-and-write (compare the seq, append to the log, advance the seq) is one step for every replica.
//
// Per-collection keys (src/state/keys.ts), all in one hash-tag slot:
//   <coll>:seq   string, the seq of the snapshot / last log entry. Never expires: a collection's sequence
//                must never restart, or an old token could name a seq reused for other changes.
//   <coll>:snap  hash name → etag. Expires after the idle TTL (refreshed by every commit).
//   <coll>:log   list, one element per seq, oldest first: "<ms> <json>" with json {"n":name,"e":etag} or
//                {"n":name,"d":1}. The list is contiguous, so element i has seq = floor + 1 + i where
//                floor = seq − LLEN: no seq is stored per element and nothing else marks the floor.
//                Trimmed by count and age (server clock, TIME); expires with the snapshot.
// The epoch (dg:epoch, a hash {id, server, created}) is the last key when the deployment can reach it
// from a collection's slot (standalone and Sentinel); the scripts then refuse to work under an epoch
// other than the caller's. In Cluster mode it lives in another slot and is not passed.

/** Shared Lua helpers: server time in ms, retention trim, epoch check. */
const PRELUDE = `
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function trim(log, max_entries, oldest)
  local len = redis.call('LLEN', log)
  if len > max_entries then redis.call('LTRIM', log, len - max_entries, -1) end
  while true do
    local head = redis.call('LINDEX', log, 0)
    if not head then break end
    local at = tonumber(string.match(head, '^%d+'))
    if at and at >= oldest then break end
    redis.call('LPOP', log)
  end
end
local function epoch_ok(key, expected)
  if not key then return true end
  return redis.call('HGET', key, 'id') == expected
end
`;

export interface LuaScript {
  name: string;
  lua: string;
}

/**
 * KEYS: seq, snap, [epoch]. ARGV: epoch, cached seq ('' for none), cached size.
 * → {'E'} epoch mismatch | {'N'} no snapshot | {'U', seq} the caller's cached copy is current |
 *   {'S', seq, {name, etag, …}}
 * Within one epoch a seq names one snapshot (every change advances it); the only other change is the idle
 * expiry of the hash, which the size catches (an empty cached copy of an expired hash is still right).
 */
export const GET_SNAPSHOT: LuaScript = {
  name: 'getSnapshot',
  lua: `${PRELUDE}
if not epoch_ok(KEYS[3], ARGV[1]) then return {'E'} end
local seq = redis.call('GET', KEYS[1])
if not seq then return {'N'} end
if ARGV[2] ~= '' and seq == ARGV[2] and redis.call('HLEN', KEYS[2]) == tonumber(ARGV[3]) then
  return {'U', seq}
end
return {'S', seq, redis.call('HGETALL', KEYS[2])}
`,
};

/**
 * KEYS: seq, snap, log, [epoch]. ARGV: epoch, baseSeq, maxEntries, maxAgeMs, idleTtlSeconds, then per change
 * four values: 'p' | 'd', name, etag ('' for a deletion), log json.
 * → 'E' epoch mismatch | 'C' conflict (seq moved) | the new seq as a decimal string
 */
export const COMMIT_SNAPSHOT: LuaScript = {
  name: 'commitSnapshot',
  lua: `${PRELUDE}
if not epoch_ok(KEYS[4], ARGV[1]) then return 'E' end
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
if cur ~= tonumber(ARGV[2]) then return 'C' end
local now = now_ms()
local prefix = string.format('%.0f ', now)
local seq = cur
for i = 6, #ARGV, 4 do
  seq = seq + 1
  if ARGV[i] == 'd' then
    redis.call('HDEL', KEYS[2], ARGV[i + 1])
  else
    redis.call('HSET', KEYS[2], ARGV[i + 1], ARGV[i + 2])
  end
  redis.call('RPUSH', KEYS[3], prefix .. ARGV[i + 3])
end
local seqs = string.format('%.0f', seq)
redis.call('SET', KEYS[1], seqs)
trim(KEYS[3], tonumber(ARGV[3]), now - tonumber(ARGV[4]))
local ttl = tonumber(ARGV[5])
if ttl > 0 then
  redis.call('EXPIRE', KEYS[2], ttl)
  redis.call('EXPIRE', KEYS[3], ttl)
end
return seqs
`,
};

/**
 * KEYS: seq, log, [epoch]. ARGV: epoch, since, maxEntries, maxAgeMs.
 * → {'E'} epoch mismatch | {'X'} expired | {'L', floor, {entry, …}} entries after `since`
 */
export const CHANGES_SINCE: LuaScript = {
  name: 'changesSince',
  lua: `${PRELUDE}
if not epoch_ok(KEYS[3], ARGV[1]) then return {'E'} end
local since = tonumber(ARGV[2])
local seqv = redis.call('GET', KEYS[1])
if not seqv then
  if since == 0 then return {'L', '0', {}} end
  return {'X'}
end
local seq = tonumber(seqv)
trim(KEYS[2], tonumber(ARGV[3]), now_ms() - tonumber(ARGV[4]))
local floor = seq - redis.call('LLEN', KEYS[2])
if since < floor or since > seq then return {'X'} end
return {'L', string.format('%.0f', floor), redis.call('LRANGE', KEYS[2], since - floor, -1)}
`,
};

/**
 * KEYS: epoch. ARGV: server identity, candidate id, created (ms).
 * Keeps the epoch while the same server (identity) holds it; otherwise — the key is missing (Redis came
 * back empty, or was flushed) or another server now answers (restart, failover) — installs the candidate.
 * → the current epoch id
 */
export const ENSURE_EPOCH: LuaScript = {
  name: 'ensureEpoch',
  lua: `
local id = redis.call('HGET', KEYS[1], 'id')
if id and redis.call('HGET', KEYS[1], 'server') == ARGV[1] then return id end
redis.call('HSET', KEYS[1], 'id', ARGV[2], 'server', ARGV[1], 'created', ARGV[3])
return ARGV[2]
`,
};
