# gdb script: single-step one steady-state iteration of a benchmark loop and
# attribute every instruction to a kernel function or a PD's function.
#
# Environment: TRACE_SYSTEM (.system file), TRACE_ELF_DIR (PD ELFs),
# TRACE_KERNEL (kernel ELF), TRACE_PD and TRACE_REACH (run until that PD
# enters that function: the start of the phase to trace), TRACE_COND (gdb
# condition at kernel_syscall that marks the start of one iteration),
# TRACE_SKIP (iterations to skip first, to reach steady state), TRACE_NAME.
import bisect
import collections
import os
import subprocess
import xml.etree.ElementTree as ET

import gdb

MAX_STEPS = 5000
KERNEL_BASE = 0xFFFFFF8000000000


def symbols(elf):
    out = subprocess.run(["aarch64-linux-gnu-nm", "-n", elf], capture_output=True, text=True).stdout
    table = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "tTwW":
            table.append((int(parts[0], 16), parts[2]))
    return table


def lookup(table, pc):
    i = bisect.bisect_right([a for a, _ in table], pc) - 1
    return table[i][1] if i >= 0 else hex(pc)


def pd_programs(system_file, elf_dir):
    programs = {}
    for pd in ET.parse(system_file).getroot().iter("protection_domain"):
        image = pd.find("program_image").get("path")
        programs[pd.get("name")] = symbols(os.path.join(elf_dir, image))
    return programs


def pd_index(system_file, name):
    names = [pd.get("name") for pd in ET.parse(system_file).getroot().iter("protection_domain")]
    return names.index(name)


def main():
    env = os.environ
    kernel = symbols(env["TRACE_KERNEL"])
    programs = pd_programs(env["TRACE_SYSTEM"], env["TRACE_ELF_DIR"])
    gdb.execute("set pagination off")
    gdb.execute("target remote 127.0.0.1:%s" % env.get("TRACE_PORT", "1234"))
    asid = pd_index(env["TRACE_SYSTEM"], env["TRACE_PD"]) + 1
    reach = dict((n, a) for a, n in programs[env["TRACE_PD"]])[env["TRACE_REACH"]]
    gdb.execute("break *0x%x if ($TTBR0_EL1 >> 48) == %d" % (reach, asid))
    gdb.execute("continue", to_string=True)
    gdb.execute("delete")
    gdb.execute("break kernel_syscall if %s" % env["TRACE_COND"])
    gdb.execute("ignore 2 %s" % env.get("TRACE_SKIP", "100"), to_string=True)
    gdb.execute("continue", to_string=True)
    gdb.execute("delete")
    start = int(gdb.parse_and_eval("$pc"))
    # Kernel memory is readable only while stopped at EL1: name the PDs now.
    names = {i + 1: gdb.parse_and_eval("pds[%d].spec->name" % i).string()
             for i in range(int(gdb.parse_and_eval("num_pds")))}
    counts = collections.Counter()
    steps = 0
    while steps < MAX_STEPS:
        pc = int(gdb.parse_and_eval("$pc")) & 0xFFFFFFFFFFFFFFFF
        if steps and pc == start and gdb.parse_and_eval(env["TRACE_COND"]):
            break
        if pc >= KERNEL_BASE:
            counts[("kernel", lookup(kernel, pc))] += 1
        else:
            pd = names[int(gdb.parse_and_eval("$TTBR0_EL1")) >> 48]
            counts[(pd, lookup(programs[pd], pc))] += 1
        gdb.execute("stepi", to_string=True)
        steps += 1
    print("trace %s: %d instructions in one iteration" % (env.get("TRACE_NAME", "?"), steps))
    per_owner = collections.Counter()
    for (owner, _), n in counts.items():
        per_owner[owner] += n
    for owner, n in per_owner.most_common():
        print("  %-16s %5d" % (owner, n))
        for (o, fn), m in sorted(counts.items(), key=lambda kv: -kv[1]):
            if o == owner:
                print("      %-28s %5d" % (fn, m))


main()
