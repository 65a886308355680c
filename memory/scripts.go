package memory

import "github.com/redis/go-redis/v9"

// scripts are the Lua scripts a Store runs, one set per Store.
type scripts struct {
	load, append, reset, addUsage, lock, refreshLock, releaseLock, claim *redis.Script
	lockLoad, appendRelease, replicas                                    *redis.Script
}

func newScripts() scripts {
	return scripts{
		load:          redis.NewScript(loadLua),
		append:        redis.NewScript(appendLua),
		reset:         redis.NewScript(resetLua),
		addUsage:      redis.NewScript(addUsageLua),
		lock:          redis.NewScript(lockLua),
		refreshLock:   redis.NewScript(refreshLockLua),
		releaseLock:   redis.NewScript(releaseLockLua),
		claim:         redis.NewScript(claimLua),
		lockLoad:      redis.NewScript(lockLoadLua),
		appendRelease: redis.NewScript(appendReleaseLua),
		replicas:      redis.NewScript(replicasLua),
	}
}

// Lua scripts run with EVALSHA (EVAL once after a script cache flush).
// Every key they touch is declared in KEYS and shares the chat's hash tag,
// so they work on Cluster (slot migration included), behind proxies and
// under key-pattern ACLs.
//
// A chat's images live in one hash (field: hex sha256, value: bytes); the
// image index, a sorted set of the same hashes scored by last use (ms),
// ages them: an image unused for a TTL is expired even while the hash key,
// refreshed with the chat, lives on.

// loadLua returns the chat's settings, the newest turns and the images of
// the newest refs, refreshing TTLs, in one round trip.
//
// KEYS: 1 history, 2 settings, 3 image index, 4 images.
// ARGV: 1 max turns (<=0 all), 2 max images, 3 TTL ms, 4 now ms.
// Returns {entries, {hash1, data1, hash2, data2, ...}, {field1, value1, ...}}.
const loadLua = `
local ttl, now = ARGV[3], tonumber(ARGV[4])
local settings = redis.call('HGETALL', KEYS[2])
if #settings > 0 then redis.call('PEXPIRE', KEYS[2], ttl) end
local n = tonumber(ARGV[1])
local start = 0
if n > 0 then start = -n end
local items = redis.call('LRANGE', KEYS[1], start, -1)
if #items == 0 then return {items, {}, settings} end
local oldest = now - tonumber(ttl)
redis.call('PEXPIRE', KEYS[1], ttl)
local want = tonumber(ARGV[2])
local images, seen, count = {}, {}, 0
local i = #items
while i >= 1 and count < want do
  if string.find(items[i], '^{"k":%d+,"i":') then
    local ok, t = pcall(cjson.decode, items[i])
    if ok and type(t) == 'table' and type(t.i) == 'table' then
      local j = #t.i
      while j >= 1 and count < want do
        local h = type(t.i[j]) == 'table' and t.i[j].h
        if type(h) == 'string' and #h == 64 and not string.find(h, '[^0-9a-f]') and not seen[h] then
          seen[h] = true
          count = count + 1
          local used = tonumber(redis.pcall('ZSCORE', KEYS[3], h))
          local data = used and used > oldest and redis.pcall('HGET', KEYS[4], h)
          if type(data) == 'string' then
            redis.call('ZADD', KEYS[3], now, h)
            images[#images + 1] = h
            images[#images + 1] = data
          end
        end
        j = j - 1
      end
    end
  end
  i = i - 1
end
if #images > 0 then
  redis.call('PEXPIRE', KEYS[3], ttl)
  redis.call('PEXPIRE', KEYS[4], ttl)
end
return {items, images, settings}
`

// appendLua drops expired images, stores the turn's images once, pushes
// the turn, trims the history to the turn limit and token budget, drops
// the images only trimmed turns referenced, and refreshes TTLs, in one
// round trip. Given a fifth key, the chat's lock, it first checks that the
// lock still holds the caller's token and stores nothing otherwise.
//
// KEYS: 1 history, 2 settings, 3 image index, 4 images, optional 5 lock.
// ARGV: 1 turn JSON, 2 max turns, 3 max tokens (<0 no budget), 4 TTL ms,
// 5 now ms, 6 lock token (ignored without KEYS[5]), then per image its
// hash and data ("" only refreshes).
// Returns the history length, or -1 if the lock is not the caller's. A
// turn with an id (the "id" field, last in the JSON) already among the
// newest 64 turns is not pushed again.
const appendLua = `
if #KEYS >= 5 and redis.call('GET', KEYS[5]) ~= ARGV[6] then return -1 end
local kind = redis.call('TYPE', KEYS[1]).ok
if kind ~= 'list' and kind ~= 'none' then
  return redis.error_reply('WRONGTYPE history key holds a ' .. kind)
end
local id = string.match(ARGV[1], ',"id":"([%w%.%-_]+)"}$')
if id then
  local needle = ',"id":"' .. id .. '"}'
  for _, item in ipairs(redis.call('LRANGE', KEYS[1], -64, -1)) do
    if string.sub(item, -#needle) == needle then return redis.call('LLEN', KEYS[1]) end
  end
end
local ttl, now = ARGV[4], tonumber(ARGV[5])
local function drop(hashes)
  for _, h in ipairs(hashes) do
    redis.call('HDEL', KEYS[4], h)
    redis.call('ZREM', KEYS[3], h)
  end
end
drop(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now - tonumber(ttl)))
for a = 7, #ARGV, 2 do
  local h, data = ARGV[a], ARGV[a + 1]
  if data ~= '' then
    redis.call('HSET', KEYS[4], h, data)
    redis.call('ZADD', KEYS[3], now, h)
  elseif redis.call('HEXISTS', KEYS[4], h) == 1 then
    redis.call('ZADD', KEYS[3], now, h)
  end
end
local len = redis.call('RPUSH', KEYS[1], ARGV[1])
local removed, kept = {}, nil
local maxTurns = tonumber(ARGV[2])
if len > maxTurns then
  removed = redis.call('LRANGE', KEYS[1], 0, len - maxTurns - 1)
  redis.call('LTRIM', KEYS[1], -maxTurns, -1)
  len = maxTurns
end
local budget = tonumber(ARGV[3])
if budget >= 0 and len > 1 then
  local items = redis.call('LRANGE', KEYS[1], 0, -1)
  local total, keep = 0, 0
  for i = #items, 1, -1 do
    local k = tonumber(string.match(items[i], '^{"k":(%d+)')) or 0
    if keep > 0 and total + k > budget then break end
    total = total + k
    keep = keep + 1
  end
  kept = items
  if keep < #items then
    redis.call('LTRIM', KEYS[1], -keep, -1)
    len = keep
    kept = {}
    for i = 1, #items do
      if i <= #items - keep then removed[#removed + 1] = items[i] else kept[#kept + 1] = items[i] end
    end
  end
end
local orphans = {}
for _, item in ipairs(removed) do
  if string.find(item, '^{"k":%d+,"i":') then
    for h in string.gmatch(item, '"h":"([0-9a-f]+)"') do
      if #h == 64 then orphans[h] = true end
    end
  end
end
if next(orphans) then
  kept = kept or redis.call('LRANGE', KEYS[1], 0, -1)
  local gone = {}
  for h in pairs(orphans) do
    local used = false
    for _, item in ipairs(kept) do
      if string.find(item, '"h":"' .. h .. '"', 1, true) then used = true break end
    end
    if not used then gone[#gone + 1] = h end
  end
  drop(gone)
end
for i = 1, 4 do redis.call('PEXPIRE', KEYS[i], ttl) end
return len
`

// resetLua deletes a chat's history, its image index and its images.
// Settings and the lock stay. DEL works whatever type the keys hold, so a
// corrupted chat can always be reset.
//
// KEYS: 1 history, 2 image index, 3 images.
const resetLua = `
return redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
`

// addUsageLua adds to a counter and, when it has no expiry yet, sets one:
// PEXPIRE … NX would do, but needs Redis 7.
//
// KEYS: 1 counter. ARGV: 1 increment, 2 TTL ms (<=0 none). Returns the total.
const addUsageLua = `
local n = redis.call('INCRBY', KEYS[1], ARGV[1])
if tonumber(ARGV[2]) > 0 and redis.call('PTTL', KEYS[1]) == -1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return n
`

// A chat's locks (one per holder) are listed in the chat's lockers, a
// sorted set of holders scored by when their lock expires, so that
// Lockers is one ZCOUNT. The set lives as long as its longest lock.

// lockLua takes the lock if it is free and lists its holder.
// KEYS: 1 lock, 2 lockers. ARGV: 1 owner token, 2 TTL ms, 3 now ms,
// 4 holder. Returns 1 if taken.
var lockLua = takeLockLua("KEYS[1]", "KEYS[2]", "ARGV[1]", "ARGV[2]", "ARGV[3]", "ARGV[4]") + "return 1\n"

// refreshLockLua extends the lock's TTL only if the caller still owns it.
// KEYS: 1 lock, 2 lockers. ARGV: 1 owner token, 2 TTL ms, 3 now ms,
// 4 holder. Returns 1 if extended.
const refreshLockLua = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], tonumber(ARGV[3]) + tonumber(ARGV[2]), ARGV[4])
if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
return 1
`

// releaseLockLua deletes the lock only if the caller still owns it.
// KEYS: 1 lock, 2 lockers. ARGV: 1 owner token, 2 holder. Returns 1 if
// deleted.
const releaseLockLua = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('ZREM', KEYS[2], ARGV[2])
  return redis.call('DEL', KEYS[1])
end
return 0
`
