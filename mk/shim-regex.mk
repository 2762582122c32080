# POSIX regex (regcomp/regexec/regerror/regfree): newlib's own libc/posix sources, which its
# x86_64-elf configuration leaves out, built from the pinned tarball into libshim.a.
REGEX_SRCDIR := $(BUILD)/newlib-posix
REGEX_NAMES  := regcomp regexec regerror regfree collate collcmp
REGEX_FILES  := $(addsuffix .c,$(REGEX_NAMES)) engine.c cname.h cclass.h utils.h regex2.h collate.h \
	namespace.h un-namespace.h rune.h runetype.h sysexits.h
REGEX_STAMP  := $(REGEX_SRCDIR)/.unpacked
REGEX_OBJS   := $(addprefix $(BUILD)/libc-shim/regex/,$(addsuffix .o,$(REGEX_NAMES)))
# Upstream code: not held to our -Werror, and the sources are not ours to fix.
REGEX_CFLAGS  = $(IMAGE_CFLAGS) $(LIBC_CPPFLAGS) -w -I$(REGEX_SRCDIR)

$(REGEX_STAMP): $(NEWLIB_TARBALL) | $(DEPS_STAMP)
	@echo "  UNPACK  newlib libc/posix regex sources"
	@rm -rf $(REGEX_SRCDIR) && mkdir -p $(REGEX_SRCDIR)
	@tar -xJf $(NEWLIB_TARBALL) -C $(REGEX_SRCDIR) --strip-components=4 --wildcards \
		$(addprefix '*/newlib/libc/posix/',$(REGEX_FILES))
	@touch $@

$(BUILD)/libc-shim/regex/%.o: $(REGEX_STAMP) $(NEWLIB_STAMP)
	@mkdir -p $(@D)
	@echo "  CC      newlib/libc/posix/$*.c"
	@$(CC) $(REGEX_CFLAGS) -c $(REGEX_SRCDIR)/$*.c -o $@
