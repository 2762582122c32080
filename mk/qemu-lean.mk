# skiff's lean QEMU: `make qemu-lean` builds it once into $(CACHE) (tools/deps.sh qemu-lean,
# tools/qemu/build.sh) and copies it to build/bin/qemu-lean, which skiff run uses for
# microvm (tools/skiffpy/qemu.py qemu_for). Part of `make all` and `make test` (about 4
# minutes once, on 2 cores); QEMU_LEAN=no leaves it out, and skiff run uses Debian's QEMU.
QEMU_LEAN ?= yes
QEMU_LEAN_INPUTS := $(wildcard $(ROOT)/tools/qemu/*) $(DEPS_SCRIPT)

.PHONY: qemu-lean
qemu-lean: $(BUILD)/bin/qemu-lean
ifeq ($(QEMU_LEAN),yes)
all test: qemu-lean
endif

$(BUILD)/bin/qemu-lean: $(QEMU_LEAN_INPUTS) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	@built=$$(CACHE=$(CACHE) $(DEPS_SCRIPT) qemu-lean) && cp "$$built" $@.tmp && mv $@.tmp $@
