/* Found only through skiff build -I tests/boot/build_flags/inc. */
#define FROM_HEADER 11
