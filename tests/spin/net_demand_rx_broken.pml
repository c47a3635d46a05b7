/*
 * The model of tests/spin/net_demand_rx.pml with the demand chain broken on
 * purpose: the driver, short of receive buffers, asks for a signal on
 * drv_free but no longer notifies the virtualiser. A virtualiser that last
 * looked while the driver did not wait has not asked the copier for its
 * returns, so the buffers the copier hands back lie on from_copier, the
 * device runs out of buffers and the next frame waits in it while every PD
 * sleeps. Spin must report an error for this model; tests/spin/run.sh
 * fails if it does not.
 */
#define DRIVER_SKIPS_KICK
#include "net_demand_rx.pml"
