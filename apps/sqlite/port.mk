# apps/sqlite: the `sqlite3` shell of SQLite 3.40 (Debian's sqlite3 orig tarball, unmodified) as a skiff image.
#
#   make sqlite                                     -> build/apps/sqlite3/sqlite3.elf
#   make sqlite SQLITE_FILES=DIR SQLITE_OUT=x/sqlite3.elf   (DIR's files in the initrd)
#   tools/skiff run build/apps/sqlite3/sqlite3.elf -- -batch :memory: ".read /script.sql"
#
# A database on a --disk: the shell opens the raw device /dev/vda as its database file.
# Make the disk on the host with sqlite3 (PRAGMA auto_vacuum=NONE: a device cannot
# shrink, so no VACUUM either) and pad it to the disk's size (truncate -s); read it back
# there the same way. No rollback journal can be created next to /dev/vda, so start each
# session with PRAGMA journal_mode=MEMORY: a commit reaches the disk (with a flush) and
# survives the next boot, but a crash in the middle of a commit can leave it half written.
# Without that pragma a write fails cleanly: "attempt to write a readonly database".
#
# Debian's orig tarball is SQLite's full source tree; its own configure and make
# generate the amalgamation (sqlite3.c, shell.c; tclsh from package tcl) on the host,
# once, into the cache. The image is built from those two files.
SQLITE_VERSION := 3.40.1
SQLITE_DIR     := $(CACHE)/sqlite3-$(SQLITE_VERSION)
SQLITE_AMALG   := $(SQLITE_DIR)/bld
SQLITE_STAMP   := $(SQLITE_AMALG)/.amalgamation-$(DEPS_KEY)
SQLITE_OUT     ?= $(BUILD)/apps/sqlite3/sqlite3.elf
SQLITE_FILES   ?=
SQLITE_SRCS    := $(SQLITE_AMALG)/sqlite3.c $(SQLITE_AMALG)/shell.c

# Compile-time options (the benchmark's native build uses the same):
#   SQLITE_THREADSAFE=0        the shell runs one thread: no mutexes at all
#   SQLITE_OMIT_LOAD_EXTENSION skiff links statically: no dlopen
#   SQLITE_ENABLE_MATH_FUNCTIONS  as SQLite's configure (and Debian's sqlite3) build it
#   HAVE_USLEEP=1              busy-wait retries sleep in microseconds, as configure finds
#   HAVE_MREMAP=0              SQLite assumes mremap on every __linux__ compiler; skiff has none
# No readline: the shell reads its script from argv, -init or .read.
SQLITE_DEFS := -D SQLITE_THREADSAFE=0 -D SQLITE_OMIT_LOAD_EXTENSION \
	-D SQLITE_ENABLE_MATH_FUNCTIONS -D HAVE_USLEEP=1 -D HAVE_MREMAP=0

.PHONY: sqlite sqlite-src
## sqlite: SQLite's sqlite3 shell as build/apps/sqlite3/sqlite3.elf (SQLITE_FILES=DIR adds an initrd)
sqlite: $(SQLITE_STAMP)
	@$(ROOT)/tools/skiff build -q $(SQLITE_SRCS) -I $(SQLITE_AMALG) $(SQLITE_DEFS) \
		$(if $(SQLITE_FILES),--files $(SQLITE_FILES)) -o $(SQLITE_OUT)
sqlite-src: $(SQLITE_STAMP)

$(SQLITE_STAMP): $(DEPS_SCRIPT) | $(DEPS_STAMP)
	@CACHE=$(CACHE) sh $(DEPS_SCRIPT) ports
	@tarball=$$(CACHE=$(CACHE) sh $(DEPS_SCRIPT) source sqlite) && \
	echo "  UNPACK  $$(basename $$tarball)" && \
	rm -rf $(SQLITE_DIR) $(SQLITE_DIR).tmp && mkdir -p $(SQLITE_DIR).tmp && \
	tar -xJf $$tarball -C $(SQLITE_DIR).tmp --strip-components=1 && \
	mv $(SQLITE_DIR).tmp $(SQLITE_DIR)
	@echo "  GEN     sqlite3.c shell.c (SQLite's configure + make, log: $(SQLITE_AMALG)/gen.log)"
	@mkdir -p $(SQLITE_AMALG) && cd $(SQLITE_AMALG) && \
	{ ../configure --disable-tcl --disable-readline && $(MAKE) sqlite3.c shell.c; } \
		>gen.log 2>&1 || { tail -n 20 gen.log >&2; exit 1; }
	@touch $@
