# gdb script: single-step one steady-state iteration of a benchmark loop and
# attribute every instruction to a kernel function or a PD's function.
#
# Environment: TRACE_SYSTEM (.system file), TRACE_ELF_DIR (PD ELFs; a
# colon-separated search path),
# TRACE_KERNEL (kernel ELF), TRACE_PD and TRACE_REACH (run until that PD
# enters that function: the start of the phase to trace), TRACE_COND (gdb
# condition at kernel_syscall that marks the start of one iteration),
# TRACE_SKIP (iterations to skip first, to reach steady state), TRACE_NAME.
#
# With TRACE_MODE=net it traces event chains instead: from the moment
# TRACE_PD enters TRACE_REACH with x0 == TRACE_CHANNEL (the device IRQ),
# after TRACE_SKIP such entries, until the kernel idles (WFI); TRACE_PHASES
# such chains in a row (a packet's receive and echo, then its transmit
# completion).
#
# With TRACE_MODE=web it traces keep-alive HTTP GETs: a client process
# (TRACE_CLIENT, bench/web_client.py) makes TRACE_WARM GETs of TRACE_PATH on
# 127.0.0.1:TRACE_HTTP_PORT while the guest runs freely, then TRACE_COUNT
# more while every event chain (from a wake-up out of WFI until the next
# WFI) is single-stepped, until TRACE_LINGER seconds after the last reply. Chains that a timer tick starts are the
# idle cost and are reported apart; the rest, per GET, is the request's.
import bisect
import collections
import os
import select
import socket
import subprocess
import threading
import time
import xml.etree.ElementTree as ET

import gdb

MAX_STEPS = 20000
KERNEL_BASE = 0xFFFFFF8000000000


def symbols(elf):
    out = subprocess.run(["aarch64-linux-gnu-nm", "-n", elf], capture_output=True, text=True).stdout
    table = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "tTwW":
            table.append((int(parts[0], 16), parts[2]))
    return table


_starts = {}


def lookup(table, pc):
    # Each table's start addresses are listed once: a step must stay cheap.
    starts = _starts.setdefault(id(table), [a for a, _ in table])
    i = bisect.bisect_right(starts, pc) - 1
    return table[i][1] if i >= 0 else hex(pc)


def pd_programs(system_file, elf_dir):
    programs = {}
    for pd in ET.parse(system_file).getroot().iter("protection_domain"):
        image = pd.find("program_image").get("path")
        found = [os.path.join(d, image) for d in elf_dir.split(":") if os.path.exists(os.path.join(d, image))]
        programs[pd.get("name")] = symbols(found[0])
    return programs


def pd_index(system_file, name):
    names = [pd.get("name") for pd in ET.parse(system_file).getroot().iter("protection_domain")]
    return names.index(name)


def wfi_addresses(elf):
    out = subprocess.run(["aarch64-linux-gnu-objdump", "-d", elf], capture_output=True, text=True).stdout
    return {int(line.split(":")[0], 16) for line in out.splitlines() if line.endswith("\twfi")}


def pc_now():
    return int(gdb.parse_and_eval("$pc")) & 0xFFFFFFFFFFFFFFFF


def count_until(done, kernel, programs, names, limit=MAX_STEPS, order=None):
    """Single-steps until done(pc, steps); counts instructions per owner and
    function. order, if given, receives each PD in the order it first ran."""
    counts = collections.Counter()
    steps = 0
    while steps < limit:
        pc = pc_now()
        if done(pc, steps):
            break
        if pc >= KERNEL_BASE:
            counts[("kernel", lookup(kernel, pc))] += 1
        else:
            pd = names[int(gdb.parse_and_eval("$TTBR0_EL1")) >> 48]
            counts[(pd, lookup(programs[pd], pc))] += 1
            if order is not None and pd not in order:
                order.append(pd)
        gdb.execute("stepi", to_string=True)
        steps += 1
    return counts, steps


def run_to(programs, pd, function, condition, skip):
    asid = pd_index(os.environ["TRACE_SYSTEM"], pd) + 1
    entry = dict((n, a) for a, n in programs[pd])[function]
    extra = " && " + condition if condition else ""
    gdb.execute("break *0x%x if ($TTBR0_EL1 >> 48) == %d%s" % (entry, asid, extra))
    if skip:
        gdb.execute("ignore $bpnum %d" % skip, to_string=True)
    gdb.execute("continue", to_string=True)
    gdb.execute("delete")


def pd_names():
    # Kernel memory is readable only while stopped at EL1.
    return {i + 1: gdb.parse_and_eval("pds[%d].spec->name" % i).string()
            for i in range(int(gdb.parse_and_eval("num_pds")))}


def trace_loop(env, kernel, programs):
    run_to(programs, env["TRACE_PD"], env["TRACE_REACH"], "", 0)
    gdb.execute("break kernel_syscall if %s" % env["TRACE_COND"])
    gdb.execute("ignore $bpnum %s" % env.get("TRACE_SKIP", "100"), to_string=True)
    gdb.execute("continue", to_string=True)
    gdb.execute("delete")
    start = pc_now()
    names = pd_names()
    counts, steps = count_until(
        lambda pc, n: n and pc == start and gdb.parse_and_eval(env["TRACE_COND"]),
        kernel, programs, names)
    report("trace %s: %d instructions in one iteration" % (env.get("TRACE_NAME", "?"), steps), counts)


def send_datagram(env):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.sendto(bytes(int(env["TRACE_SIZE"])), ("127.0.0.1", int(env["TRACE_SEND_PORT"])))
    sock.close()


def trace_net(env, kernel, programs):
    """Each datagram is sent from here, while the guest is stopped, and the
    guest runs on to its device interrupt. Phase 1 steps from there until
    the system idles; later phases trace the next interrupts (transmit
    completion), each until idle."""
    idle = wfi_addresses(env["TRACE_KERNEL"])
    names = {i + 1: pd.get("name") for i, pd in
             enumerate(ET.parse(env["TRACE_SYSTEM"]).getroot().iter("protection_domain"))}
    irq = "$x0 == %s" % env["TRACE_CHANNEL"]
    for _ in range(int(env.get("TRACE_SKIP", "3"))):  # warm up: ARP both ways
        send_datagram(env)
        run_to(programs, env["TRACE_PD"], env["TRACE_REACH"], irq, 0)
        run_to_idle(idle)
    send_datagram(env)
    for phase in range(int(env.get("TRACE_PHASES", "2"))):
        if phase:
            # A chain not started by this packet would wait forever: a late
            # datagram ends the wait, and its phase names itself.
            threading.Timer(5.0, send_datagram, (env,)).start()
        run_to(programs, env["TRACE_PD"], env["TRACE_REACH"], irq, 0)
        counts, steps = count_until(lambda pc, n: pc in idle, kernel, programs, names)
        report("trace %s phase %d: %d instructions from %s until idle"
               % (env.get("TRACE_NAME", "?"), phase + 1, steps, env["TRACE_PD"]), counts)


def run_to_idle(idle):
    for address in idle:
        gdb.execute("break *0x%x" % address, to_string=True)
    gdb.execute("continue", to_string=True)
    gdb.execute("delete")


class WebClient:
    """bench/web_client.py in a process of its own, and what it last said:
    "warmed" (the warm-up GETs are done), "done" or "error: ...". """

    def __init__(self, env):
        self.count = int(env.get("TRACE_COUNT", "3"))
        self.proc = subprocess.Popen(
            ["python3", env["TRACE_CLIENT"], env["TRACE_HTTP_PORT"], env.get("TRACE_PATH", "/1k.bin"),
             env.get("TRACE_WARM", "5"), str(self.count)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.said = ""

    def poll(self):
        """What the client has said by now, without waiting."""
        while select.select([self.proc.stdout], [], [], 0)[0]:
            line = self.proc.stdout.readline()
            if not line:  # it has exited: after "done", or it failed
                if self.said != "done" and not self.said.startswith("error"):
                    self.said = "error: the client exited (exit status %s)" % self.proc.wait()
                break
            self.said = line.strip()
        return self.said

    def go(self):
        self.proc.stdin.write("go\n")
        self.proc.stdin.flush()


def break_at(addresses):
    for address in addresses:
        gdb.execute("break *0x%x" % address, to_string=True)


def idle_until(idle, client, word):
    """Lets the guest run until the client says word (or fails), then on to
    its next WFI, where it stops. Timer ticks wake the guest at least every
    50 ms, each wake-up a chance to ask. A breakpoint never sits on a WFI
    that the guest then resumes from: gdb would single-step it, and QEMU
    holds interrupts and timers back while stepping, so it would not wake."""
    break_at(a + 4 for a in idle)
    while client.poll() != word and not client.said.startswith("error"):
        gdb.execute("continue", to_string=True)
    gdb.execute("delete")
    break_at(idle)
    gdb.execute("continue", to_string=True)
    gdb.execute("delete")


def trace_chains(env, client, kernel, programs, names):
    """Steps every chain from a wake-up out of WFI until the next WFI, until
    TRACE_LINGER seconds after the client's last reply; returns the chains
    as (first PD to run, counts)."""
    idle = wfi_addresses(env["TRACE_KERNEL"])
    linger = float(env.get("TRACE_LINGER", "1.0"))
    chains = []
    break_at(a + 4 for a in idle)  # the instruction after each wfi
    ended = None
    while ended is None or time.monotonic() - ended < linger:
        gdb.execute("continue", to_string=True)
        order = []
        counts, _ = count_until(lambda pc, n: pc in idle, kernel, programs, names, 10 * MAX_STEPS, order)
        chains.append((order[0] if order else "kernel", counts))
        if ended is None and (client.poll() == "done" or client.said.startswith("error")):
            ended = time.monotonic()
    gdb.execute("delete")
    return chains


def trace_web(env, kernel, programs):
    names = {i + 1: pd.get("name") for i, pd in
             enumerate(ET.parse(env["TRACE_SYSTEM"]).getroot().iter("protection_domain"))}
    idle = wfi_addresses(env["TRACE_KERNEL"])
    client = WebClient(env)
    idle_until(idle, client, "warmed")
    client.go()  # the guest is stopped at idle: the traced GETs may go
    chains = trace_chains(env, client, kernel, programs, names)
    if client.said != "done":
        print("trace web: client: %s" % client.said)
        return
    web_report(env, client.count, chains)


def web_report(env, n, chains):
    """Per GET, the chains that no timer tick started; the ticks' apart."""
    tick = env.get("TRACE_TICK_PD", "timer")
    request, ticks = collections.Counter(), collections.Counter()
    for first, counts in chains:
        (ticks if first == tick else request).update(counts)
    name = env.get("TRACE_NAME", "web")
    per_get = collections.Counter({k: round(v / n) for k, v in request.items()})
    report("trace %s: %d instructions per GET (%d GETs, %d chains, %d of them timer ticks shown apart)"
           % (name, sum(request.values()) / n, n, len(chains), sum(1 for f, _ in chains if f == tick)),
           per_get)
    report("trace %s timer ticks: %d instructions in all" % (name, sum(ticks.values())), ticks)


def report(title, counts):
    print(title)
    per_owner = collections.Counter()
    for (owner, _), n in counts.items():
        per_owner[owner] += n
    for owner, n in per_owner.most_common():
        print("  %-16s %5d" % (owner, n))
        for (o, fn), m in sorted(counts.items(), key=lambda kv: -kv[1]):
            if o == owner:
                print("      %-28s %5d" % (fn, m))


def main():
    env = os.environ
    kernel = symbols(env["TRACE_KERNEL"])
    programs = pd_programs(env["TRACE_SYSTEM"], env["TRACE_ELF_DIR"])
    gdb.execute("set pagination off")
    gdb.execute("target remote 127.0.0.1:%s" % env.get("TRACE_PORT", "1234"))
    if env.get("TRACE_MODE") == "net":
        trace_net(env, kernel, programs)
    elif env.get("TRACE_MODE") == "web":
        trace_web(env, kernel, programs)
    else:
        trace_loop(env, kernel, programs)


main()
