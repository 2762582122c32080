# The app rule: link app objects + libc-shim + newlib + kernel into one PVH ELF (stripped, and .debug).
# Usage: make app APP_NAME=hello APP_SRCS="/abs/hello.c" APP_OUT=/abs/hello.elf
APP_NAME ?= app
APP_OUT  ?= $(BUILD)/apps/$(APP_NAME)/$(APP_NAME).elf
APP_OBJDIR := $(BUILD)/apps/$(APP_NAME)/obj
app_obj = $(APP_OBJDIR)/$(subst /,_,$(patsubst /%,%,$(abspath $(1)))).o
APP_OBJS := $(foreach s,$(APP_SRCS),$(call app_obj,$(s)))

# APP_EXTRA_CFLAGS (skiff build -I/-D/--cflags) live in a file that changes only when they
# do, so objects built with other flags are rebuilt.
APP_FLAGS_FILE := $(APP_OBJDIR)/extra-cflags
ifneq ($(strip $(APP_SRCS)),)
ifneq ($(wildcard $(APP_FLAGS_FILE))|$(file <$(APP_FLAGS_FILE)),$(APP_FLAGS_FILE)|$(strip $(APP_EXTRA_CFLAGS)))
$(shell mkdir -p $(APP_OBJDIR))
$(file >$(APP_FLAGS_FILE),$(strip $(APP_EXTRA_CFLAGS)))
endif
endif

define app_compile_rule
$(call app_obj,$(1)): $(1) $(NEWLIB_STAMP) $(ROOT)/mk/toolchain.mk $(APP_FLAGS_FILE)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(APP_CFLAGS) $$(APP_EXTRA_CFLAGS) -MMD -MP -c $$< -o $$@
endef
$(foreach s,$(APP_SRCS),$(eval $(call app_compile_rule,$(s))))
-include $(APP_OBJS:.o=.d)

# APP_MULTIBOOT=1: add a Multiboot v1 header (QEMU then boots through it, not PVH).
MULTIBOOT_OBJ := $(BUILD)/kernel/variant/multiboot_header.o
APP_VARIANT_OBJS := $(if $(filter 1,$(APP_MULTIBOOT)),$(MULTIBOOT_OBJ))

$(MULTIBOOT_OBJ): $(ROOT)/kernel/variant/multiboot_header.S
	@mkdir -p $(dir $@)
	$(CC) $(KERNEL_CFLAGS) -c $< -o $@

IMAGE_INPUTS = $(KERNEL_OBJ) $(APP_VARIANT_OBJS) $(APP_OBJS) --start-group $(SHIM_LIB) $(SHIMIO_LIB) \
	$(NET_LIB) $(DRIVERS_LIB) $(NEWLIB_LIBS) $(LIBGCC) --end-group

.PHONY: app
app: $(APP_OUT)

# Link twice: the second link adds the symbol table (.ksyms) after everything else,
# so no address moves; the fault handler uses it to name functions.
$(APP_OUT): $(APP_OBJS) $(APP_VARIANT_OBJS) $(KERNEL_OBJ) $(SHIM_LIB) $(SHIMIO_LIB) $(NET_LIB) $(DRIVERS_LIB) $(NEWLIB_STAMP) $(ROOT)/kernel/kernel.ld $(ROOT)/tools/mksyms.py
	@test -n "$(APP_SRCS)" || { echo "app: no sources (APP_SRCS)" >&2; exit 2; }
	@mkdir -p $(dir $@) $(APP_OBJDIR)
	$(LD) $(IMAGE_LDFLAGS) -o $(APP_OBJDIR)/pass1.elf $(IMAGE_INPUTS)
	python3 $(ROOT)/tools/mksyms.py $(NM) $(APP_OBJDIR)/pass1.elf $(APP_OBJDIR)/ksyms.S
	$(CC) -c $(APP_OBJDIR)/ksyms.S -o $(APP_OBJDIR)/ksyms.o
	$(LD) $(IMAGE_LDFLAGS) -o $@.debug $(IMAGE_INPUTS) $(APP_OBJDIR)/ksyms.o
	$(STRIP) --strip-all -R .comment -o $@ $@.debug

# The default app (a sub-make, so APP_* describe it alone).
.PHONY: hello
hello:
	@$(MAKE) -s --no-print-directory -C $(ROOT) app APP_NAME=hello \
		APP_SRCS="$(ROOT)/apps/hello/hello.c" APP_OUT=$(BUILD)/apps/hello/hello.elf
