/*
 * Timer driver: a passive, highest-priority PD owning the generic timer's
 * virtual timer (PPI 27; the kernel keeps the physical timer for itself).
 * Clients ask it for the time and set one relative timeout each; the
 * hardware is always armed for the earliest pending deadline.
 *
 * Channels: 0 the virtual timer's IRQ; 1..TIMER_MAX_CLIENTS clients;
 * TIMER_STATS_CH a statistics reader (timer/protocol.h). Any PD that may
 * call it can ask for its statistics (pride/stats.h: timeouts delivered,
 * bad requests).
 */
#include <microkit.h>
#include <pride/stats.h>
#include <timer/protocol.h>

#define NO_DEADLINE UINT64_MAX
#define NS_PER_S 1000000000ull

/* Conversions are fixed-point multiplications, computed once: a get-time
 * call then costs a multiply instead of a 128-bit division. */
#define FIXED_SHIFT 32
static uint64_t ns_per_tick_fixed; /* (ns per tick) << 32, rounded down */
static uint64_t ticks_per_ns_fixed; /* (ticks per ns) << 32, rounded up */
static uint64_t deadline[TIMER_MAX_CLIENTS]; /* in counter ticks */
static struct pride_stats stats = {.unit = PRIDE_STATS_TIMEOUTS};

static uint64_t counter_now(void)
{
    uint64_t ticks;
    __asm__ volatile("isb\n mrs %0, cntvct_el0" : "=r"(ticks)::"memory");
    return ticks;
}

static uint64_t ticks_to_ns(uint64_t ticks)
{
    return (uint64_t)(((__uint128_t)ticks * ns_per_tick_fixed) >> FIXED_SHIFT);
}

/* Rounded up, so that a timeout never fires early. */
static uint64_t ns_to_ticks(uint64_t ns)
{
    __uint128_t fixed = (__uint128_t)ns * ticks_per_ns_fixed;
    return (uint64_t)((fixed + ((1ull << FIXED_SHIFT) - 1)) >> FIXED_SHIFT);
}

static void arm_earliest(void)
{
    uint64_t earliest = NO_DEADLINE;
    for (unsigned i = 0; i < TIMER_MAX_CLIENTS; i++)
        if (deadline[i] < earliest)
            earliest = deadline[i];
    if (earliest == NO_DEADLINE) {
        __asm__ volatile("msr cntv_ctl_el0, xzr\n isb");
        return;
    }
    __asm__ volatile("msr cntv_cval_el0, %0\n msr cntv_ctl_el0, %1\n isb"
                     ::"r"(earliest), "r"(1ull));
}

void init(void)
{
    uint64_t hz;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(hz));
    ns_per_tick_fixed = (uint64_t)(((__uint128_t)NS_PER_S << FIXED_SHIFT) / hz);
    ticks_per_ns_fixed = (uint64_t)((((__uint128_t)hz << FIXED_SHIFT) + NS_PER_S - 1) / NS_PER_S);
    for (unsigned i = 0; i < TIMER_MAX_CLIENTS; i++)
        deadline[i] = NO_DEADLINE;
    arm_earliest();
}

/* The timer fired: notify every client whose deadline has passed. */
void notified(microkit_channel ch)
{
    if (ch != TIMER_IRQ_CHANNEL)
        return;
    uint64_t now = counter_now();
    for (unsigned i = 0; i < TIMER_MAX_CLIENTS; i++) {
        if (deadline[i] <= now) {
            deadline[i] = NO_DEADLINE;
            stats.passed++;
            microkit_notify(TIMER_FIRST_CLIENT_CHANNEL + i);
        }
    }
    arm_earliest();
    microkit_deferred_irq_ack(TIMER_IRQ_CHANNEL);
}

/* Anything but a client's request: the statistics query, or a bad
 * request (counted). Off the clients' path, so that costs them nothing. */
static microkit_msginfo answer_other(microkit_msginfo msginfo)
{
    if (pride_stats_asked(msginfo))
        return pride_stats_reply(&stats);
    stats.bad_desc++;
    return microkit_msginfo_new(TIMER_ERROR, 0);
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    unsigned client = ch - TIMER_FIRST_CLIENT_CHANNEL;
    if (ch < TIMER_FIRST_CLIENT_CHANNEL || client >= TIMER_MAX_CLIENTS)
        return answer_other(msginfo);
    switch (microkit_msginfo_get_label(msginfo)) {
    case TIMER_GET_TIME:
        microkit_mr_set(0, ticks_to_ns(counter_now()));
        return microkit_msginfo_new(TIMER_OK, 1);
    case TIMER_SET_TIMEOUT:
        deadline[client] = counter_now() + ns_to_ticks(microkit_mr_get(0));
        arm_earliest();
        return microkit_msginfo_new(TIMER_OK, 0);
    default:
        return answer_other(msginfo);
    }
}
