-- A script that fails at run time: lua prints the message and a traceback on stderr and exits 1.
local function inner(t)
  return t.field.subfield
end
local function outer()
  return inner({})
end
print("before the error")
outer()
print("never printed")
