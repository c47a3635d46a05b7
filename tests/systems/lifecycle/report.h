/* Report lines shared by the lifecycle test's parents. */
#ifndef LIFECYCLE_REPORT_H
#define LIFECYCLE_REPORT_H

#include <microkit.h>
#include <pride_debug.h>

/* "<pd>: <what> <hex value>" */
void report_hex(const char *what, uint64_t value);

/* A child's fault arrived: report it and stop the child. */
seL4_Bool report_fault_and_stop(microkit_child child, microkit_msginfo msginfo);

#endif
