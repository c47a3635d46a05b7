/*
 * The program coroutine: a PD's straight-line main program, run beside
 * its event handlers (lib/co). pride_program_start runs main on a stack of
 * its own until it waits; pride_program_wait, called from the program,
 * gives the CPU back to the handlers until the next event; every event the
 * PD's notified() passes to pride_program_resume lets it go on. Blocking
 * library calls (lib/fs) wait this way, so a program may block while the
 * PD stays event-driven.
 */
#ifndef PRIDE_PROGRAM_H
#define PRIDE_PROGRAM_H

#include <stdbool.h>

void pride_program_start(void (*main)(void));
/* From the program only. */
void pride_program_wait(void);
/* From a handler: run the program until it waits again (if it is waiting). */
void pride_program_resume(void);
/* Is the code running now the program (not a handler)? */
bool pride_in_program(void);

#endif
