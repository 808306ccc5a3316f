# bench/bench.py, tangled from chapters 9, 10, 11, 12, 13, 14, 16 of "Async from Scratch in C".
# Edit the chapters, not this file: `make tangled` writes it again.

"""make bench: chapter 9's benchmarks, the peers in the same run, one table."""
import argparse, json, os, platform, re, select, signal, subprocess, sys, tempfile, time

# Describe the machine the numbers come from (chapter 9)
def first_line(argv):
    try:
        out = subprocess.run(argv, capture_output=True, text=True).stdout
        return out.splitlines()[0].strip() if out else "?"
    except OSError:
        return "?"

def read_text(path, default="?"):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return default

def describe_machine(python):
    model = "?"
    for line in read_text("/proc/cpuinfo", "").splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    version = lambda package: first_line(["dpkg-query", "-W", "-f", "${Version}\n", package])
    return {
        "cpu": model, "cores": len(os.sched_getaffinity(0)),
        "kernel": platform.release(), "debian": read_text("/etc/debian_version"),
        "gcc": first_line(["gcc", "-dumpfullversion"]),
        "python": first_line([python, "--version"]).replace("Python ", ""),
        "libuv": version("libuv1-dev"), "libev": version("libev-dev"),
        "max_map_count": read_text("/proc/sys/vm/max_map_count"),
        "load": read_text("/proc/loadavg").split()[0],
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }

# Run a benchmark and read its line (chapter 9)
class BenchError(Exception):
    pass

def parse_line(line):
    fields = {}
    for pair in line.split()[1:]:
        key, _, value = pair.partition("=")
        try:
            fields[key] = float(value)
        except ValueError:
            fields[key] = value
    return fields

def run_line(argv, name, timeout=120):
    try:
        p = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise BenchError("%s: no answer in %d s" % (os.path.basename(argv[0]), timeout))
    for line in p.stdout.splitlines():
        if p.returncode == 0 and line.startswith(name + " "):
            return parse_line(line)
    raise BenchError("%s exited %d: %s" % (" ".join(os.path.basename(a) for a in argv[:2]),
                     p.returncode, (p.stderr.strip().splitlines() or ["no line"])[-1]))

def median_of(runs, argv, name):
    results = [run_line(argv, name) for _ in range(runs)]
    return {key: sorted(r[key] for r in results)[len(results) // 2]
            if isinstance(results[0][key], float) else results[0][key]
            for key in results[0]}

# Start an echo server and stop it (chapter 9)
class Server:
    def __init__(self, argv):
        self.process = subprocess.Popen(argv, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True)
        self.pid, self.port = self.process.pid, None
        deadline = time.monotonic() + 10
        while self.port is None and time.monotonic() < deadline:
            ready, _, _ = select.select([self.process.stdout], [], [], 0.5)
            line = self.process.stdout.readline() if ready else ""
            match = re.search(r"listening on \S+:(\d+)", line)
            if match:
                self.port = int(match.group(1))
            elif ready and not line:
                break
        if self.port is None:
            self.stop()
            raise BenchError("%s did not say where it listens" % os.path.basename(argv[0]))

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

# Run the rows of the table (chapters 9, 10, 11, 12, 13, 14, 16)
ROWS = [
    # name, ours, asyncio's, runs, [(key, label, unit)]
    ("yield", ["bench_yield", "1", "500000"], ["yield", "1", "100000"], 3,
     [("ns_per_yield", "yield, 1 task", "ns")]),
    ("yield", ["bench_yield", "2", "250000"], ["yield", "2", "50000"], 3,
     [("ns_per_yield", "yield, 2 tasks", "ns")]),
    ("spawn", ["bench_spawn", "50000"], ["spawn", "50000"], 3,
     [("ns_per_task", "spawn + run + exit", "ns")]),
    ("tasks", ["bench_tasks", "10000"], ["tasks", "10000"], 1,
     [("resident_bytes_per_task", "sleeping task, resident", "bytes"),
      ("mapped_bytes_per_task", "sleeping task, mapped", "bytes")]),
    ("sleepers", ["bench_sleepers", "10000", "1000"], ["sleepers", "10000", "1000"], 1,
     [("cpu_ms", "10,000 sleepers, CPU", "ms"),
      ("late_p50_us", "  lateness, median", "µs"),
      ("late_p99_us", "  lateness, p99", "µs"),
      ("late_max_us", "  lateness, worst", "µs")]),
    ("cancel", ["bench_cancel", "20000"], ["cancel", "20000"], 1,
     [("p50_ns", "cancel to wake, median", "ns"),
      ("p99_ns", "cancel to wake, p99", "ns")]),
]
# the peers the table compares with, in its order, and what later chapters measure
PEERS = ["asyncio", "libuv", "libev"]
LATER_ROWS = []
ECHO_CONNECTIONS, ECHO_ROUNDS = 50, 1000
ECHO_KEYS = [("rt_per_s", "echo, round trips/s", "1/s"),
             ("p50_us", "echo, latency median", "µs"),
             ("p99_us", "echo, latency p99", "µs"),
             ("server_cpu_us_per_rt", "echo, server CPU/trip", "µs")]

def run_rows(args):
    rows = []
    for name, ours, peer, runs, keys in ROWS:
        results = {}
        for who, argv in (("ours", [os.path.join(args.bin, ours[0])] + ours[1:]),
                          ("asyncio", [args.python, args.peer] + peer)):
            try:
                results[who] = median_of(runs, argv, name)
            except BenchError as error:
                results[who] = {"error": str(error)}
            print("  %-8s %-8s %s" % (name, who, results[who]), file=sys.stderr)
        for key, label, unit in keys:
            rows.append({"label": label, "unit": unit,
                         "values": {w: r.get(key) for w, r in results.items()},
                         "errors": {w: r["error"] for w, r in results.items() if "error" in r}})
    return rows

def echo_servers(args):
    return [("ours", [os.path.join(args.bin, "echo_server"), "-q", "127.0.0.1", "0"]),
            ("libuv", [os.path.join(args.peers, "uv_echo"), "127.0.0.1", "0"]),
            ("libev", [os.path.join(args.peers, "ev_echo"), "127.0.0.1", "0"]),
            ("asyncio", [args.python, args.peer, "echo", "127.0.0.1", "0"])]

def run_echo(args, server_argv, rounds, connections=ECHO_CONNECTIONS):
    server = Server(server_argv)
    try:
        return run_line([os.path.join(args.bin, "bench_echo"), "-p", str(server.pid),
                         "127.0.0.1", str(server.port), str(connections), str(rounds)],
                        "echo")
    finally:
        server.stop()

def echo_rows(args):
    results = {}
    for who, argv in echo_servers(args):
        try:
            results[who] = run_echo(args, argv, ECHO_ROUNDS)
        except BenchError as error:
            results[who] = {"error": str(error)}
        print("  echo     %-8s %s" % (who, results[who]), file=sys.stderr)
    return [{"label": label, "unit": unit,
             "values": {w: r.get(key) for w, r in results.items()},
             "errors": {w: r["error"] for w, r in results.items() if "error" in r},
             "higher_is_better": key == "rt_per_s"}
            for key, label, unit in ECHO_KEYS]

def switch_rows(args):
    """Chapter 10: the switch alone and a yield, beside the same stage on ucontext."""
    results = {}
    for who, bin_dir in (("ours", args.bin),
                         ("ucontext", os.path.join(args.peers, "ucontext", "bin"))):
        try:
            switch = median_of(3, [os.path.join(bin_dir, "bench_switch"), "2000000"],
                               "switch")
            yields = median_of(3, [os.path.join(bin_dir, "bench_yield"), "2",
                                   "250000"], "yield")
            results[who] = dict(switch, ns_per_yield=yields["ns_per_yield"])
        except (BenchError, OSError) as error:
            results[who] = {"error": str(error)}
        print("  switch   %-8s %s" % (who, results[who]), file=sys.stderr)
    return [{"label": label, "unit": "ns",
             "values": {w: r.get(key) for w, r in results.items()},
             "errors": {w: r["error"] for w, r in results.items() if "error" in r}}
            for key, label in (("ns_per_switch", "switch, task to task"),
                               ("ns_per_resume_and_yield", "switch, resume + yield"),
                               ("ns_per_yield", "yield, 2 tasks, again"))]

LATER_ROWS.append(switch_rows)
PEERS.append("ucontext")

ROWS.extend([
    ("sleepers", ["bench_sleepers", "100000", "1000"], ["sleepers", "100000", "1000"], 1,
     [("cpu_ms", "100,000 sleepers, CPU", "ms"),
      ("late_p50_us", "  lateness, median", "µs"),
      ("late_p99_us", "  lateness, p99", "µs"),
      ("late_max_us", "  lateness, worst", "µs")]),
    ("tasks", ["bench_tasks", "100000"], ["tasks", "100000"], 1,
     [("resident_bytes_per_task", "100,000 tasks, resident", "bytes")]),
])

POLLER_ECHO = [
    # label, connections, rounds, idle connections beside them
    ("100 conns, CPU/trip", 100, 500, 0),
    ("1,000 conns, CPU/trip", 1000, 100, 0),
    ("1 busy, 1,000 idle, CPU", 1, 5000, 1000),
]

def raise_descriptor_limit():
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

def start_on_poller(argv, poller):
    """Start a server with ASYNC_POLLER set for it alone."""
    saved = os.environ.get("ASYNC_POLLER")
    if poller:
        os.environ["ASYNC_POLLER"] = poller
    try:
        return Server(argv)
    finally:
        os.environ.pop("ASYNC_POLLER", None)
        if saved is not None:
            os.environ["ASYNC_POLLER"] = saved

def echo_beside_idle(args, argv, poller, connections, rounds, idle):
    import socket
    server = start_on_poller(argv, poller)
    quiet = []
    try:
        for _ in range(idle):
            quiet.append(socket.create_connection(("127.0.0.1", server.port)))
        return run_line([os.path.join(args.bin, "bench_echo"), "-p", str(server.pid),
                         "127.0.0.1", str(server.port), str(connections), str(rounds)],
                        "echo")
    finally:
        for sock in quiet:
            sock.close()
        server.stop()

OTHER_POLLERS = ["poll", "select"]      # measured beside ours, the default

def poller_rows(args):
    """Chapter 12: the echo server on each poller, and libuv, at 100 and 1,000."""
    raise_descriptor_limit()
    ours = [os.path.join(args.bin, "echo_server"), "-q", "127.0.0.1", "0"]
    servers = ([("ours", ours, None)] + [(p, ours, p) for p in OTHER_POLLERS] +
               [("libuv", [os.path.join(args.peers, "uv_echo"), "127.0.0.1", "0"], None)])
    rows = []
    for label, connections, rounds, idle in POLLER_ECHO:
        results = {}
        for who, argv, poller in servers:
            try:
                results[who] = echo_beside_idle(args, argv, poller, connections, rounds, idle)
            except (BenchError, OSError) as error:
                results[who] = {"error": str(error)}
            print("  pollers  %-8s %s" % (who, results[who]), file=sys.stderr)
        rows.append({"label": label, "unit": "µs",
                     "values": {w: r.get("server_cpu_us_per_rt") for w, r in results.items()},
                     "errors": {w: r["error"] for w, r in results.items() if "error" in r}})
    return rows

LATER_ROWS.append(poller_rows)
PEERS.extend(OTHER_POLLERS)

OTHER_POLLERS.append("io_uring")
PEERS.append("io_uring")

def calls_per_trip(args, argv, poller, connections, rounds):
    """Every system call a server makes per round trip, as strace counts them."""
    saved = os.environ.get("ASYNC_POLLER")
    if poller:
        os.environ["ASYNC_POLLER"] = poller
    try:
        calls = strace_server(args, argv, rounds, connections)
    finally:
        os.environ.pop("ASYNC_POLLER", None)
        if saved is not None:
            os.environ["ASYNC_POLLER"] = saved
    return sum(calls.values())

def completion_rows(args):
    """Chapter 13: system calls per round trip on epoll, io_uring and libuv."""
    ours = [os.path.join(args.bin, "echo_server"), "-q", "127.0.0.1", "0"]
    servers = [("ours", ours, None), ("io_uring", ours, "io_uring"),
               ("libuv", [os.path.join(args.peers, "uv_echo"), "127.0.0.1", "0"], None)]
    rows = []
    for label, connections, rounds in (("syscalls/trip, 1 conn", 1, 1000),
                                       ("syscalls/trip, 50 conns", 50, 200)):
        values, errors = {}, {}
        for who, argv, poller in servers:
            try:
                values[who] = calls_per_trip(args, argv, poller, connections, rounds)
            except (BenchError, OSError) as error:
                values[who], errors[who] = None, str(error)
            print("  calls    %-8s %s" % (who, values[who]), file=sys.stderr)
        rows.append({"label": label, "unit": "calls", "values": values, "errors": errors})
    return rows

LATER_ROWS.append(completion_rows)

def loops_rows(args):
    """Chapter 14: the echo server with one loop and with two, 100 connections."""
    ours = [os.path.join(args.bin, "echo_server"), "-q", "127.0.0.1", "0"]
    servers = [("ours", ours), ("2 loops", ours[:2] + ["-j", "2"] + ours[2:])]
    results = {}
    for who, argv in servers:
        server = Server(argv)
        try:
            results[who] = run_line([os.path.join(args.bin, "bench_echo"), "-p",
                                     str(server.pid), "127.0.0.1", str(server.port),
                                     "100", "2000"], "echo")
        except (BenchError, OSError) as error:
            results[who] = {"error": str(error)}
        finally:
            server.stop()
        print("  loops    %-8s %s" % (who, results[who]), file=sys.stderr)
    for r in results.values():
        if "error" not in r:
            r["client_cores"] = r["client_cpu_us_per_rt"] * r["rt_per_s"] / 1e4
    errors = {w: r["error"] for w, r in results.items() if "error" in r}
    return [{"label": label, "unit": unit, "errors": errors, "higher_is_better": better,
             "values": {w: r.get(key) for w, r in results.items()}}
            for key, label, unit, better in
            (("rt_per_s", "-j, 100 conns, trips/s", "1/s", True),
             ("server_cpu_us_per_rt", "-j, server CPU/trip", "µs", False),
             ("client_cores", "-j, load generator CPU", "% core", False))]

LATER_ROWS.append(loops_rows)
PEERS.append("2 loops")

HELD_CONNECTIONS = 10000

def hold_connections(port, count):
    """Open count connections and echo one byte on each, so that each has its task."""
    import socket
    held = []
    try:
        for _ in range(count):
            held.append(socket.create_connection(("127.0.0.1", port)))
            held[-1].sendall(b"x")
            if held[-1].recv(1) != b"x":
                raise BenchError("a held connection was not echoed")
    except BaseException:
        for sock in held:
            sock.close()
        raise
    return held

def resident_kib(pid):
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise BenchError("process %d has no VmRSS" % pid)

def memory_rows(args):
    """Chapter 14: resident memory per connection, with 10,000 connections held."""
    raise_descriptor_limit()
    ours = [os.path.join(args.bin, "echo_server"), "-q", "127.0.0.1", "0"]
    servers = [("ours", ours, None), ("io_uring", ours, "io_uring"),
               ("libuv", [os.path.join(args.peers, "uv_echo"), "127.0.0.1", "0"], None)]
    values, errors = {}, {}
    for who, argv, poller in servers:
        held = []
        try:
            server = start_on_poller(argv, poller)
        except (BenchError, OSError) as error:
            values[who], errors[who] = None, str(error)
            continue
        try:
            before = resident_kib(server.pid)
            held = hold_connections(server.port, HELD_CONNECTIONS)
            values[who] = (resident_kib(server.pid) - before) * 1024 / HELD_CONNECTIONS
        except (BenchError, OSError) as error:
            values[who], errors[who] = None, str(error)
        finally:
            for sock in held:
                sock.close()
            server.stop()
        print("  memory   %-8s %s" % (who, values[who]), file=sys.stderr)
    return [{"label": "10,000 conns, RSS/conn", "unit": "bytes", "values": values,
             "errors": errors}]

LATER_ROWS.append(memory_rows)

def deadline_rows(args):
    """Chapter 16: a wait on a pipe, each in a scope of its own and in none."""
    try:
        result = median_of(3, [os.path.join(args.bin, "bench_deadline"), "50000"],
                           "deadline")
        values = {"ours": result["ns_per_wait_with_deadline"],
                  "no scope": result["ns_per_wait"]}
        errors = {}
    except (BenchError, OSError) as error:
        values, errors = {"ours": None, "no scope": None}, {"ours": str(error)}
    print("  deadline %s" % values, file=sys.stderr)
    return [{"label": "pipe wait, with deadline", "unit": "ns", "values": values,
             "errors": errors}]

LATER_ROWS.append(deadline_rows)
PEERS.append("no scope")

# Count the system calls with strace (chapter 9)
def strace_summary(path):
    calls = {}
    for line in read_text(path, "").splitlines():
        fields = line.split()
        if len(fields) >= 5 and re.fullmatch(r"[\d.]+", fields[0]) and fields[3].isdigit():
            calls[fields[-1]] = int(fields[3])
    calls.pop("total", None)
    return calls

def strace_program(argv, per):
    with tempfile.NamedTemporaryFile(suffix=".strace") as out:
        p = subprocess.run(["strace", "-f", "-c", "-o", out.name, "--"] + argv,
                           capture_output=True, text=True)
        if p.returncode != 0:
            raise BenchError("strace: " + (p.stderr.strip().splitlines() or ["failed"])[-1])
        return {name: count / per for name, count in strace_summary(out.name).items()}

def attach(tool_argv, pid, wait_for):
    tracer = subprocess.Popen(tool_argv + ["-p", str(pid)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        ready, _, _ = select.select([tracer.stderr], [], [], 0.5)
        line = tracer.stderr.readline() if ready else ""
        if wait_for in line:
            return tracer
        if ready and not line:
            break
    tracer.kill()
    raise BenchError("%s could not attach: %s" % (tool_argv[0], line.strip() or "no answer"))

def detach(tracer):
    tracer.send_signal(signal.SIGINT)
    try:
        tracer.wait(20)
    except subprocess.TimeoutExpired:
        tracer.kill()
        tracer.wait()

def strace_server(args, server_argv, rounds=1000, connections=1):
    server = Server(server_argv)
    with tempfile.NamedTemporaryFile(suffix=".strace") as out:
        try:
            tracer = attach(["strace", "-f", "-c", "-o", out.name], server.pid, "attached")
            try:
                line = run_line([os.path.join(args.bin, "bench_echo"), "-w", "500",
                                 "127.0.0.1", str(server.port), str(connections),
                                 str(rounds)], "echo")
            finally:
                detach(tracer)
        finally:
            server.stop()
        trips = line["round_trips"]
        return {name: count / trips for name, count in strace_summary(out.name).items()}

def strace_rows(args):
    rows = []
    yields = 20000
    for label, argv, per in (
            ("bench_yield, 1 task", ["bench_yield", "1", str(yields)], yields),
            ("bench_yield, 2 tasks", ["bench_yield", "2", str(yields)], 2 * yields),
            ("bench_spawn", ["bench_spawn", str(yields)], yields)):
        try:
            calls = strace_program([os.path.join(args.bin, argv[0])] + argv[1:], per)
        except (BenchError, OSError) as error:
            calls = {"error": str(error)}
        rows.append((label, "task" if "spawn" in label else "yield", calls))
    for who, argv in echo_servers(args):
        try:
            calls = strace_server(args, argv)
        except (BenchError, OSError) as error:
            calls = {"error": str(error)}
        rows.append(("echo server, " + who, "round trip", calls))
    return rows

# Find the top symbols with perf (chapter 9)
def perf_report(data):
    p = subprocess.run(["perf", "report", "-i", data, "--stdio", "--no-children",
                        "--sort", "symbol"], capture_output=True, text=True)
    top = []
    for line in p.stdout.splitlines():
        match = re.match(r"\s*([\d.]+)%\s+\[([.k])\]\s+(\S+)", line)
        if match and len(top) < 5:
            top.append((float(match.group(1)), match.group(2), match.group(3)))
    if not top:
        raise BenchError("perf report: " + (p.stderr.strip().splitlines() or ["no samples"])[-1])
    return top

def perf_rows(args):
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        data = os.path.join(scratch, "perf.data")
        try:
            p = subprocess.run(["perf", "record", "-e", "cpu-clock", "-o", data, "--",
                                os.path.join(args.bin, "bench_yield"), "1", "300000"],
                               capture_output=True, text=True)
            if p.returncode != 0:
                raise BenchError("perf record: " + (p.stderr.strip().splitlines()
                                                    or ["failed"])[-1])
            rows.append(("bench_yield 1 300000", perf_report(data)))
        except (BenchError, OSError) as error:
            rows.append(("bench_yield 1 300000", str(error)))
        try:
            server = Server(echo_servers(args)[0][1])
            try:
                recorder = attach(["perf", "record", "-e", "cpu-clock", "-o", data],
                                  server.pid, "")
                time.sleep(0.5)
                try:
                    run_line([os.path.join(args.bin, "bench_echo"), "127.0.0.1",
                              str(server.port), str(ECHO_CONNECTIONS), "500"], "echo")
                finally:
                    detach(recorder)
            finally:
                server.stop()
            rows.append(("echo_server under bench_echo", perf_report(data)))
        except (BenchError, OSError) as error:
            rows.append(("echo_server under bench_echo", str(error)))
    return rows

# Print the table and write the results (chapter 9)
def figure(value):
    if not isinstance(value, float):
        return "-"
    if abs(value) >= 100:
        return "{:,.0f}".format(value)
    return "%.2f" % value if abs(value) < 10 else "%.1f" % value

def format_table(info, rows, echo, straces, perfs):
    out = ["Chapter 9 benchmarks, %s" % info["date"],
           "machine: %s, %d cores, Linux %s, Debian %s" % (info["cpu"], info["cores"],
                                                          info["kernel"], info["debian"]),
           "         gcc %s, Python %s, libuv %s, libev %s" % (
               info["gcc"], info["python"], info["libuv"], info["libev"]),
           "         load average %s at the start; vm.max_map_count %s" % (
               info["load"], info["max_map_count"]),
           "",
           "%-26s %-5s %11s  %-8s %11s  %7s" % ("measure", "unit", "ours", "peer",
                                               "theirs", "ratio"),
           "-" * 77]
    for row in rows + echo:
        ours = row["values"].get("ours")
        first = True
        for peer in PEERS:
            if peer not in row["values"]:
                continue
            theirs = row["values"][peer]
            ratio = ours / theirs if isinstance(ours, float) and isinstance(theirs, float) \
                and theirs else None
            out.append("%-26s %-5s %11s  %-8s %11s  %7s" % (
                row["label"] if first else "", row["unit"] if first else "",
                figure(ours) if first else "", peer, figure(theirs),
                "%.2f" % ratio if ratio is not None else "-"))
            first = False
        for who, error in row["errors"].items():
            out.append("    (%s: %s)" % (who, error[:66]))
    out += ["", "system calls (strace -c), per yield, task or round trip:"]
    for label, per, calls in straces:
        if "error" in calls:
            out.append("  %-27s %s" % (label, calls["error"][:48]))
            continue
        top = sorted(calls.items(), key=lambda item: -item[1])
        out.append("  %-27s %6.2f per %s" % (label, sum(calls.values()), per))
        out.append("      " + ", ".join("%s %.2f" % item for item in top[:4] if item[1] >= 0.05))
    out += ["", "where the time goes (perf record -e cpu-clock), top symbols:"]
    for label, top in perfs:
        out.append("  " + label)
        if isinstance(top, str):
            out.append("      " + top[:70])
            continue
        for percent, where, symbol in top:
            out.append("      %5.1f%%  %s %s" % (percent, "kernel" if where == "k"
                                                 else "user  ", symbol[:52]))
    return "\n".join(out) + "\n"

# Run everything that make bench runs (chapter 9)
def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True, help="the stage's programs (build/stageN/bin)")
    ap.add_argument("--peers", required=True, help="the compiled uv_echo and ev_echo")
    ap.add_argument("--python", default=sys.executable, help="the Python of the asyncio peer")
    ap.add_argument("--out", required=True, help="where results.txt and .json go")
    args = ap.parse_args()
    args.peer = os.path.join(os.path.dirname(os.path.abspath(__file__)), "asyncio_peer.py")
    info = describe_machine(args.python)
    started = time.monotonic()
    rows = run_rows(args)
    for measure in LATER_ROWS:
        rows += measure(args)
    rows.append({"label": "most tasks held", "unit": "tasks", "errors": {}, "values": {}})
    try:
        held = run_line([os.path.join(args.bin, "bench_tasks"), "max"], "tasks")
        rows[-1]["values"] = {"ours": held["count"], "asyncio": None}
        rows[-1]["label"] = "most tasks held (%s)" % held["stop"]
    except BenchError as error:
        rows[-1]["errors"] = {"ours": str(error)}
    echo = echo_rows(args)
    straces = strace_rows(args)
    perfs = perf_rows(args)
    text = format_table(info, rows, echo, straces, perfs)
    text += "\n(%d s; every ratio is from this one run)\n" % (time.monotonic() - started)
    sys.stdout.write(text)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "results.txt"), "w") as f:
        f.write(text)
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump({"machine": info, "rows": rows + echo,
                   "strace": [{"label": l, "per": p, "calls": c} for l, p, c in straces],
                   "perf": [{"label": l, "top": t} for l, t in perfs]}, f, indent=1)
    print("wrote %s and results.json" % os.path.join(args.out, "results.txt"),
          file=sys.stderr)

main()
