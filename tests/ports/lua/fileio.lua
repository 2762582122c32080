-- File I/O: io.open/io.lines/read formats on initrd files, write/append/seek/rename/remove in /tmp, errors.
local function show(...) print(select("#", ...), ...) end

for line in io.lines("data/words.txt") do io.write("[", line, "] ") end
print()
for line in io.lines("data/words.txt", "L") do io.write(#line, " ") end
print()
for a, b in io.lines("data/words.txt", 3, 2) do io.write(a, "|", b, " ") end
print()
local f = assert(io.open("data/numbers.txt"))
show(f:read("n", "n", "n", "n"))
show(f:read("n", "l"))
show(f:read("n"))
show(f:read("l"))
show(f:read("a"))
show(f:read("l"), f:read(0))
f:close()
print(io.type(f), io.type(io.stdout), io.type(42))
print(pcall(f.read, f))

f = assert(io.open("data/words.txt", "rb"))
print(f:seek("end"), f:seek("set", 6), f:read(4), f:seek("cur"), f:seek("cur", -2), f:read(2))
local all = f:read("a")
print(#all, all:sub(-4), f:read("a") == "", f:read("l"), f:read(1))
f:close()

-- Writing in /tmp: a name from os.tmpname (mkstemp), as the program's own code makes it.
local name = os.tmpname()
print("tmpname in /tmp", name:sub(1, 5) == "/tmp/")
f = assert(io.open(name, "w"))
print(io.type(f), io.type(f:write("one\n", 2, "\n", 3.5, "\n")))
print(f:seek("cur"), f:setvbuf("full", 1024), f:flush())
f:close()
f = assert(io.open(name, "a+"))
f:write("four\n")
f:seek("set")
print(f:read("a"))
f:close()
f = assert(io.open(name, "r+"))
f:seek("set", 4)
f:write("X")
f:seek("set")
print((f:read("a"):gsub("\n", "/")))
f:close()
local count = 0
for l in io.lines(name) do count = count + #l end
print("chars", count)

local moved = name .. ".moved"
print(os.rename(name, moved))
print(io.open(name) == nil, select(3, io.open(name)))
print(os.remove(moved), os.remove(moved) == nil)
print(select(2, io.open("/no/such/file")))
print(pcall(io.lines, "/no/such/file"))
print(pcall(io.open, "data/words.txt", "rw"))

-- io.output / io.input redirection
local out = os.tmpname()
io.output(out)
io.write("via io.write\n", 42, "\n")
io.close()
io.output(io.stdout)
io.input(out)
print(io.read("l"), io.read("n"), io.read("l"), io.read("l"))
io.close(io.input())
io.input(io.stdin)
os.remove(out)

-- a bigger file: 20,000 lines written and read back
local big = os.tmpname()
f = assert(io.open(big, "w"))
for i = 1, 20000 do f:write(i, " ", ("x"):rep(i % 17), "\n") end
f:close()
local lines, total = 0, 0
for l in io.lines(big) do
  lines = lines + 1
  total = total + tonumber(l:match("^%d+"))
end
print(lines, total)
os.remove(big)
