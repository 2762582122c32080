/* syslog(3) onto stderr (skiff's log stream): "IDENT[PID]: message", filtered by setlogmask. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

static const char *log_ident;     /* openlog's ident, NULL = none */
static int log_option;
static int log_mask = 0xff;       /* every priority */

void openlog(const char *ident, int option, int facility)
{
	(void)facility;
	log_ident = ident;
	log_option = option;
}

void closelog(void)
{
	log_ident = NULL;
	log_option = 0;
}

int setlogmask(int mask)
{
	int old = log_mask;

	if (mask)
		log_mask = mask;
	return old;
}

void vsyslog(int priority, const char *format, va_list ap)
{
	char line[1024];
	int n = 0;

	if (!(log_mask & LOG_MASK(LOG_PRI(priority))))
		return;
	if (log_ident && (log_option & LOG_PID))
		n = snprintf(line, sizeof(line), "%s[%d]: ", log_ident, (int)getpid());
	else if (log_ident)
		n = snprintf(line, sizeof(line), "%s: ", log_ident);
	if (n < 0 || (size_t)n >= sizeof(line))
		n = 0;
	vsnprintf(line + n, sizeof(line) - (size_t)n, format, ap);
	size_t len = strlen(line);
	if (len == 0 || line[len - 1] != '\n') {
		if (len == sizeof(line) - 1)
			len--; /* truncated: make room for the newline */
		line[len++] = '\n';
		line[len] = '\0';
	}
	fputs(line, stderr); /* one call: lines from threads do not interleave */
}

void syslog(int priority, const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	vsyslog(priority, format, ap);
	va_end(ap);
}
