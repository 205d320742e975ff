--[[
  The end of a turn that committed: cache the committed state unless a newer revision is cached
  already (the database is the record; the cache only moves forward), remember the answer for
  redeliveries, and release the lock if this turn still holds it.

  Input:
    KEYS[1]  conversation hash ({prefix}:conv:{conversationKey})
    KEYS[2]  turn lock ({prefix}:lock:{conversationKey})
    KEYS[3]  answered message ({prefix}:ans:…), written only when ARGV[5] is not ""
    ARGV[1]  lock token
    ARGV[2]  committed rev
    ARGV[3]  record JSON
    ARGV[4]  conversation TTL in seconds
    ARGV[5]  replies JSON, or "" for a staff event
    ARGV[6]  de-duplication window in seconds

  Output: 1
]]
local cached = tonumber(redis.call('HGET', KEYS[1], 'rev') or '0')
if tonumber(ARGV[2]) > cached then
  redis.call('HSET', KEYS[1], 'rev', ARGV[2], 'record', ARGV[3])
end
redis.call('EXPIRE', KEYS[1], ARGV[4])
if ARGV[5] ~= '' then
  redis.call('SET', KEYS[3], ARGV[5], 'EX', ARGV[6])
end
if redis.call('GET', KEYS[2]) == ARGV[1] then
  redis.call('DEL', KEYS[2])
end
return 1
