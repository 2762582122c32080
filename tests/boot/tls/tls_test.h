/* Boot test: thread-locals shared between main.c and other.c. */
#ifndef TLS_TEST_H
#define TLS_TEST_H

extern __thread int other_counter;
extern _Thread_local char other_name[16];
extern __thread long other_bss[8];
long other_touch(int by);

#endif
