# UEFI images: the app's ELF inside a gnu-efi stub (PE32+ .efi), and a GPT disk (.img) holding it.
# Usage: make efi     APP_NAME=hello APP_SRCS="/abs/hello.c" APP_OUT=/abs/hello.efi
#        make efi-img APP_NAME=hello APP_SRCS="/abs/hello.c" APP_OUT=/abs/hello.img
# The embedded ELF (and its .debug, for gdb) is build/apps/NAME/efi/NAME.elf.
ifndef SKIFF_EFI_MK
SKIFF_EFI_MK := 1

GNUEFI_INC := /usr/include/efi
GNUEFI_LIB := /usr/lib
GNUEFI_LDS := $(GNUEFI_LIB)/elf_x86_64_efi.lds
GNUEFI_CRT0 := $(GNUEFI_LIB)/crt0-efi-x86_64.o

EFI_CFLAGS := -std=gnu11 -O2 -g $(WARN_CFLAGS) -nostdinc -isystem $(GCC_INC) \
	-I$(GNUEFI_INC) -I$(GNUEFI_INC)/x86_64 -I$(ROOT)/include -DGNU_EFI_USE_MS_ABI \
	-fpic -ffreestanding -fno-stack-protector -fshort-wchar -mno-red-zone \
	-maccumulate-outgoing-args -fno-asynchronous-unwind-tables
EFI_LDFLAGS := -nostdlib -shared -Bsymbolic -znocombreloc -z noexecstack -T $(GNUEFI_LDS)
EFI_SECTIONS := -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel -j .rela \
	-j '.rel.*' -j '.rela.*' -j .reloc

EFI_STUB_SRCS := $(wildcard $(ROOT)/efi/*.c)
EFI_STUB_OBJS := $(patsubst $(ROOT)/efi/%.c,$(BUILD)/efi/%.o,$(EFI_STUB_SRCS))
EFI_DIR = $(BUILD)/apps/$(APP_NAME)/efi
EFI_ELF = $(EFI_DIR)/$(APP_NAME).elf
# Command-line APP_OUT reaches sub-makes through MAKEFLAGS: name the makefiles again so
# this fragment is read whether or not the top Makefile includes it.
EFI_SUBMAKE = $(MAKE) -s --no-print-directory -C $(ROOT) -f $(ROOT)/Makefile -f $(ROOT)/mk/efi.mk

.PHONY: efi efi-img efi-pe efi-stub

## efi: APP_OUT=/abs/x.efi, a PE32+ UEFI application that loads the app's image
efi:
	@case "$(APP_OUT)" in /*.efi) ;; *) echo "efi: APP_OUT must be an absolute path ending in .efi" >&2; exit 2;; esac
	@+$(EFI_SUBMAKE) efi-pe APP_OUT=$(EFI_ELF) EFI_PE=$(APP_OUT)

## efi-img: APP_OUT=/abs/x.img, a GPT disk whose EFI System Partition boots the app
efi-img:
	@case "$(APP_OUT)" in /*.img) ;; *) echo "efi-img: APP_OUT must be an absolute path ending in .img" >&2; exit 2;; esac
	@+$(EFI_SUBMAKE) efi-pe APP_OUT=$(EFI_ELF) EFI_PE=$(EFI_DIR)/BOOTX64.EFI
	@mkdir -p $(dir $(APP_OUT))
	@$(ROOT)/efi/mkdisk.sh $(EFI_DIR)/BOOTX64.EFI $(APP_OUT)

efi-stub: $(EFI_STUB_OBJS)

# Inside the sub-make: EFI_KERNEL (default APP_OUT, which mk/app.mk builds) is the ELF to
# embed, EFI_PE the output, EFI_WORK where the per-image objects go. `skiff run --machine
# efi` wraps an existing ELF with: make efi-pe EFI_KERNEL=/abs/x.elf EFI_PE=... EFI_WORK=...
ifdef EFI_PE
EFI_KERNEL ?= $(APP_OUT)
EFI_WORK ?= $(EFI_DIR)
efi-pe: $(EFI_PE)

$(EFI_WORK)/blob.o: $(ROOT)/efi/blob.S $(EFI_KERNEL)
	@mkdir -p $(dir $@)
	$(CC) -c -DKERNEL_BLOB='"$(EFI_KERNEL)"' $< -o $@

$(EFI_WORK)/stub.so: $(EFI_STUB_OBJS) $(EFI_WORK)/blob.o
	$(LD) $(EFI_LDFLAGS) -o $@ $(GNUEFI_CRT0) $^ -L$(GNUEFI_LIB) -lefi -lgnuefi

$(EFI_PE): $(EFI_WORK)/stub.so
	@mkdir -p $(dir $@)
	$(OBJCOPY) $(EFI_SECTIONS) --target efi-app-x86_64 --subsystem=10 $< $@.tmp
	mv $@.tmp $@
endif

$(BUILD)/efi/%.o: $(ROOT)/efi/%.c $(ROOT)/mk/efi.mk
	@mkdir -p $(dir $@)
	$(CC) $(EFI_CFLAGS) -MMD -MP -c $< -o $@

-include $(EFI_STUB_OBJS:.o=.d)

endif
