# newlib 3.3.0 from Debian's newlib-source, built once into a cache keyed by version and flags.
NEWLIB_CFLAGS := -O2 -g -fno-pic -fno-pie -mno-red-zone -fno-stack-protector \
	-fno-asynchronous-unwind-tables -fno-omit-frame-pointer \
	-ffunction-sections -fdata-sections \
	-U__linux__ -U__gnu_linux__ -U__unix__ -U__unix -Ulinux -Uunix \
	-D__DYNAMIC_REENT__
NEWLIB_CONFIG := --target=x86_64-elf --disable-multilib --disable-nls \
	--disable-newlib-supplied-syscalls --enable-newlib-io-long-long \
	--enable-newlib-io-long-double \
	--enable-newlib-io-c99-formats --enable-newlib-retargetable-locking \
	--disable-libgloss
# x86-64's long double is not double, so newlib's <math.h> leaves most *l functions
# undeclared, and newlib's own complex *l code (cargl, cexpl, csqrtl...) calls them as
# implicit int functions: once libc-shim defines them (mathl_*.c) those members would
# link and return garbage. They are deleted from libm.a, so a program that needs one
# fails to link instead. The list is part of the cache key.
NEWLIB_LDBL_IMPLICIT := acosl asinl atanl atan2l cosl sinl tanl coshl sinhl tanhl \
	acoshl asinhl atanhl expl exp2l expm1l frexpl ldexpl logl log10l log1pl log2l \
	logbl ilogbl modfl scalbnl scalblnl cbrtl fabsl powl erfl erfcl lgammal tgammal \
	ceill floorl nearbyintl rintl lrintl llrintl roundl lroundl llroundl truncl fmodl \
	remainderl remquol copysignl nextafterl nexttowardl fdiml fmaxl fminl fmal
# printf's %La takes the significand from frexp((double)x), dropping 11 bits of a long
# double (newlib's own FIXME asks for frexpl): the build points it at libc-shim's frexpl.
NEWLIB_FREXPL := s|^\#  define FREXP(f,e) ((_LONG_DOUBLE) frexp ((double)f, e))$$|extern _LONG_DOUBLE frexpl (_LONG_DOUBLE, int *);\n\#  define FREXP frexpl|
NEWLIB_KEY   := $(shell echo '$(NEWLIB_SHA256) $(NEWLIB_CFLAGS) $(NEWLIB_CONFIG) $(NEWLIB_LDBL_IMPLICIT) $(NEWLIB_FREXPL)' | sha256sum | cut -c1-12)
NEWLIB_PREFIX := $(CACHE)/newlib-$(NEWLIB_VERSION)-$(NEWLIB_KEY)
NEWLIB_DIR   := $(NEWLIB_PREFIX)/x86_64-elf
NEWLIB_STAMP := $(NEWLIB_PREFIX)/.built
NEWLIB_LIBS   = $(NEWLIB_DIR)/lib/libc.a $(NEWLIB_DIR)/lib/libm.a

.PHONY: newlib
newlib: $(NEWLIB_STAMP)
deps: $(NEWLIB_STAMP)

$(NEWLIB_STAMP): | $(DEPS_STAMP)
	@echo "  NEWLIB  building newlib $(NEWLIB_VERSION) into $(NEWLIB_PREFIX) (about a minute, once)"
	@echo "$(NEWLIB_SHA256)  $(NEWLIB_TARBALL)" | sha256sum -c --quiet - || \
		{ echo "newlib: $(NEWLIB_TARBALL) does not match the pinned sha256" >&2; exit 1; }
	rm -rf $(NEWLIB_PREFIX).tmp && mkdir -p $(NEWLIB_PREFIX).tmp/src $(NEWLIB_PREFIX).tmp/obj
	tar -xJf $(NEWLIB_TARBALL) -C $(NEWLIB_PREFIX).tmp/src --strip-components=1
	for f in vfprintf.c vfwprintf.c; do \
		sed -i '$(NEWLIB_FREXPL)' $(NEWLIB_PREFIX).tmp/src/newlib/libc/stdio/$$f && \
		grep -q '^#  define FREXP frexpl$$' $(NEWLIB_PREFIX).tmp/src/newlib/libc/stdio/$$f || \
		{ echo "newlib: stdio/$$f: the %La frexpl edit did not apply" >&2; exit 1; }; \
	done
	cd $(NEWLIB_PREFIX).tmp/obj && ../src/configure $(NEWLIB_CONFIG) \
		--prefix=$(NEWLIB_PREFIX) \
		CC_FOR_TARGET=gcc AR_FOR_TARGET=ar AS_FOR_TARGET=as LD_FOR_TARGET=ld \
		NM_FOR_TARGET=nm RANLIB_FOR_TARGET=ranlib OBJCOPY_FOR_TARGET=objcopy \
		OBJDUMP_FOR_TARGET=objdump STRIP_FOR_TARGET=strip READELF_FOR_TARGET=readelf \
		CFLAGS_FOR_TARGET='$(NEWLIB_CFLAGS)' > ../configure.log 2>&1 || \
		{ tail -20 ../configure.log; exit 1; }
	$(MAKE) -C $(NEWLIB_PREFIX).tmp/obj -j$$(nproc) all > $(NEWLIB_PREFIX).tmp/build.log 2>&1 || \
		{ tail -30 $(NEWLIB_PREFIX).tmp/build.log; exit 1; }
	$(MAKE) -C $(NEWLIB_PREFIX).tmp/obj install > $(NEWLIB_PREFIX).tmp/install.log 2>&1 || \
		{ tail -30 $(NEWLIB_PREFIX).tmp/install.log; exit 1; }
	test -f $(NEWLIB_DIR)/lib/libc.a
	bad=$$(nm -A -u $(NEWLIB_DIR)/lib/libm.a 2>/dev/null | \
		awk -v l=' $(strip $(NEWLIB_LDBL_IMPLICIT)) ' '{ split($$1, p, ":"); if (index(l, " " $$NF " ")) print p[2] }' | \
		sort -u) && echo "  NEWLIB  dropping libm members that call undeclared long-double functions:" $$bad && \
		{ [ -z "$$bad" ] || $(AR) d $(NEWLIB_DIR)/lib/libm.a $$bad; }
	nm $(NEWLIB_DIR)/lib/libc.a 2>/dev/null | grep -q ' T __libc_init_array' || \
		{ echo "newlib: __libc_init_array missing (READELF_FOR_TARGET?)" >&2; exit 1; }
	rm -rf $(NEWLIB_PREFIX).tmp
	touch $@
