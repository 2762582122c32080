-- A module loaded by require.lua from the initrd (lib/ is on package.path).
local M = { loads = 0 }
M.loads = M.loads + 1
local name = ...
function M.greet(who) return "hello, " .. who .. " from " .. name end
return M
