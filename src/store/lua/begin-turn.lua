--[[
  The start of a turn, in one round trip: was the message answered already; count it against
  its rate limits; take the conversation's lock; read the cached state.

  Input:
    KEYS[1]    conversation hash ({prefix}:conv:{conversationKey})
    KEYS[2]    turn lock ({prefix}:lock:{conversationKey})
    KEYS[3]    answered message ({prefix}:ans:…), checked only when ARGV[3] is "1"
    KEYS[4..]  rate-limit counters ({prefix}:rl:{key}), one per rule
    ARGV[1]    lock token
    ARGV[2]    lease in milliseconds
    ARGV[3]    "1" to check KEYS[3], "0" for a staff event
    ARGV[4..]  per counter: limit, window in seconds

  Output (first element is the status):
    {"answered", repliesJson}
    {"rate_limited", counterIndex (1-based), count}
    {"busy"}
    {"acquired", rev or false, recordJson or false}
]]
if ARGV[3] == '1' then
  local replies = redis.call('GET', KEYS[3])
  if replies then
    return {'answered', replies}
  end
end

local over = nil
for i = 4, #KEYS do
  local limit = tonumber(ARGV[4 + (i - 4) * 2])
  local window = ARGV[5 + (i - 4) * 2]
  local count = redis.call('INCR', KEYS[i])
  if count == 1 or redis.call('TTL', KEYS[i]) < 0 then
    redis.call('EXPIRE', KEYS[i], window)
  end
  if over == nil and count > limit then
    over = {'rate_limited', i - 3, count}
  end
end
if over then
  return over
end

if not redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {'busy'}
end
local stored = redis.call('HMGET', KEYS[1], 'rev', 'record')
return {'acquired', stored[1] or false, stored[2] or false}
