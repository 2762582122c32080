/* Terminal sizes only: skiff's console is a serial line with no terminal settings, so there is
 * no struct termios or tcgetattr; ioctl(fd, TIOCGWINSZ) fails with ENOTTY and callers use
 * their defaults. newlib's <termios.h> includes this file. */
#ifndef SKIFF_SYS_TERMIOS_H
#define SKIFF_SYS_TERMIOS_H

#define TIOCGWINSZ 0x5413 /* Linux's number */

struct winsize {
	unsigned short ws_row;
	unsigned short ws_col;
	unsigned short ws_xpixel;
	unsigned short ws_ypixel;
};

#endif
