--[[
  Extends a lease, only for the holder that has it with this fence.

  Input:
    KEYS[1]  lease key ({prefix}:lease:{name}), a hash {holder, fence}
    ARGV[1]  holder id
    ARGV[2]  the holder's fence
    ARGV[3]  lease TTL in milliseconds

  Output:
    1 when extended, 0 when the lease is gone or held by someone else
]]
local lease = redis.call('HMGET', KEYS[1], 'holder', 'fence')
if lease[1] ~= ARGV[1] or lease[2] ~= ARGV[2] then
  return 0
end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
