# Kernel objects: kernel/*.c and kernel/*.S into one relocatable object, build/kernel/kernel.o.
KERNEL_SRCS := $(wildcard $(ROOT)/kernel/*.c) $(wildcard $(ROOT)/kernel/*.S)
KERNEL_OBJS := $(patsubst $(ROOT)/kernel/%,$(BUILD)/kernel/%.o,$(KERNEL_SRCS))
KERNEL_OBJ  := $(BUILD)/kernel/kernel.o

.PHONY: kernel
kernel: $(KERNEL_OBJ)

# Only what include/skiff/*.h declares (plus the boot entries) stays global, so an
# app's own `panic` or `schedule` never collides with the kernel's internals.
KERNEL_EXPORTS := $(BUILD)/kernel/exports.txt

$(KERNEL_EXPORTS): $(wildcard $(ROOT)/include/skiff/*.h) $(ROOT)/tools/kexports.py
	@mkdir -p $(dir $@)
	python3 $(ROOT)/tools/kexports.py $(ROOT)/include > $@

$(KERNEL_OBJ): $(KERNEL_OBJS) $(KERNEL_EXPORTS)
	$(LD) -r -o $@.all $(KERNEL_OBJS)
	$(OBJCOPY) --keep-global-symbols=$(KERNEL_EXPORTS) $@.all $@
	rm -f $@.all

$(BUILD)/kernel/%.c.o: $(ROOT)/kernel/%.c $(ROOT)/mk/toolchain.mk
	@mkdir -p $(dir $@)
	$(CC) $(KERNEL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/kernel/%.S.o: $(ROOT)/kernel/%.S
	@mkdir -p $(dir $@)
	$(CC) $(KERNEL_CFLAGS) -MMD -MP -c $< -o $@

-include $(KERNEL_OBJS:.o=.d)
