-- apply.lua: check guards, then run writes, all or nothing with respect to the guards.
-- KEYS: every key the batch guards or writes, in the order the batch first named them.
-- ARGV: flat, binary-safe (no JSON to encode or decode): ARGV[1] is the number of guards; then each
--   guard, then each write, as n, then n values: kind, keyIndex, args... for a guard, and command,
--   keyIndex, args... for a write (keyIndex is 1-based into KEYS).
--   guard kinds: "absent" (key does not exist), "value" (GET key == arg, a missing key is ""),
--   "field" (HGET key arg == want, a missing field is ""),
--   "hexists" (HEXISTS key arg == want), "member" (SISMEMBER key arg == want); want is 0 or 1 for both;
--   "hlen" (HLEN key == arg), "scard" (SCARD key == arg); arg is a count, a missing key counts 0;
--   "below" (the number at key, 0 when missing, is less than arg);
--   "zcount" (ZCOUNT key arg +inf == want, a missing key counts 0);
--   "unscored" (arg is not a member of the sorted set at key).
-- Returns 0 when every guard held and every write ran, or the 1-based index of the first guard that
-- failed (then nothing was written).
local i = 2
for gi = 1, tonumber(ARGV[1]) do
  local n = tonumber(ARGV[i])
  local kind, key, a, b = ARGV[i + 1], KEYS[tonumber(ARGV[i + 2])], ARGV[i + 3], ARGV[i + 4]
  local ok
  if kind == "absent" then
    ok = redis.call("EXISTS", key) == 0
  elseif kind == "field" then
    ok = (redis.call("HGET", key, a) or "") == b
  elseif kind == "value" then
    ok = (redis.call("GET", key) or "") == a
  elseif kind == "hexists" then
    ok = redis.call("HEXISTS", key, a) == tonumber(b)
  elseif kind == "member" then
    ok = redis.call("SISMEMBER", key, a) == tonumber(b)
  elseif kind == "hlen" then
    ok = redis.call("HLEN", key) == tonumber(a)
  elseif kind == "scard" then
    ok = redis.call("SCARD", key) == tonumber(a)
  elseif kind == "zcount" then
    ok = redis.call("ZCOUNT", key, a, "+inf") == tonumber(b)
  elseif kind == "unscored" then
    ok = not redis.call("ZSCORE", key, a)
  elseif kind == "below" then
    ok = (tonumber(redis.call("GET", key)) or 0) < tonumber(a)
  else
    return redis.error_reply("unknown guard " .. tostring(kind))
  end
  if not ok then
    return gi
  end
  i = i + n + 1
end
while i <= #ARGV do
  local n = tonumber(ARGV[i])
  redis.call(ARGV[i + 1], KEYS[tonumber(ARGV[i + 2])], unpack(ARGV, i + 3, i + n))
  i = i + n + 1
end
return 0
