--[[
  Caches a committed conversation state unless a newer revision is cached already.

  Input:
    KEYS[1]  conversation hash ({prefix}:conv:{conversationKey})
    ARGV[1]  committed rev
    ARGV[2]  record JSON
    ARGV[3]  TTL in seconds

  Output: 1 when written, 0 when a newer (or the same) revision was cached
]]
local cached = tonumber(redis.call('HGET', KEYS[1], 'rev') or '0')
if tonumber(ARGV[1]) <= cached then
  return 0
end
redis.call('HSET', KEYS[1], 'rev', ARGV[1], 'record', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1
