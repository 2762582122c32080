# Dependencies: missing Debian packages (`deps`) and lwIP's source (`lwip`), via tools/deps.sh.
# Stamps are keyed on the script's hash, so editing tools/deps.sh reruns it.
DEPS_SCRIPT  := $(ROOT)/tools/deps.sh
DEPS_KEY     := $(shell sha256sum $(DEPS_SCRIPT) 2>/dev/null | cut -c1-12)
DEPS_STAMP   := $(CACHE)/deps-$(DEPS_KEY).stamp

# lwIP's pinned orig tarball (name and sha256 live in tools/deps.sh); the
# stamp sits beside it so removing the folder fetches it again.
LWIP_SRC_DIR := $(CACHE)/lwip
LWIP_TARBALL := $(LWIP_SRC_DIR)/$(shell sed -n 's/^LWIP_ORIG=//p' $(DEPS_SCRIPT))
LWIP_STAMP   := $(LWIP_SRC_DIR)/.fetched-$(DEPS_KEY)

# What only the test suite needs (native programs the ports are compared with, clang
# for the fuzz targets): kept out of `make run`'s path.
TEST_DEPS_STAMP := $(CACHE)/test-deps-$(DEPS_KEY).stamp

.PHONY: deps lwip test-deps
deps: $(DEPS_STAMP)
lwip: $(LWIP_STAMP)
test-deps: $(TEST_DEPS_STAMP)

$(TEST_DEPS_STAMP): | $(DEPS_STAMP)
	@CACHE=$(CACHE) $(DEPS_SCRIPT) ports
	@CACHE=$(CACHE) $(DEPS_SCRIPT) fuzz
	@CACHE=$(CACHE) $(DEPS_SCRIPT) cloud
	@rm -f $(CACHE)/test-deps-*.stamp
	@touch $@

$(DEPS_STAMP):
	@mkdir -p $(CACHE)
	@CACHE=$(CACHE) $(DEPS_SCRIPT)
	@rm -f $(CACHE)/deps-*.stamp
	@touch $@

$(LWIP_STAMP): | $(DEPS_STAMP)
	@CACHE=$(CACHE) $(DEPS_SCRIPT) lwip
	@rm -f $(LWIP_SRC_DIR)/.fetched-*
	@touch $@
