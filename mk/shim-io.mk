# libc-shim's I/O half: the fd table (fd/), files (fs/) and sockets on lwIP (sock/), as libshimio.a.
# Needs mk/net.mk first (sockets are built against lwIP's headers).
SHIMIO_DIRS := fd fs sock
SHIMIO_SRCS := $(foreach d,$(SHIMIO_DIRS),$(wildcard $(ROOT)/libc-shim/$(d)/*.c))
SHIMIO_OBJS := $(patsubst $(ROOT)/libc-shim/%.c,$(BUILD)/libc-shim/%.o,$(SHIMIO_SRCS))
SHIMIO_LIB  := $(BUILD)/libc-shim/libshimio.a
SHIMIO_CFLAGS = $(SHIM_CFLAGS) -I$(ROOT)/libc-shim -I$(ROOT)/libc-shim/fd -I$(ROOT)/libc-shim/fs

.PHONY: shimio
shimio: $(SHIMIO_LIB)

$(SHIMIO_LIB): $(SHIMIO_OBJS)
	@echo "  AR      $(@:$(ROOT)/%=%)"
	@rm -f $@
	@$(AR) rcs $@ $^

define shimio_dir_rule
$(BUILD)/libc-shim/$(1)/%.o: $(ROOT)/libc-shim/$(1)/%.c $(NEWLIB_STAMP) | $(LWIP_UNPACKED)
	@mkdir -p $$(@D)
	@echo "  CC      libc-shim/$(1)/$$*.c"
	@$$(CC) $$(SHIMIO_CFLAGS) $$(SHIMIO_EXTRA) -MMD -MP -c $$< -o $$@
endef
$(foreach d,$(SHIMIO_DIRS),$(eval $(call shimio_dir_rule,$(d))))

# Sockets call lwIP's socket API (every rule above waits for lwIP's unpacked headers).
$(BUILD)/libc-shim/sock/%.o: SHIMIO_EXTRA = $(NET_INC)

-include $(SHIMIO_OBJS:.o=.d)
