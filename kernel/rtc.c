/* CMOS RTC (ports 0x70/0x71): the current time in whole seconds since the epoch. */
#include "clock_internal.h"
#include "cpu.h"

static uint8_t cmos(uint8_t reg)
{
	io_out8(0x70, reg);
	return io_in8(0x71);
}

static int64_t days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int64_t rtc_read_epoch(void)
{
	for (int i = 0; i < 1000000 && (cmos(0x0a) & 0x80); i++)
		pause(); /* update in progress */
	uint8_t sec = cmos(0x00), min = cmos(0x02), hour = cmos(0x04);
	uint8_t day = cmos(0x07), mon = cmos(0x08), year = cmos(0x09), b = cmos(0x0b);
	if (!(b & 0x04)) { /* BCD */
#define BCD(x) (uint8_t)(((x) & 0x0f) + ((x) >> 4) * 10)
		sec = BCD(sec);
		min = BCD(min);
		hour = (uint8_t)(BCD(hour & 0x7f) | (hour & 0x80));
		day = BCD(day);
		mon = BCD(mon);
		year = BCD(year);
#undef BCD
	}
	if (!(b & 0x02) && (hour & 0x80))
		hour = (uint8_t)(((hour & 0x7f) + 12) % 24);
	return days_from_civil(2000 + year, mon, day) * 86400 + hour * 3600 + min * 60 + sec;
}
