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

.PHONY: deps lwip
deps: $(DEPS_STAMP)
lwip: $(LWIP_STAMP)

$(DEPS_STAMP):
	@mkdir -p $(CACHE)
	@CACHE=$(CACHE) $(DEPS_SCRIPT)
	@rm -f $(CACHE)/deps-*.stamp
	@touch $@

$(LWIP_STAMP): | $(DEPS_STAMP)
	@CACHE=$(CACHE) $(DEPS_SCRIPT) lwip
	@rm -f $(LWIP_SRC_DIR)/.fetched-*
	@touch $@
