-- table.sort with and without comparators, on numbers, strings and records; table library helpers.
local nums = { 31, 4, 15, 9, 26, 5, 35, 8, 97, 93, 23, 84, 62, 64, 33, 83, 27, 95, 2, 88 }
table.sort(nums)
print(table.concat(nums, " "))
table.sort(nums, function(a, b) return a > b end)
print(table.concat(nums, " "))

local words = { "pear", "Apple", "fig", "banana", "cherry", "apple", "Date", "elderberry" }
table.sort(words)
print(table.concat(words, " "))
table.sort(words, function(a, b)
  if #a ~= #b then return #a < #b end
  return a:lower() < b:lower() or (a:lower() == b:lower() and a < b)
end)
print(table.concat(words, " "))

local people = {
  { name = "Ana", age = 31 }, { name = "Bo", age = 25 }, { name = "Cy", age = 31 },
  { name = "Di", age = 19 }, { name = "Ed", age = 25 },
}
table.sort(people, function(a, b)
  if a.age ~= b.age then return a.age < b.age end
  return a.name < b.name
end)
for _, p in ipairs(people) do io.write(p.name, "(", p.age, ") ") end
print()

-- a bigger pseudo-random array (a fixed LCG, not math.random: same sequence everywhere)
local seed, big = 12345, {}
for i = 1, 2000 do
  seed = (seed * 1103515245 + 12345) % 2147483648
  big[i] = seed % 100000
end
table.sort(big)
local sorted = true
for i = 2, #big do if big[i - 1] > big[i] then sorted = false end end
print("big sorted", sorted, big[1], big[1000], big[2000])

local mixed = { 3.5, 1, 2.25, -7, 10, 0.0, -0.5 }
table.sort(mixed)
for i, v in ipairs(mixed) do mixed[i] = tostring(v) end
print(table.concat(mixed, " "))

local t = { 1, 2, 3 }
table.insert(t, 4)
table.insert(t, 1, 0)
print(table.concat(t, ","), table.remove(t), table.remove(t, 1), table.concat(t, ","))
print(table.concat(table.move({ 1, 2, 3 }, 1, 3, 2, { 9 }), ","), table.unpack({ 1, 2, 3 }, 2))
print(select("#", table.unpack({}, 1, 3)), table.pack(1, nil, 3).n)
print(pcall(table.sort, { 3, 1, "x" }))
print(pcall(table.sort, { 1, 2, 3 }, function(a, b) return true end))
