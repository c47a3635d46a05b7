/*
 * picolibc's standard streams for a PD. picolibc's tiny stdio writes through
 * a FILE whose put() function we supply; here every character goes to the
 * kernel's debug console with microkit_dbg_putc, which hands the kernel a
 * line at a time; what is pending is printed if the PD faults right after
 * a printf, so nothing is lost. stdin reads nothing
 * (PDs that want input use their subsystem's client library).
 */
#include <stdio.h>
#include <microkit.h>

static int debug_put(char c, FILE *file)
{
    (void)file;
    microkit_dbg_putc(c);
    return (unsigned char)c;
}

static int no_input(FILE *file)
{
    (void)file;
    return EOF;
}

static FILE debug_stream = FDEV_SETUP_STREAM(debug_put, no_input, NULL, _FDEV_SETUP_RW);

FILE *const stdin = &debug_stream;
FILE *const stdout = &debug_stream;
FILE *const stderr = &debug_stream;
