-- A submodule: require("pkg.util") looks for lib/pkg/util.lua.
return { double = function(x) return 2 * x end }
