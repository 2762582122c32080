/* The kernel command line: a `cmdline` file on the boot volume, else the image's LoadOptions. */
#include "stub.h"

static EFI_GUID loaded_image_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
static EFI_GUID fs_guid = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;

static int is_text(CHAR16 c)
{
	return (c >= 0x20 && c < 0x7f) || c == '\t' || c == '\n' || c == '\r';
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

UINTN args_from_ucs2(const CHAR16 *in, UINTN in_bytes, char *out, UINTN out_cap)
{
	UINTN n = 0, chars = in_bytes / 2;
	if (out_cap == 0)
		return 0;
	for (UINTN i = 0; i < chars && in[i]; i++) {
		if (!is_text(in[i]) || n + 1 >= out_cap) {
			out[0] = 0;
			return 0; /* binary optional data, not a command line */
		}
		out[n++] = (char)in[i];
	}
	out[n] = 0;
	/* The UEFI shell passes the command as typed: "\app.efi args". */
	UINTN w = 0;
	while (w < n && is_blank(out[w]))
		w++;
	UINTN e = w;
	while (e < n && !is_blank(out[e]))
		e++;
	if (e - w >= 4 && out[e - 4] == '.' && lower(out[e - 3]) == 'e' &&
	    lower(out[e - 2]) == 'f' && lower(out[e - 1]) == 'i') {
		while (e < n && is_blank(out[e]))
			e++;
		for (UINTN i = e; i <= n; i++)
			out[i - e] = out[i];
		n -= e;
	}
	return n;
}

/* "\EFI\BOOT\cmdline" from the image's file path "\EFI\BOOT\BOOTX64.EFI" (into buf). */
static int sibling_path(EFI_DEVICE_PATH *dp, CHAR16 *buf, UINTN cap)
{
	static const CHAR16 name[] = L"cmdline";
	UINTN n = 0, slash = 0;
	for (; dp && dp->Type != END_DEVICE_PATH_TYPE;
	     dp = (EFI_DEVICE_PATH *)((UINT8 *)dp + (dp->Length[0] | dp->Length[1] << 8))) {
		UINTN len = dp->Length[0] | dp->Length[1] << 8;
		if (len < 4)
			return 0;
		if (dp->Type != MEDIA_DEVICE_PATH || dp->SubType != MEDIA_FILEPATH_DP)
			continue;
		const CHAR16 *p = ((FILEPATH_DEVICE_PATH *)dp)->PathName;
		for (UINTN i = 0; i < (len - 4) / 2 && p[i]; i++) {
			if (n + 1 >= cap)
				return 0;
			if (p[i] == L'\\' || p[i] == L'/')
				slash = n + 1;
			buf[n++] = p[i] == L'/' ? L'\\' : p[i];
		}
	}
	if (slash == 0 || slash + sizeof(name) / 2 > cap)
		return 0;
	for (UINTN i = 0; i < sizeof(name) / 2; i++)
		buf[slash + i] = name[i];
	return 1;
}

/* The whole file as a NUL-terminated pool string; EFI_NOT_FOUND if it is not there. */
static EFI_STATUS read_file(EFI_FILE_HANDLE root, CHAR16 *path, char **out, UINTN *len)
{
	EFI_FILE_HANDLE f;
	EFI_STATUS st = root->Open(root, &f, path, EFI_FILE_MODE_READ, 0);
	if (EFI_ERROR(st))
		return EFI_NOT_FOUND;
	UINT64 size = 0;
	st = f->SetPosition(f, 0xFFFFFFFFFFFFFFFFULL);
	if (!EFI_ERROR(st))
		st = f->GetPosition(f, &size);
	if (!EFI_ERROR(st))
		st = f->SetPosition(f, 0);
	if (!EFI_ERROR(st) && size > STUB_CMDLINE_FILE_MAX)
		st = EFI_BAD_BUFFER_SIZE;
	char *buf = 0;
	if (!EFI_ERROR(st))
		st = stub_bs->AllocatePool(EfiLoaderData, size + 1, (void **)&buf);
	UINTN got = 0;
	while (!EFI_ERROR(st) && got < size) {
		UINTN chunk = size - got;
		st = f->Read(f, &chunk, buf + got);
		if (!EFI_ERROR(st) && chunk == 0)
			st = EFI_END_OF_FILE;
		got += chunk;
	}
	f->Close(f);
	if (EFI_ERROR(st)) {
		if (buf)
			stub_bs->FreePool(buf);
		return st;
	}
	buf[got] = 0;
	*out = buf;
	*len = got;
	return EFI_SUCCESS;
}

static EFI_STATUS from_file(EFI_LOADED_IMAGE *li, char **out, UINTN *len)
{
	EFI_FILE_IO_INTERFACE *fs;
	EFI_FILE_HANDLE root;
	if (!li->DeviceHandle ||
	    EFI_ERROR(stub_bs->HandleProtocol(li->DeviceHandle, &fs_guid, (void **)&fs)) ||
	    EFI_ERROR(fs->OpenVolume(fs, &root)))
		return EFI_NOT_FOUND;
	CHAR16 path[256];
	EFI_STATUS st = EFI_NOT_FOUND;
	if (sibling_path(li->FilePath, path, sizeof(path) / 2))
		st = read_file(root, path, out, len);
	if (st == EFI_NOT_FOUND)
		st = read_file(root, L"\\cmdline", out, len);
	root->Close(root);
	return st;
}

EFI_STATUS args_read(EFI_HANDLE image, char **out, UINTN *len)
{
	EFI_LOADED_IMAGE *li;
	*out = 0;
	*len = 0;
	EFI_STATUS st = stub_bs->HandleProtocol(image, &loaded_image_guid, (void **)&li);
	if (EFI_ERROR(st))
		return st;
	st = from_file(li, out, len);
	if (st != EFI_NOT_FOUND)
		return st;
	if (!li->LoadOptions || li->LoadOptionsSize < 2)
		return EFI_SUCCESS;
	UINTN cap = li->LoadOptionsSize / 2 + 1;
	st = stub_bs->AllocatePool(EfiLoaderData, cap, (void **)out);
	if (EFI_ERROR(st))
		return st;
	*len = args_from_ucs2(li->LoadOptions, li->LoadOptionsSize, *out, cap);
	return EFI_SUCCESS;
}
