/* A stand-in libcapstone.so.4 for the QEMU that `skiff run` starts: every call fails (skiff run never disassembles), so QEMU skips the real one's relocations. */
/*
 * Debian's QEMU needs libcapstone.so.4 at load time, and the real library brings 77,000
 * relocations over 1.7 MB of tables: about 370 page faults (a tenth of QEMU's) before its
 * main runs. tools/skiffpy/qemu.py (qemu_environ) and tools/launcher/skiff-run.c put this
 * library's folder (build/lib/qemu) first in QEMU's LD_LIBRARY_PATH. It defines capstone
 * 4's whole public API, so a QEMU built to use more of it than Debian's still loads.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef size_t csh;
enum { CS_ERR_ARCH = 2, CS_ERR_HANDLE = 4 };

unsigned int cs_version(int *major, int *minor)
{
	if (major)
		*major = 4;
	if (minor)
		*minor = 0;
	return 4 << 8;
}

bool cs_support(int query)
{
	return false;
}

int cs_open(int arch, int mode, csh *handle)
{
	if (handle)
		*handle = 0;
	return CS_ERR_ARCH;
}

int cs_close(csh *handle)
{
	return CS_ERR_HANDLE;
}

int cs_option(csh handle, int type, size_t value)
{
	return CS_ERR_HANDLE;
}

int cs_errno(csh handle)
{
	return CS_ERR_HANDLE;
}

const char *cs_strerror(int code)
{
	return "disassembler not loaded by skiff run";
}

size_t cs_disasm(csh handle, const uint8_t *code, size_t size, uint64_t address, size_t count,
		 void **insn)
{
	if (insn)
		*insn = NULL;
	return 0;
}

size_t cs_disasm_ex(csh handle, const uint8_t *code, size_t size, uint64_t address,
		    size_t count, void **insn)
{
	return cs_disasm(handle, code, size, address, count, insn);
}

void cs_free(void *insn, size_t count)
{
}

void *cs_malloc(csh handle)
{
	return NULL;
}

bool cs_disasm_iter(csh handle, const uint8_t **code, size_t *size, uint64_t *address,
		    void *insn)
{
	return false;
}

const char *cs_reg_name(csh handle, unsigned int reg_id)
{
	return NULL;
}

const char *cs_insn_name(csh handle, unsigned int insn_id)
{
	return NULL;
}

const char *cs_group_name(csh handle, unsigned int group_id)
{
	return NULL;
}

bool cs_insn_group(csh handle, const void *insn, unsigned int group_id)
{
	return false;
}

bool cs_reg_read(csh handle, const void *insn, unsigned int reg_id)
{
	return false;
}

bool cs_reg_write(csh handle, const void *insn, unsigned int reg_id)
{
	return false;
}

int cs_op_count(csh handle, const void *insn, unsigned int op_type)
{
	return -1;
}

int cs_op_index(csh handle, const void *insn, unsigned int op_type, unsigned int position)
{
	return -1;
}

int cs_regs_access(csh handle, const void *insn, uint16_t *regs_read, uint8_t *read_count,
		   uint16_t *regs_write, uint8_t *write_count)
{
	if (read_count)
		*read_count = 0;
	if (write_count)
		*write_count = 0;
	return CS_ERR_HANDLE;
}
