-- A package found through ./lib/?/init.lua.
return { version = "1.2", sub = require("pkg.util") }
