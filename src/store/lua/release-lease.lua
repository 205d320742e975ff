--[[
  Gives a lease up, only for the holder that has it with this fence (a late release must not
  free the lease of the next holder).

  Input:
    KEYS[1]  lease key ({prefix}:lease:{name}), a hash {holder, fence}
    ARGV[1]  holder id
    ARGV[2]  the holder's fence

  Output:
    1 when released, 0 otherwise
]]
local lease = redis.call('HMGET', KEYS[1], 'holder', 'fence')
if lease[1] ~= ARGV[1] or lease[2] ~= ARGV[2] then
  return 0
end
redis.call('DEL', KEYS[1])
return 1
