-- A script that does not compile: lua reports the line and the token, exits 1, prints nothing.
print("never printed")
local x = = 1
