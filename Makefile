# skiff: top-level targets. Fragments in mk/ hold one concern each.
ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))

include mk/config.mk
include mk/toolchain.mk
include mk/deps.mk
include mk/newlib.mk
include mk/kernel.mk
include mk/shim.mk
include mk/drivers.mk
include mk/net.mk
include mk/shim-io.mk
include mk/app.mk
include mk/efi.mk
include mk/qemu-lean.mk
# Ports of real programs: each apps/NAME/port.mk adds `make NAME` (see apps/lua/port.mk).
include $(wildcard $(ROOT)/apps/*/port.mk)

.PHONY: all run test test-unit test-long bench bench-quick bench-netrr bench-boot bench-smp bench-console bench-net bench-ports bench-clock bench-virt bench-density clean distclean help
.DEFAULT_GOAL := all

all: hello

## run: build dependencies, build apps/hello and boot it
run: all
	$(ROOT)/tools/skiff run $(BUILD)/apps/hello/hello.elf

## test: the whole suite (unit, CLI, boot, UEFI, network, ports, fuzz, hard); last line "N passed, N failed"
test: deps test-deps
	python3 $(ROOT)/tests/run.py

test-unit:
	python3 $(ROOT)/tests/run.py --only unit

## test-long: runs kept out of `make test`: 100,000 sequential connections to httpd, Redis's own suite (test-redis-suite)
test-long: all
	SKIFF_TEST_LONG=1 python3 $(ROOT)/tests/run.py --only net -k sequential
	$(MAKE) test-redis-suite

## bench: unikernel vs Linux VM vs container vs process (a few minutes), table + chart in build/bench/
bench: all
	$(ROOT)/tools/skiff bench

## bench-quick: the same, fewer runs (about a minute)
bench-quick: all
	$(ROOT)/tools/skiff bench --quick

## bench-virt: hello start-to-exit on microvm vs q35 (the machine of skiff virt-xml) and under libvirtd (build/bench/virt_boot.json)
bench-virt: all
	$(ROOT)/tools/skiff bench virt

## bench-netrr: TCP_RR, UDP_RR, TCP_CRR, TCP_STREAM in every variant, --port and tap/veth (ARGS=--quick), build/bench/netrr.json
bench-netrr: all
	$(ROOT)/tools/skiff bench netrr $(ARGS)

## bench-clock: guest CLOCK_REALTIME vs the host's over 10 minutes (table + build/bench/clock.json)
bench-clock: all
	$(ROOT)/tools/skiff bench clock

## bench-density: idle httpd instances as skiff VMs, Linux VMs, runc containers until 4 GiB headroom (a few minutes)
bench-density: all
	$(ROOT)/tools/skiff bench density

## bench-net: httpd image size, smallest --mem that serves, wrk over slirp and tap
bench-net: all
	$(ROOT)/tools/skiff bench net

## redis: build redis-server from Debian's pinned source as build/apps/redis/redis.elf (apps/redis/recipe.py)
.PHONY: redis bench-redis
redis: all
	python3 $(ROOT)/apps/redis/recipe.py

## bench-redis: redis image size, smallest --mem, redis-benchmark GET/SET vs the same Redis in a Linux VM (TCG)
bench-redis: redis
	sh $(ROOT)/tools/deps.sh ports
	sh $(ROOT)/tools/deps.sh bench
	$(ROOT)/tools/skiff bench redis

## test-redis-suite: Redis's own test suite (external mode, --tags -slow) against native redis-server and the skiff image; table + build/redis-suite/results.json
.PHONY: test-redis-suite
test-redis-suite: redis
	sh $(ROOT)/tools/deps.sh ports
	python3 $(ROOT)/tests/ports/redis_suite.py

## bench-malloc: FLUSHDB of 100,000 Redis keys vs the same Redis in a Linux VM (TCG), and a malloc/free microbenchmark
.PHONY: bench-malloc
bench-malloc: redis
	sh $(ROOT)/tools/deps.sh ports
	sh $(ROOT)/tools/deps.sh bench
	$(ROOT)/tools/skiff bench redis-flush --elf $(BUILD)/apps/redis/redis.elf
	$(ROOT)/tools/skiff bench malloc

## fuzz: libFuzzer targets (tests/fuzz): build, replay checked-in inputs, fuzz each FUZZ_SECONDS (60) s; table + build/fuzz/results.json
.PHONY: fuzz
fuzz: deps
	@CACHE=$(CACHE) $(DEPS_SCRIPT) fuzz
	python3 $(ROOT)/tests/fuzz/fuzz.py --seconds $(or $(FUZZ_SECONDS),60)

## bench-boot: hello's image size, smallest --mem, guest boot time, wall time vs a trivial kernel
bench-boot: all
	$(ROOT)/tools/skiff bench boot

## bench-smp: the CPU job over 2 threads at 1 and 2 vCPUs, skiff vs a Linux VM (QUICK=1: small)
bench-smp: all
	$(ROOT)/tools/skiff bench smp $(if $(QUICK),--quick)

## bench-console: 10 MB of app stdout to a file and a pipe, 10 MB of stdin, `| head -c 100` stop time
bench-console: all
	$(ROOT)/tools/skiff bench console

## bench-ports: lua and sqlite3 image sizes, smallest memory, SQLite 60,000 inserts vs native and a Linux VM
bench-ports: all
	@CACHE=$(CACHE) sh $(DEPS_SCRIPT) bench >/dev/null
	@CACHE=$(CACHE) sh $(DEPS_SCRIPT) ports
	$(ROOT)/tools/skiff bench ports

## soak: httpd under wrk -c64 for 10 min, 100,000 connections, 500 echo clients, 10 MiB through 5% loss; table + build/soak/results.json
## soak-loss: only the 10 MiB download, clean tap vs 5% loss + reordering + duplication (throughput)
.PHONY: soak soak-loss
soak: all
	$(ROOT)/tools/skiff bench soak
soak-loss: all
	$(ROOT)/tools/skiff bench soak --seconds 0 --sequential 0 --clients 0

clean:
	rm -rf $(BUILD)/kernel $(BUILD)/libc-shim $(BUILD)/drivers $(BUILD)/net $(BUILD)/apps $(BUILD)/tests

distclean:
	rm -rf $(BUILD)

help:
	@grep -h '^## ' $(MAKEFILE_LIST) | sed 's/^## /  /'

# The C launcher tools/skiff execs for the common `skiff run` (tools/launcher/skiff-run.c).
.PHONY: launcher
all: launcher
# With it, build/lib/qemu/libcapstone.so.4: the disassembler QEMU loads under `skiff run`
# (tools/launcher/nocapstone.c says why).
launcher: $(BUILD)/bin/skiff-run $(BUILD)/lib/qemu/libcapstone.so.4
$(BUILD)/bin/skiff-run: $(ROOT)/tools/launcher/skiff-run.c
	@mkdir -p $(dir $@)
	gcc -O2 -Wall -Wextra -Werror -pthread -static -o $@ $<
$(BUILD)/lib/qemu/libcapstone.so.4: $(ROOT)/tools/launcher/nocapstone.c
	@mkdir -p $(dir $@)
	gcc -O2 -Wall -Wextra -Werror -Wno-unused-parameter -shared -fPIC \
		-Wl,-soname,libcapstone.so.4 -o $@ $<
