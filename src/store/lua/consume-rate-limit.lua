--[[
  Counts one message in a fixed window: the first message of a window creates the counter
  with the window as its TTL; later ones only increment it, so the window does not slide.
  A counter found without a TTL (should never happen) is given one rather than living forever.

  Input:
    KEYS[1]  rate-limit key ({prefix}:rl:{senderKey})
    ARGV[1]  window length in seconds

  Output:
    the count in the current window, this message included (integer)
]]
local key = KEYS[1]

local count = redis.call('INCR', key)
if count == 1 or redis.call('TTL', key) < 0 then
  redis.call('EXPIRE', key, ARGV[1])
end
return count
