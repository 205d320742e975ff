--[[
  Takes a lease when it is free, or extends it for the holder that already has it. A new
  holder gets a fencing token larger than any before: the counter's next value, or the
  server's clock in microseconds if that is larger, so a counter lost with a flushed Redis
  still never goes back.

  Input:
    KEYS[1]  lease key ({prefix}:lease:{name}), a hash {holder, fence}
    KEYS[2]  fence counter key ({prefix}:fence:{name})
    ARGV[1]  holder id
    ARGV[2]  lease TTL in milliseconds
    ARGV[3]  TTL of the fence counter in seconds

  Output:
    the holder's fence (integer), or nil when another holder has the lease
]]
local holder = redis.call('HGET', KEYS[1], 'holder')
if holder and holder ~= ARGV[1] then
  return nil
end
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return tonumber(redis.call('HGET', KEYS[1], 'fence'))
end

local time = redis.call('TIME')
local nowUs = tonumber(time[1]) * 1000000 + tonumber(time[2])
local last = tonumber(redis.call('GET', KEYS[2]) or '0')
local fence = math.max(last + 1, nowUs)
local fenceText = string.format('%d', fence)

redis.call('SET', KEYS[2], fenceText, 'EX', ARGV[3])
redis.call('HSET', KEYS[1], 'holder', ARGV[1], 'fence', fenceText)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return fence
