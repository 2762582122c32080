/* The volume table: `vol=TAG:/path[:ro]` kernel arguments matched to 9P devices by mount tag, attached on the first path lookup. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <skiff/boot.h>
#include <skiff/p9dev.h>
#include "p9fs.h"
#include "shim.h"

#define VOLUMES_MAX 8 /* tools/skiffpy/volumes.py refuses more */

static struct p9vol vols[VOLUMES_MAX]; /* written once under init_lock */
static int nvols;
static int inited; /* atomic: 1 once the table is complete */
static struct sk_mutex init_lock = SK_MUTEX_INIT;

/* fs_ops entry points for volume i: struct fs_ops carries no context pointer. */
#define VOL_OPS(i)                                                                              \
	static int open##i(const char *p, int fl, mode_t m, struct file **o)                    \
	{ return p9fs_open(&vols[i], p, fl, m, o); }                                            \
	static int stat##i(const char *p, struct stat *st) { return p9fs_stat(&vols[i], p, st); } \
	static int setattr##i(const char *p, mode_t m, time_t t)                                \
	{ return p9fs_setattr(&vols[i], p, m, t); }                                             \
	static int mkdir##i(const char *p, mode_t m) { return p9fs_mkdir(&vols[i], p, m); }     \
	static int rmdir##i(const char *p) { return p9fs_rmdir(&vols[i], p); }                  \
	static int unlink##i(const char *p) { return p9fs_unlink(&vols[i], p); }                \
	static int rename##i(const char *a, const char *b) { return p9fs_rename(&vols[i], a, b); } \
	static int readlink##i(const char *p, char *b, size_t n)                                \
	{ return p9fs_readlink(&vols[i], p, b, n); }                                            \
	static int symlink##i(const char *t, const char *p) { return p9fs_symlink(&vols[i], t, p); } \
	static int link##i(const char *a, const char *b) { return p9fs_link(&vols[i], a, b); } \
	static int plain##i(const char *p) { return p9c_plain_prefix(&vols[i].conn, p); }
#define VOL_OPS_INIT(i)                                                                          \
	{ .open = open##i, .stat = stat##i, .setattr = setattr##i, .mkdir = mkdir##i,           \
	  .rmdir = rmdir##i, .unlink = unlink##i, .rename = rename##i, .readlink = readlink##i,  \
	  .symlink = symlink##i, .link = link##i, .plain_prefix = plain##i }

VOL_OPS(0) VOL_OPS(1) VOL_OPS(2) VOL_OPS(3) VOL_OPS(4) VOL_OPS(5) VOL_OPS(6) VOL_OPS(7)

static const struct fs_ops vol_ops[VOLUMES_MAX] = {
	VOL_OPS_INIT(0), VOL_OPS_INIT(1), VOL_OPS_INIT(2), VOL_OPS_INIT(3),
	VOL_OPS_INIT(4), VOL_OPS_INIT(5), VOL_OPS_INIT(6), VOL_OPS_INIT(7),
};

static struct p9dev *device_tagged(const char *tag, size_t len)
{
	struct p9dev *d;
	for (unsigned i = 0; (d = p9dev_get(i)); i++)
		if (strlen(d->tag) == len && memcmp(d->tag, tag, len) == 0)
			return d;
	return NULL;
}

/* One `TAG:/path[:ro]` argument: attach it as the next volume, or log why not. */
static void add(const char *arg)
{
	const char *colon = strchr(arg, ':');
	char line[VFS_PATH_MAX + 96];
	if (!colon || colon[1] != '/' || nvols == VOLUMES_MAX) {
		klog("skiff: volume '%s': bad kernel argument vol= (TAG:/PATH[:ro]), or more than %d\n",
		     arg, VOLUMES_MAX);
		return;
	}
	struct p9vol *v = &vols[nvols];
	const char *path = colon + 1;
	size_t plen = strlen(path);
	if (plen > 3 && strcmp(path + plen - 3, ":ro") == 0) {
		v->ro = 1;
		plen -= 3;
	}
	memcpy(line, path, plen < VFS_PATH_MAX ? plen : VFS_PATH_MAX - 1);
	line[plen < VFS_PATH_MAX ? plen : VFS_PATH_MAX - 1] = '\0';
	if (vfs_normalise_lexical(line, v->point) || strcmp(v->point, "/") == 0) {
		klog("skiff: volume %s: mount point must be an absolute path other than /\n", line);
		return;
	}
	v->plen = strlen(v->point);
	struct p9dev *d = device_tagged(arg, (size_t)(colon - arg));
	int err = d ? p9c_attach(&v->conn, d) : -ENODEV;
	if (err) {
		klog("skiff: volume %s: cannot attach 9P device '%.*s' (%s)\n", v->point,
		     (int)(colon - arg), arg, strerror(-err));
		memset(v, 0, sizeof(*v));
		return;
	}
	v->dev = (dev_t)(VFS_DEV_VOLUME + nvols);
	v->ops = vol_ops[nvols];
	nvols++;
}

static void init(void)
{
	if (__atomic_load_n(&inited, __ATOMIC_ACQUIRE))
		return;
	sk_mutex_lock(&init_lock);
	if (!inited) {
		const char *w;
		for (int i = 0; (w = boot_karg_word(i)); i++)
			if (strncmp(w, "vol=", 4) == 0)
				add(w + 4);
		__atomic_store_n(&inited, 1, __ATOMIC_RELEASE);
	}
	sk_mutex_unlock(&init_lock);
}

const struct fs_ops *vfs_volume_resolve(const char *abs, const char **rel)
{
	struct p9vol *best = NULL;
	init();
	for (int i = 0; i < nvols; i++) {
		struct p9vol *v = &vols[i];
		if (strncmp(abs, v->point, v->plen) == 0 && (abs[v->plen] == '\0' || abs[v->plen] == '/') &&
		    (!best || v->plen > best->plen))
			best = v;
	}
	if (!best)
		return NULL;
	*rel = abs + best->plen + (abs[best->plen] ? 1 : 0);
	return &best->ops;
}

struct p9vol *vfs_volume_by_dev(dev_t dev)
{
	init();
	for (int i = 0; i < nvols; i++)
		if (vols[i].dev == dev)
			return &vols[i];
	return NULL;
}
