/* smp.pml with a wakeup that interrupts the other core only if it runs a
 * PD: an idle core sleeps on; Spin must report the lost wakeup. */
#define NO_SGI_TO_AN_IDLE_CORE
#include "smp.pml"
