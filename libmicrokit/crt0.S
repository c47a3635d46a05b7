/* PD entry: the kernel has set SP and zeroed the other registers. Point
 * TPIDR_EL0 at the thread-local block (variant 1: TLS data starts 16 bytes
 * after the thread pointer) and run the event loop. */
    .section .text.start, "ax"
    .global _start
_start:
    adrp    x0, __tls_base
    add     x0, x0, :lo12:__tls_base
    sub     x0, x0, #16
    msr     tpidr_el0, x0
    bl      pride_main
1:  b       1b
