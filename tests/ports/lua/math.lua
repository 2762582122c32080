-- Integer and float arithmetic: types, division, modulo, overflow, conversion, bitwise, math library.
print(1, 1.0, -0.0, 3 / 2, 3 // 2, 3.0 // 2, -3 // 2, 3 % -2, -3 % 2, 5.5 % 2, -5.5 % 2)
print(math.type(1), math.type(1.0), math.type("1"), math.type(2 ^ 2), math.type(7 // 2))
print(math.maxinteger, math.mininteger, math.maxinteger + 1 == math.mininteger, math.mininteger - 1)
print(math.maxinteger * 2, math.mininteger // -1, math.mininteger % -1)
print(1e308 * 10, -1e308 * 10, 0 / 0 ~= 0 / 0, math.huge // 1, -math.huge % 2)
print(2 ^ 53, 2 ^ 53 + 1, (2 ^ 53) | 0, math.tointeger(2 ^ 53), math.tointeger(0.5), math.tointeger("8"))
print(7 // 0.0, -7 // 0.0, 0 / 0 == 0 / 0, pcall(function() return 1 % 0 end))
print(3 == 3.0, math.ult(1, -1), 1 < 1.5, -1 > -1.5, 2 ^ 63 == math.mininteger, math.maxinteger + 0.0 == 2 ^ 63)
print(0xff, 0x7fffffffffffffff, 0xffffffffffffffff, 1e2, .5, 3., 0x.8p1, 0xA.8p0)
print(5 & 3, 5 | 3, 5 ~ 3, ~5, 1 << 62, 1 << 63, 1 << 64, -1 >> 1, 2 ^ -1)
print(math.floor(3.7), math.ceil(3.2), math.floor(-3.5), math.ceil(-3.5), math.floor(2 ^ 70))
print(math.abs(-4), math.abs(-4.5), math.abs(math.mininteger), math.max(3, 7.5, -1), math.min(3, 7.5, -1))
print(math.fmod(7, 3), math.fmod(-7, 3), math.fmod(7, -3.5), math.fmod(-6, 2), pcall(math.fmod, 1, 0))
print(math.modf(3.7), math.modf(-3.7), math.modf(5), math.modf(math.huge))
print(math.sqrt(16), math.sqrt(2), math.exp(0), math.log(1), math.log(8, 2), math.log(100, 10), math.log(2.718281828459045))
print(string.format("%.12f %.12f %.12f %.12f", math.sin(1), math.cos(1), math.tan(0.5), math.atan(1, 2)))
print(string.format("%.12f %.12f %.12f", math.asin(0.5), math.acos(0.5), math.exp(2.5)))
print(string.format("%.12g %.12g %.12g", math.log(10), 2 ^ 0.5, 10 ^ -3))
print(math.pi, -math.pi, math.huge, -math.huge)
print(tonumber("10"), tonumber("10.0"), tonumber(" 0x10 "), tonumber("1e1"), tonumber("z", 36), tonumber("777", 8), tonumber("8", 8))
print(tonumber(""), tonumber("1 2"), tonumber("0x"), tonumber("inf"), tonumber("nan"), tonumber(nil))
print(string.format("%d", 3.0), pcall(string.format, "%d", 3.5), math.floor(-0.0), 1 / math.floor(-0.0))
local sum, fsum = 0, 0.0
for i = 1, 1000 do sum = sum + i * i; fsum = fsum + 1 / i end
print(sum, string.format("%.14g", fsum))
local x = 1
for _ = 1, 70 do x = x * 3 end
print("wrapped", x)
for i = 10, 1, -3 do io.write(i, " ") end
for i = 1.0, 2.0, 0.25 do io.write(i, " ") end
print()
print(8 // 3 * 3 + 8 % 3, -8 // 3 * 3 + -8 % 3, 2 ^ 3 ^ 2, -2 ^ 2, not nil == true)
print(#"abc" + 1, "2" + "3", "2" * "3", 10 / "4", "0x10" + 0, " 5 " * 1)
math.randomseed(42)
print(math.random(1, 100), math.random(1, 100), math.random(1000000), string.format("%.10f", math.random()))
