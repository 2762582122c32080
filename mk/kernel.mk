# Kernel objects: kernel/*.c and kernel/*.S into one relocatable object, build/kernel/kernel.o.
KERNEL_SRCS := $(wildcard $(ROOT)/kernel/*.c) $(wildcard $(ROOT)/kernel/*.S)
KERNEL_OBJS := $(patsubst $(ROOT)/kernel/%,$(BUILD)/kernel/%.o,$(KERNEL_SRCS))
KERNEL_OBJ  := $(BUILD)/kernel/kernel.o

.PHONY: kernel
kernel: $(KERNEL_OBJ)

$(KERNEL_OBJ): $(KERNEL_OBJS)
	$(LD) -r -o $@ $^

$(BUILD)/kernel/%.c.o: $(ROOT)/kernel/%.c $(ROOT)/mk/toolchain.mk
	@mkdir -p $(dir $@)
	$(CC) $(KERNEL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/kernel/%.S.o: $(ROOT)/kernel/%.S
	@mkdir -p $(dir $@)
	$(CC) $(KERNEL_CFLAGS) -MMD -MP -c $< -o $@

-include $(KERNEL_OBJS:.o=.d)
