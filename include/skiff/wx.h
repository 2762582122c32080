/* W^X audit: walk the live page tables and count what is mapped writable and executable. */
#ifndef SKIFF_WX_H
#define SKIFF_WX_H

#include <stdint.h>

struct wx_audit {
	uint64_t mapped_kib;   /* everything present */
	uint64_t exec_kib;     /* present and executable (no NX at any level) */
	uint64_t wx_kib;       /* present, writable at every level and executable: must be 0 */
	uint64_t first_wx;     /* lowest such address (valid when wx_kib != 0) */
	int page0_mapped;      /* is the NULL page present? must be 0 */
	int nx_supported;      /* does the CPU enforce no-execute? */
};

/* Fill *a from the current page tables. */
void wx_audit(struct wx_audit *a);

/* wx_audit, printed as one "skiff: wxcheck: ..." log line (kernel argument `wxcheck`
 * prints it when main is reached). Returns 0 when W^X holds and page 0 is unmapped. */
int wx_audit_report(void);

#endif
