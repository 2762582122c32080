-- The script's arguments: arg[1..], ... and #arg, as `lua args.lua ...` passes them.
print(#arg, arg[0], ...)
for i = 1, #arg do io.write("[", arg[i], "] ") end
print()
print(select("#", ...))
