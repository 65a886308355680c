package memory

import "github.com/redis/go-redis/v9"

// scripts are the Lua scripts a Store runs, one set per Store.
type scripts struct {
	load, append, reset, refreshLock, releaseLock *redis.Script
}

func newScripts() scripts {
	return scripts{
		load:        redis.NewScript(loadLua),
		append:      redis.NewScript(appendLua),
		reset:       redis.NewScript(resetLua),
		refreshLock: redis.NewScript(refreshLockLua),
		releaseLock: redis.NewScript(releaseLockLua),
	}
}

// Lua scripts run with EVALSHA (EVAL once after a script cache flush). Every
// key they touch shares the chat's hash tag, so they work on Cluster; image
// keys read by load and reset are built from a prefix argument and stay in
// that slot.

// loadLua returns the newest turns and the images of the newest refs,
// refreshing TTLs, in one round trip.
//
// KEYS: 1 history, 2 settings, 3 image index.
// ARGV: 1 max turns (<=0 all), 2 max images, 3 TTL ms, 4 now ms, 5 image key prefix.
// Returns {entries, {hash1, data1, hash2, data2, ...}}.
const loadLua = `
local n = tonumber(ARGV[1])
local start = 0
if n > 0 then start = -n end
local items = redis.call('LRANGE', KEYS[1], start, -1)
if #items == 0 then return {items, {}} end
local ttl = ARGV[3]
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
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
          local key = ARGV[5] .. h
          local data = redis.pcall('GET', key)
          if type(data) == 'string' then
            redis.call('PEXPIRE', key, ttl)
            redis.pcall('ZADD', KEYS[3], ARGV[4], h)
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
if #images > 0 then redis.call('PEXPIRE', KEYS[3], ttl) end
return {items, images}
`

// appendLua stores images once, pushes the turn, trims the history to
// the turn limit and token budget and refreshes TTLs, in one round trip.
//
// KEYS: 1 history, 2 settings, 3 image index, 4.. image keys.
// ARGV: 1 turn JSON, 2 max turns, 3 max tokens (<0 no budget), 4 TTL ms,
// 5 now ms, then per image key its hash and data ("" only refreshes).
// Returns the history length.
const appendLua = `
local kind = redis.call('TYPE', KEYS[1]).ok
if kind ~= 'list' and kind ~= 'none' then
  return redis.error_reply('WRONGTYPE history key holds a ' .. kind)
end
local ttl, now = ARGV[4], tonumber(ARGV[5])
for i = 4, #KEYS do
  local h, data = ARGV[2 * i - 2], ARGV[2 * i - 1]
  local stored = false
  if data ~= '' then stored = redis.call('SET', KEYS[i], data, 'NX', 'PX', ttl) end
  if stored or redis.call('PEXPIRE', KEYS[i], ttl) == 1 then
    redis.call('ZADD', KEYS[3], now, h)
  end
end
if #KEYS > 3 then
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', '(' .. (now - tonumber(ttl)))
  redis.call('PEXPIRE', KEYS[3], ttl)
end
local len = redis.call('RPUSH', KEYS[1], ARGV[1])
local maxTurns = tonumber(ARGV[2])
if len > maxTurns then
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
  if keep < #items then
    redis.call('LTRIM', KEYS[1], -keep, -1)
    len = keep
  end
end
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
return len
`

// resetLua deletes a chat's history, its image index and every image the
// index lists. Settings and the lock stay. It works whatever type the keys
// hold, so a corrupted chat can always be reset.
//
// KEYS: 1 history, 2 image index. ARGV: 1 image key prefix.
const resetLua = `
local hashes = redis.pcall('ZRANGE', KEYS[2], 0, -1)
local n = 0
if type(hashes) == 'table' and not hashes.err then
  for _, h in ipairs(hashes) do
    if #h == 64 and not string.find(h, '[^0-9a-f]') then
      n = n + redis.call('DEL', ARGV[1] .. h)
    end
  end
end
return n + redis.call('DEL', KEYS[1], KEYS[2])
`

// refreshLockLua extends the lock's TTL only if the caller still owns it.
// KEYS: 1 lock. ARGV: 1 owner token, 2 TTL ms. Returns 1 if extended.
const refreshLockLua = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`

// releaseLockLua deletes the lock only if the caller still owns it.
// KEYS: 1 lock. ARGV: 1 owner token. Returns 1 if deleted.
const releaseLockLua = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`
