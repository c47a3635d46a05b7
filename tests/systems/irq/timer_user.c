/*
 * Takes five timer interrupts 1 ms apart. Then it leaves the fifth one
 * unacknowledged with the timer still firing, and asks the witness to wake
 * it 20 ms later: no interrupt may arrive in between. The acknowledgement
 * must then deliver the still-pending interrupt at once.
 */
#include <microkit.h>
#include <pride_debug.h>

#define TIMER_IRQ 1
#define WITNESS 2
#define ROUNDS 5

static unsigned interrupts;
static bool waiting_for_witness;

static void timer_arm_in_us(uint64_t us)
{
    uint64_t deadline = pride_counter_now() + pride_counter_hz() / 1000000 * us;
    __asm__ volatile("msr cntv_cval_el0, %0\n msr cntv_ctl_el0, %1\n isb" ::"r"(deadline), "r"(1ull));
}

static void timer_off(void)
{
    __asm__ volatile("msr cntv_ctl_el0, xzr\n isb");
}

void init(void)
{
    timer_arm_in_us(1000);
}

static void on_interrupt(void)
{
    interrupts++;
    if (waiting_for_witness) {
        microkit_dbg_puts("irq: FAIL: interrupt while unacknowledged\n");
        return;
    }
    if (interrupts < ROUNDS) {
        timer_arm_in_us(1000);
        microkit_irq_ack(TIMER_IRQ);
    } else if (interrupts == ROUNDS) {
        waiting_for_witness = true; /* timer keeps firing, IRQ stays masked */
        microkit_notify(WITNESS);
    } else {
        timer_off();
        microkit_irq_ack(TIMER_IRQ);
        microkit_dbg_puts("irq: pending interrupt delivered on acknowledgement\n");
        microkit_dbg_puts("irq: done\n");
    }
}

void notified(microkit_channel ch)
{
    if (ch == TIMER_IRQ) {
        on_interrupt();
    } else if (ch == WITNESS && waiting_for_witness) {
        waiting_for_witness = false;
        microkit_dbg_puts("irq: 5 interrupts, none while unacknowledged\n");
        microkit_irq_ack(TIMER_IRQ);
    }
}
