-- pcall, xpcall and error: levels, non-string error values, runtime error messages, assert, tostring.
print(pcall(error, "plain"))
print(pcall(error, "no position", 0))
print(pcall(function() error("level 1") end))
local function thrower() error("level 2", 2) end
print(pcall(function() thrower() end))
print(select("#", pcall(error, { code = 42 })), type(select(2, pcall(error, { code = 42 }))))
local ok, e = pcall(error, setmetatable({}, { __tostring = function() return "custom error" end }))
print(ok, tostring(e))
print(pcall(error))
print(select("#", pcall(error, nil)))

print(pcall(function() local t = nil; return t.x end))
print(pcall(function() return 1 + {} end))
print(pcall(function() return #5 end))
print(pcall(function() return ("x")() end))
print(pcall(function() local a = "abc"; return a < 1 end))
print(pcall(function() return 1 // 0 end))
print(pcall(function() return math.tointeger(2 ^ 63) or error("no integer") end))
print(pcall(string.rep, "x", -1))
print(pcall(setmetatable, 1, {}))
print(pcall(assert, false))
print(pcall(assert, nil, "assert message"))
print(pcall(assert, 1 == 1, "unused"))

print(xpcall(function() error("with handler") end, function(m) return "handled: " .. m end))
print(xpcall(function(a, b) return a + b end, print, 3, 4))
local depth = 0
local function recurse() depth = depth + 1; return recurse() + 1 end
local ok2, msg = pcall(recurse)
print("stack overflow caught", ok2, msg, depth > 1000)

-- error in a __index metamethod, and error objects passing through levels
local proxy = setmetatable({}, { __index = function(_, k) error("no field " .. k) end })
print(pcall(function() return proxy.missing end))
local function rethrow()
  local ok3, err = pcall(error, { tag = "inner" })
  error(err)
end
local ok4, obj = pcall(rethrow)
print(ok4, type(obj), obj.tag)
print(pcall(pcall))
print(pcall(error, "msg", 3))
-- to-be-closed variables run on error
do
  local log = {}
  pcall(function()
    local x <close> = setmetatable({}, { __close = function(_, err) log[#log + 1] = "closed with " .. tostring(err) end })
    error("boom", 0)
  end)
  print(log[1])
end
-- warn is off by default
warn("not shown")
print("end")
