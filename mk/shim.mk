# libc-shim: newlib's OS layer (syscalls, pthreads, time, locks) as libshim.a.
SHIM_SRCS := $(wildcard $(ROOT)/libc-shim/*.c) $(wildcard $(ROOT)/libc-shim/malloc/*.c)
SHIM_OBJS := $(patsubst $(ROOT)/libc-shim/%.c,$(BUILD)/libc-shim/%.o,$(SHIM_SRCS))
SHIM_LIB  := $(BUILD)/libc-shim/libshim.a

include $(ROOT)/mk/shim-regex.mk

.PHONY: shim
shim: $(SHIM_LIB)

$(SHIM_LIB): $(SHIM_OBJS) $(REGEX_OBJS)
	@echo "  AR      $(@:$(ROOT)/%=%)"
	@rm -f $@
	@$(AR) rcs $@ $^

# Objects are rebuilt when newlib is (its headers are ours too).
$(BUILD)/libc-shim/%.o: $(ROOT)/libc-shim/%.c $(NEWLIB_STAMP)
	@mkdir -p $(@D)
	@echo "  CC      $(<:$(ROOT)/%=%)"
	@$(CC) $(SHIM_CFLAGS) -MMD -MP -c $< -o $@

-include $(SHIM_OBJS:.o=.d)
