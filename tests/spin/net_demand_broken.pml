/*
 * The model of tests/spin/net_demand.pml with the demand chain broken on
 * purpose: when the client waits for buffers, the virtualiser asks for a
 * signal on drv_free but no longer notifies the driver. A driver that last
 * looked while nobody waited has left completion interrupts off, so the
 * packets it has in flight complete without a word, their buffers stay in
 * the device ring, and the client sleeps short of buffers for ever. Spin
 * must report an error for this model; tests/spin/run.sh fails if it does
 * not.
 */
#define VIRT_SKIPS_DEMAND
#include "net_demand.pml"
