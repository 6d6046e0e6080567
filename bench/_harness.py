"""Shared benchmark plumbing: interleaved repetitions, medians, ratios, machine description, markdown.

Benchmarks are not tests: they never assert on timing. Each case runs its
baseline and its candidates in the same process against the same emulator,
interleaved repetition by repetition so drift (other load on the machine,
JIT-less warm-up of the emulator) hits every side equally.
"""

import gc
import os
import platform
import statistics
import subprocess
import sys
import time
import tracemalloc


def machine_description():
    """One line naming CPU, cores, memory, OS, Python and how busy the machine was (15-minute load average)."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = ""
    try:
        with open("/proc/meminfo") as handle:
            kib = int(handle.readline().split()[1])
            memory = ", %.0f GiB RAM" % (kib / 1024 / 1024)
    except (OSError, ValueError, IndexError):
        pass
    load = ""
    if hasattr(os, "getloadavg"):  # written at the end of a run: the last 15 minutes are (mostly) the run
        load = ", load average %.1f over the last 15 minutes" % os.getloadavg()[2]
    return "%s, %d cores%s, %s, Python %s%s" % (
        cpu, os.cpu_count() or 0, memory, platform.platform(terse=True), platform.python_version(), load
    )


def library_versions(*names):
    """``name version`` for each installed distribution."""
    from importlib import metadata

    versions = []
    for name in names:
        try:
            versions.append("%s %s" % (name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            versions.append("%s (not installed)" % name)
    return ", ".join(versions)


def emulator_version():
    try:
        out = subprocess.run(["gcloud", "version"], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    for line in out.splitlines():
        if "datastore" in line.lower() or line.startswith("Google Cloud SDK"):
            return line.strip()
    return "unknown"


def interleaved(variants, repetitions, setup=None):
    """Run each variant ``repetitions`` times, interleaved; return {name: [seconds, ...]}.

    ``variants`` maps a name to a zero-argument callable; ``setup(name)`` (if
    given) runs untimed before each call. Each repetition starts with a
    different variant (the order rotates), each call starts after a garbage
    collection and runs with the collector off, as ``timeit`` does, so no
    variant pays for the garbage another one left.
    """
    timings = {name: [] for name in variants}
    names = list(variants)
    for repetition in range(repetitions):
        shift = repetition % len(names)
        for name in names[shift:] + names[:shift]:
            if setup is not None:
                setup(name)
            gc.collect()
            gc.disable()
            try:
                start = time.perf_counter()
                variants[name]()
                timings[name].append(time.perf_counter() - start)
            finally:
                gc.enable()
    return timings


def median_ms(samples):
    return statistics.median(samples) * 1000.0


def peak_memory(function):
    """(result, peak bytes allocated by Python while ``function`` ran), via tracemalloc."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        result = function()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


def markdown_table(headers, rows):
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(str(cell) for cell in row) + " |")
    return "\n".join(lines)


def replace_section(path, marker, content):
    """Replace the text between ``<!-- marker:start -->`` and ``<!-- marker:end -->`` in ``path``."""
    start, end = "<!-- %s:start -->" % marker, "<!-- %s:end -->" % marker
    text = open(path).read() if os.path.exists(path) else ""
    block = "%s\n%s\n%s" % (start, content.rstrip(), end)
    if start in text and end in text:
        before = text.split(start, 1)[0]
        after = text.split(end, 1)[1]
        text = before + block + after
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    with open(path, "w") as handle:
        handle.write(text)


def log(message):
    sys.stderr.write(message + "\n")
    sys.stderr.flush()
