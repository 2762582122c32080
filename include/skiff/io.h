/* Device register access for the kernel and drivers: port I/O, MMIO, the TSC (x86-64). */
#ifndef SKIFF_IO_H
#define SKIFF_IO_H

#include <stdint.h>

static inline void io_out8(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline void io_out16(uint16_t port, uint16_t v) { __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port)); }
static inline void io_out32(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port)); }
static inline uint8_t io_in8(uint16_t port) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline uint16_t io_in16(uint16_t port) { uint16_t v; __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline uint32_t io_in32(uint16_t port) { uint32_t v; __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port)); return v; }

static inline uint8_t mmio_in8(uint64_t a) { return *(volatile uint8_t *)a; }
static inline uint16_t mmio_in16(uint64_t a) { return *(volatile uint16_t *)a; }
static inline uint32_t mmio_in32(uint64_t a) { return *(volatile uint32_t *)a; }
static inline void mmio_out8(uint64_t a, uint8_t v) { *(volatile uint8_t *)a = v; }
static inline void mmio_out16(uint64_t a, uint16_t v) { *(volatile uint16_t *)a = v; }
static inline void mmio_out32(uint64_t a, uint32_t v) { *(volatile uint32_t *)a = v; }

static inline uint64_t io_rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

#endif
