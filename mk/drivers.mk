# drivers/: PCI, virtio (MMIO + PCI transports), virtio-net, virtio-blk into libdrivers.a (DRIVERS_LIB).
DRIVERS_SRCS := $(wildcard $(ROOT)/drivers/*.c)
DRIVERS_OBJS := $(patsubst $(ROOT)/drivers/%.c,$(BUILD)/drivers/%.o,$(DRIVERS_SRCS))
DRIVERS_LIB  := $(BUILD)/drivers/libdrivers.a
DRIVERS_CFLAGS = $(KERNEL_CFLAGS) -I$(ROOT)/drivers

.PHONY: drivers
drivers: $(DRIVERS_LIB)

$(DRIVERS_LIB): $(DRIVERS_OBJS)
	@echo "  AR      $(@:$(ROOT)/%=%)"
	@rm -f $@
	@$(AR) rcs $@ $^

$(BUILD)/drivers/%.o: $(ROOT)/drivers/%.c $(ROOT)/mk/toolchain.mk $(ROOT)/mk/drivers.mk
	@mkdir -p $(@D)
	@echo "  CC      $(<:$(ROOT)/%=%)"
	@$(CC) $(DRIVERS_CFLAGS) -MMD -MP -c $< -o $@

-include $(DRIVERS_OBJS:.o=.d)
