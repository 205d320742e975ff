--[[
  Saves a conversation record when the stored rev is the one the caller read (optimistic
  concurrency), bumps the rev and (re)sets the key's TTL, all in one atomic step.

  Input:
    KEYS[1]  conversation key ({prefix}:conv:{conversationKey}), a hash {rev, record}
    ARGV[1]  expected rev: a positive integer, or "" when the key must not exist yet
    ARGV[2]  record JSON
    ARGV[3]  TTL in seconds

  Output:
    the new rev (integer), or nil when the stored rev is not the expected one
]]
local key = KEYS[1]
local expectedRev = ARGV[1]

local currentRev = redis.call('HGET', key, 'rev')

if expectedRev == '' then
  if currentRev then
    return nil
  end
elseif not currentRev or tonumber(currentRev) ~= tonumber(expectedRev) then
  return nil
end

local newRev = (currentRev and tonumber(currentRev) or 0) + 1
redis.call('HSET', key, 'rev', string.format('%d', newRev), 'record', ARGV[2])
redis.call('EXPIRE', key, ARGV[3])
return newRev
