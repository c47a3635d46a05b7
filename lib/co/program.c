/* The program coroutine (pride/program.h). */
#include <microkit.h>
#include <pride/program.h>
#include "co.h"

#define PROGRAM_STACK 32768

static _Alignas(16) uint8_t stack[PROGRAM_STACK];
static struct co program, handler;
static void (*program_main)(void);
static bool running, waiting;

static void entry(void *arg)
{
    (void)arg;
    program_main();
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(": program finished\n");
    for (;;)
        pride_program_wait(); /* nothing more to do: stay asleep */
}

void pride_program_start(void (*main)(void))
{
    program_main = main;
    co_init(&program, stack, sizeof(stack), entry, 0);
    waiting = true;
    pride_program_resume();
}

void pride_program_wait(void)
{
    waiting = true;
    co_switch(&program, &handler);
}

void pride_program_resume(void)
{
    if (!waiting || running)
        return;
    waiting = false;
    running = true;
    co_switch(&handler, &program);
    running = false;
    if (!co_stack_intact(&program)) {
        microkit_dbg_puts(microkit_name);
        microkit_dbg_puts(": the program overflowed its stack\n");
        __builtin_trap(); /* its memory is not to be trusted any more: fault */
    }
}

bool pride_in_program(void)
{
    return running;
}
