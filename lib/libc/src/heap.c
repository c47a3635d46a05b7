/*
 * The heap picolibc's malloc grows into (its sbrk reads __heap_start and
 * __heap_end): 64 KiB of .bss. stdio's fopen takes its FILE from it; a PD
 * that never allocates never touches it. No PD shares it, and it cannot
 * grow: malloc answers NULL when it is used up.
 */
__asm__(".section .bss.heap, \"aw\", %nobits\n"
        ".balign 16\n"
        ".global __heap_start\n"
        "__heap_start:\n"
        ".space 65536\n"
        ".global __heap_end\n"
        "__heap_end:\n"
        ".previous\n");
