/* nosigpipe: linked into the bench's Linux builds of an app: SIGPIPE ignored, as on skiff, which has no signals. */
#include <signal.h>

/*
 * A server whose client hangs up mid-response (wrk does, at the end of every run) gets
 * EPIPE on skiff; on Linux the default SIGPIPE would kill it. Ignoring it before main()
 * gives every Linux variant (process, container, Linux VM) skiff's behaviour.
 */
__attribute__((constructor)) static void ignore_sigpipe(void)
{
	signal(SIGPIPE, SIG_IGN);
}
