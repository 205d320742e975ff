--[[
  Extends the turn lock while its holder still holds it.

  Input:
    KEYS[1]  turn lock ({prefix}:lock:{conversationKey})
    ARGV[1]  lock token
    ARGV[2]  lease in milliseconds

  Output: 1 when extended, 0 when the lock is gone or someone else's
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
