-- Coroutines: generators, passing values both ways, status, wrap, errors inside, close.
local function gen(n)
  return coroutine.wrap(function()
    for i = 1, n do coroutine.yield(i * i) end
    return "done"
  end)
end
local g = gen(4)
print(g(), g(), g(), g(), g())

local co = coroutine.create(function(a, b)
  print("start", a, b)
  local c = coroutine.yield(a + b)
  print("got", c)
  local d, e = coroutine.yield(c * 2)
  print("got", d, e)
  return d + e, "end"
end)
print(coroutine.status(co))
print(coroutine.resume(co, 1, 2))
print(coroutine.status(co))
print(coroutine.resume(co, 10))
print(coroutine.resume(co, 3, 4))
print(coroutine.status(co))
print(coroutine.resume(co))

local bad = coroutine.create(function() local x = nil; return x.field end)
local ok, err = coroutine.resume(bad)
print("error inside", ok, err)
print(coroutine.status(bad))

-- producer / consumer
local function producer(items)
  return coroutine.create(function()
    for _, v in ipairs(items) do coroutine.yield(v) end
  end)
end
local function filter(src, pred)
  return coroutine.create(function()
    while true do
      local ok2, v = coroutine.resume(src)
      if not v then return end
      if pred(v) then coroutine.yield(v) end
    end
  end)
end
local f = filter(producer({ 5, 8, 13, 21, 34, 55 }), function(v) return v % 2 == 1 end)
local got = {}
while true do
  local _, v = coroutine.resume(f)
  if not v then break end
  got[#got + 1] = v
end
print("odd", table.concat(got, " "))

print(coroutine.isyieldable(), select(2, coroutine.running()))
local inner = coroutine.wrap(function() return coroutine.isyieldable(), select(2, coroutine.running()) end)
print(inner())
local sleeping = coroutine.create(function() coroutine.yield() end)
coroutine.resume(sleeping)
print("close", coroutine.close(sleeping), coroutine.status(sleeping))
-- deep nesting of coroutines
local function nest(n)
  if n == 0 then return 0 end
  return coroutine.wrap(function() coroutine.yield(nest(n - 1) + 1) end)()
end
print("nested", nest(50))
