--[[
  Releases the turn lock when its holder still holds it (never someone else's).

  Input:
    KEYS[1]  turn lock ({prefix}:lock:{conversationKey})
    ARGV[1]  lock token

  Output: 1 when released, 0 otherwise
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
