-- apply.lua: check guards, then run writes, all or nothing with respect to the guards.
-- KEYS: every key the batch guards or writes, in the order the batch first named them.
-- ARGV[1]: JSON {"g": [[kind, keyIndex, arg, want], ...], "w": [[command, keyIndex, arg...], ...]}
--   guard kinds: "absent" (key does not exist), "value" (GET key == arg, a missing key is ""),
--   "field" (HGET key arg == want, a missing field is ""),
--   "hexists" (HEXISTS key arg == want), "member" (SISMEMBER key arg == want); want is 0 or 1 for both;
--   "hlen" (HLEN key == arg), "scard" (SCARD key == arg); arg is a count, a missing key counts 0;
--   "below" (the number at key, 0 when missing, is less than arg);
--   "zcount" (ZCOUNT key arg +inf == want, a missing key counts 0).
-- Returns 0 when every guard held and every write ran, or the 1-based index of the first guard that
-- failed (then nothing was written).
local batch = cjson.decode(ARGV[1])
for i, g in ipairs(batch.g) do
  local kind, key = g[1], KEYS[g[2]]
  local ok
  if kind == "absent" then
    ok = redis.call("EXISTS", key) == 0
  elseif kind == "field" then
    local v = redis.call("HGET", key, g[3])
    if not v then v = "" end
    ok = v == g[4]
  elseif kind == "value" then
    local v = redis.call("GET", key)
    if not v then v = "" end
    ok = v == g[3]
  elseif kind == "hexists" then
    ok = redis.call("HEXISTS", key, g[3]) == g[4]
  elseif kind == "member" then
    ok = redis.call("SISMEMBER", key, g[3]) == g[4]
  elseif kind == "hlen" then
    ok = redis.call("HLEN", key) == g[3]
  elseif kind == "scard" then
    ok = redis.call("SCARD", key) == g[3]
  elseif kind == "zcount" then
    ok = redis.call("ZCOUNT", key, g[3], "+inf") == g[4]
  elseif kind == "below" then
    ok = (tonumber(redis.call("GET", key)) or 0) < g[3]
  else
    return redis.error_reply("unknown guard " .. tostring(kind))
  end
  if not ok then
    return i
  end
end
for _, w in ipairs(batch.w) do
  redis.call(w[1], KEYS[w[2]], unpack(w, 3))
end
return 0
