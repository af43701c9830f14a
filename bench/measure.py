"""What the bench scripts share: one child process timed and measured."""
import os
import subprocess
import sys
import time


def measure(argv):
    """Wall seconds, CPU seconds (user + system) and peak RSS (KiB) of one child, via wait4."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    proc.stderr.close()
    if code != 0:
        sys.exit(f"bench: {' '.join(argv)} exited {code}\n{err.decode(errors='replace')[:2000]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss  # ru_maxrss is KiB on Linux
