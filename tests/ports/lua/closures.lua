-- Closures: counters, shared upvalues, closures in loops, recursion through upvalues, varargs.
local function counter(start, step)
  local n = start
  return function() n = n + step; return n end
end
local c1, c2 = counter(0, 1), counter(100, -10)
print(c1(), c1(), c2(), c1(), c2())

local function pair()
  local v = 0
  return function(x) v = v + x end, function() return v end
end
local add, get = pair()
add(5); add(7)
print("shared upvalue", get())

local fs = {}
for i = 1, 5 do fs[i] = function() return i * i end end
local out = {}
for i = 1, #fs do out[#out + 1] = fs[i]() end
print("loop closures", table.concat(out, ","))

local function memo(f)
  local cache = {}
  return function(n)
    local v = cache[n]
    if v == nil then v = f(n); cache[n] = v end
    return v
  end
end
local fib
fib = memo(function(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end)
print("fib(80)", fib(80))

local function compose(...)
  local fns = table.pack(...)
  return function(x)
    for i = fns.n, 1, -1 do x = fns[i](x) end
    return x
  end
end
print("compose", compose(function(x) return x + 1 end, function(x) return x * 2 end)(10))

local function varargs(...)
  local a, b = ...
  return select("#", ...), a, b, select(-1, ...)
end
print("varargs", varargs(1, nil, 3, nil))

local acc = {}
local function curry(f, n, args)
  args = args or {}
  return function(x)
    local a = table.move(args, 1, #args, 1, {})
    a[#a + 1] = x
    if #a == n then return f(table.unpack(a)) end
    return curry(f, n, a)
  end
end
print("curry", curry(function(a, b, c) return a .. b .. c end, 3)("x")("y")("z"))
for i = 1, 3 do
  local j = i * 10
  acc[i] = function(d) j = j + d; return j end
end
print("independent", acc[1](1), acc[2](2), acc[3](3), acc[1](1))
