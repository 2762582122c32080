-- require: modules from the initrd through package.path, caching in package.loaded, packages, errors.
package.path = "./lib/?.lua;./lib/?/init.lua"
package.cpath = ""
local m = require("mymod")
print(m.greet("skiff"), m.loads)
print(require("mymod") == m, package.loaded.mymod == m)
local pkg = require("pkg")
print(pkg.version, pkg.sub.double(21), package.loaded["pkg.util"] == pkg.sub)
print(package.searchpath("mymod", package.path))
print(package.searchpath("nothere", package.path))
local ok, err = pcall(require, "nothere")
print(ok, err)
package.preload.virtual = function(name, extra) return { name = name, extra = extra } end
local v = require("virtual")
print(v.name, v.extra)
print(#package.searchers, package.config:sub(1, 1))
local chunk = assert(loadfile("lib/mymod.lua"))
print(chunk("direct").greet("loadfile"))
print(pcall(dofile, "no_such_file.lua"))
print(load("return 1 + ...")(41), load("syntax error here"))
