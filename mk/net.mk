# net: lwIP 2.1.3 (unpacked from Debian's pinned orig tarball) + skiff's port in net/, as libnet.a.
LWIP_VERSION  := 2.1.3
LWIP_DIR      := $(CACHE)/lwip-$(LWIP_VERSION)
# Short, named fixes applied at unpack time (each file says why); editing one re-unpacks.
LWIP_PATCHES  := $(sort $(wildcard $(ROOT)/net/patches/*.patch))
LWIP_PATCH_KEY := $(shell cat $(LWIP_PATCHES) /dev/null | sha256sum | cut -c1-8)
LWIP_UNPACKED := $(LWIP_DIR)/.unpacked-$(DEPS_KEY)-$(LWIP_PATCH_KEY)
NET_LIB       := $(BUILD)/net/libnet.a
NET_INC        = -I$(ROOT)/net -I$(LWIP_DIR)/src/include

# What skiff uses from lwIP's src/Filelists.mk: COREFILES (without altcp),
# CORE4FILES (without autoip), APIFILES and netif/ethernet.c. No IPv6,
# PPP, 6LoWPAN, bridge or SLIP.
LWIP_FILES := \
	core/init.c core/def.c core/dns.c core/inet_chksum.c core/ip.c \
	core/mem.c core/memp.c core/netif.c core/pbuf.c core/raw.c core/stats.c \
	core/sys.c core/tcp.c core/tcp_in.c core/tcp_out.c core/timeouts.c core/udp.c \
	core/ipv4/dhcp.c core/ipv4/etharp.c core/ipv4/icmp.c core/ipv4/ip4_frag.c \
	core/ipv4/ip4.c core/ipv4/ip4_addr.c core/ipv4/igmp.c \
	api/api_lib.c api/api_msg.c api/err.c api/if_api.c api/netbuf.c \
	api/sockets.c api/tcpip.c \
	netif/ethernet.c
LWIP_SRCS := $(addprefix $(LWIP_DIR)/src/,$(LWIP_FILES))
LWIP_OBJS := $(patsubst $(LWIP_DIR)/src/%.c,$(BUILD)/net/lwip/%.o,$(LWIP_SRCS))

NET_SRCS := $(wildcard $(ROOT)/net/*.c)
NET_OBJS := $(patsubst $(ROOT)/net/%.c,$(BUILD)/net/port/%.o,$(NET_SRCS))

# lwIP's own files: our flags and newlib headers, warnings shown but not fatal.
LWIP_CFLAGS = $(IMAGE_CFLAGS) $(LIBC_CPPFLAGS) -I$(ROOT)/include $(NET_INC) \
	-Wall -Wno-address -Wno-unused-parameter
# The port is our code: -Werror.
NET_CFLAGS = $(IMAGE_CFLAGS) $(WARN_CFLAGS) $(LIBC_CPPFLAGS) -I$(ROOT)/include $(NET_INC)

.PHONY: net lwip-src
net: $(NET_LIB)
lwip-src: $(LWIP_UNPACKED)

$(LWIP_UNPACKED): $(LWIP_STAMP) $(LWIP_PATCHES)
	@echo "  UNPACK  $(notdir $(LWIP_TARBALL))"
	@rm -rf $(LWIP_DIR) $(LWIP_DIR).tmp && mkdir -p $(LWIP_DIR).tmp
	@tar -xJf $(LWIP_TARBALL) -C $(LWIP_DIR).tmp --strip-components=1
	@test -f $(LWIP_DIR).tmp/src/Filelists.mk || \
		{ echo "lwip: $(LWIP_TARBALL) has no src/Filelists.mk" >&2; exit 1; }
	@for p in $(LWIP_PATCHES); do \
		echo "  PATCH   lwip: $$(basename $$p)"; \
		patch -s -p1 -d $(LWIP_DIR).tmp < $$p || exit 1; \
	done
	@mv $(LWIP_DIR).tmp $(LWIP_DIR)
	@touch $@

# The sources appear when the tarball is unpacked (order-only: their old
# mtimes must not force rebuilds).
$(LWIP_SRCS): | $(LWIP_UNPACKED)

$(NET_LIB): $(LWIP_OBJS) $(NET_OBJS)
	@echo "  AR      $(@:$(ROOT)/%=%)"
	@rm -f $@
	@$(AR) rcs $@ $^

$(BUILD)/net/lwip/%.o: $(LWIP_DIR)/src/%.c $(ROOT)/net/lwipopts.h $(NEWLIB_STAMP) | $(LWIP_UNPACKED)
	@mkdir -p $(@D)
	@echo "  CC      lwip/$*.c"
	@$(CC) $(LWIP_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/net/port/%.o: $(ROOT)/net/%.c $(NEWLIB_STAMP) | $(LWIP_UNPACKED)
	@mkdir -p $(@D)
	@echo "  CC      $(<:$(ROOT)/%=%)"
	@$(CC) $(NET_CFLAGS) -MMD -MP -c $< -o $@

-include $(LWIP_OBJS:.o=.d) $(NET_OBJS:.o=.d)
