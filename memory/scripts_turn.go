package memory

import "fmt"

// A turn touches Redis twice: when it starts, lockLoadLua takes the
// asker's lock and loads the chat's history in one round trip; when it is
// stored, appendReleaseLua appends it and releases the lock in another.

// takeLockLua returns the Lua lines that take a lock if it is free (else
// return 0) and list its holder in the chat's lockers, which live as long
// as their longest lock. The arguments name the KEYS and ARGV entries that
// hold the lock and lockers keys, the owner token, the TTL (ms), now (ms)
// and the holder.
func takeLockLua(lock, lockers, token, ttl, now, holder string) string {
	return fmt.Sprintf(`
if not redis.call('SET', %[1]s, %[3]s, 'NX', 'PX', %[4]s) then return 0 end
redis.call('ZREMRANGEBYSCORE', %[2]s, '-inf', %[5]s)
redis.call('ZADD', %[2]s, tonumber(%[5]s) + tonumber(%[4]s), %[6]s)
if redis.call('PTTL', %[2]s) < tonumber(%[4]s) then redis.call('PEXPIRE', %[2]s, %[4]s) end
`, lock, lockers, token, ttl, now, holder)
}

// lockLoadLua takes the lock of a holder in the chat, if it is free, then
// loads the chat as loadLua does. It returns 0 when the lock is taken,
// else loadLua's reply.
//
// KEYS: 1 history, 2 settings, 3 image index, 4 images, 5 lock, 6 lockers.
// ARGV: 1 max turns, 2 max images, 3 TTL ms, 4 now ms (loadLua's), 5 owner
// token, 6 lock TTL ms, 7 holder.
var lockLoadLua = takeLockLua("KEYS[5]", "KEYS[6]", "ARGV[5]", "ARGV[6]", "ARGV[4]", "ARGV[7]") + loadLua

// appendReleaseLua is appendLua under the lock (KEYS[5]) and, when the
// turn is stored (or was already), releases the lock and takes its holder
// off the lockers (KEYS[6]). The holder is the last ARGV, after appendLua's.
var appendReleaseLua = `
local holder = table.remove(ARGV)
local function appendTurn()
` + appendLua + `
end
local n = appendTurn()
if type(n) == 'number' and n >= 0 then
  redis.call('DEL', KEYS[5])
  redis.call('ZREM', KEYS[6], holder)
end
return n
`
