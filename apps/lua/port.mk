# apps/lua: the `lua` interpreter of Lua 5.4 (Debian's lua5.4 orig tarball, unmodified) as a skiff image.
#
#   make lua                                  -> build/apps/lua/lua.elf
#   make lua LUA_FILES=DIR LUA_OUT=x/lua.elf  -> the same with DIR's files in the initrd
#   tools/skiff run build/apps/lua/lua.elf -- /script.lua ARGS...
LUA_VERSION  := 5.4.4
LUA_DIR      := $(CACHE)/lua-$(LUA_VERSION)
LUA_UNPACKED := $(LUA_DIR)/.unpacked-$(DEPS_KEY)
LUA_OUT      ?= $(BUILD)/apps/lua/lua.elf
LUA_FILES    ?=

# What upstream's src/Makefile links into `lua`: CORE_O, LIB_O and LUA_O (not luac).
LUA_CORE := lapi lcode lctype ldebug ldo ldump lfunc lgc llex lmem lobject lopcodes \
	lparser lstate lstring ltable ltm lundump lvm lzio
LUA_LIB  := lauxlib lbaselib lcorolib ldblib liolib lmathlib loadlib loslib lstrlib \
	ltablib lutf8lib linit
LUA_SRCS := $(foreach f,$(LUA_CORE) $(LUA_LIB) lua,$(LUA_DIR)/src/$(f).c)
# Upstream's `make posix` flags: 5.3 compatibility on (as in its Makefile), POSIX
# calls (mkstemp, popen, _setjmp, getc_unlocked...); no dlopen, no readline.
LUA_DEFS := -D LUA_COMPAT_5_3 -D LUA_USE_POSIX

.PHONY: lua lua-src
## lua: Lua 5.4's interpreter as build/apps/lua/lua.elf (LUA_FILES=DIR adds an initrd)
lua: $(LUA_UNPACKED)
	@$(ROOT)/tools/skiff build -q $(LUA_SRCS) $(LUA_DEFS) \
		$(if $(LUA_FILES),--files $(LUA_FILES)) -o $(LUA_OUT)
lua-src: $(LUA_UNPACKED)

$(LUA_UNPACKED): $(DEPS_SCRIPT) | $(DEPS_STAMP)
	@tarball=$$(CACHE=$(CACHE) sh $(DEPS_SCRIPT) source lua) && \
	echo "  UNPACK  $$(basename $$tarball)" && \
	rm -rf $(LUA_DIR) $(LUA_DIR).tmp && mkdir -p $(LUA_DIR).tmp && \
	tar -xzf $$tarball -C $(LUA_DIR).tmp --strip-components=1 && \
	test -f $(LUA_DIR).tmp/src/lua.c && \
	mv $(LUA_DIR).tmp $(LUA_DIR) && touch $@
