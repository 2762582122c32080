# Paths and pinned versions shared by every fragment.
BUILD ?= $(ROOT)/build
CACHE ?= $(BUILD)/cache

NEWLIB_VERSION := 3.3.0
NEWLIB_TARBALL := /usr/src/newlib/newlib-$(NEWLIB_VERSION).tar.xz
NEWLIB_SHA256  := c6f3a88b9d93420904241b231ca8647303be3bfb3cfef6adc8d1ea9207291033
