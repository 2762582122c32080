/* Boot test: with --cpus 2 on q35 every AP comes up (INIT-SIPI-SIPI from the MADT); sysconf and get_nprocs say so. */
#include <stdio.h>
#include <sys/sysinfo.h>
#include <unistd.h>

int main(void)
{
	long onln = sysconf(_SC_NPROCESSORS_ONLN);
	long conf = sysconf(_SC_NPROCESSORS_CONF);
	printf("cpus online %ld conf %ld nprocs %d\n", onln, conf, get_nprocs());
	return onln == 2 && conf == 2 && get_nprocs() == 2 ? 0 : 1;
}
