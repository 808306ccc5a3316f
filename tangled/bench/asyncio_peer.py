# bench/asyncio_peer.py, tangled from chapter 9 of "Async from Scratch in C".
# Edit the chapters, not this file: `make tangled` writes it again.

"""The Python asyncio peer of chapter 9's benchmarks: one subcommand per C program."""
import asyncio, sys, time

# Yield, spawn and hold tasks in asyncio (chapter 9)
def timed_run(coroutine):
    wall, cpu = time.perf_counter_ns(), time.process_time_ns()
    asyncio.run(coroutine)
    return time.perf_counter_ns() - wall, time.process_time_ns() - cpu

def run_yield(tasks, rounds):
    async def yield_rounds():
        for _ in range(rounds):
            await asyncio.sleep(0)
    async def main():
        await asyncio.gather(*(yield_rounds() for _ in range(tasks)))
    wall, cpu = timed_run(main())
    n = tasks * rounds
    print(f"yield tasks={tasks} rounds={rounds} ns_per_yield={wall / n:.1f} "
          f"cpu_ns_per_yield={cpu / n:.1f}")

def run_spawn(count):
    async def nothing():
        pass
    async def spawn_batches():
        started = 0
        while started < count:
            batch = min(100, count - started)
            for _ in range(batch):
                asyncio.create_task(nothing())
            started += batch
            await asyncio.sleep(0)
    wall, cpu = timed_run(spawn_batches())
    print(f"spawn tasks={count} batch=100 ns_per_task={wall / count:.1f} "
          f"cpu_ns_per_task={cpu / count:.1f}")

def statm_bytes():
    with open("/proc/self/statm") as f:
        size, resident = f.read().split()[:2]
    page = 4096
    return int(resident) * page, int(size) * page

def run_tasks(count):
    async def hold():
        resident, mapped = statm_bytes()
        tasks = [asyncio.create_task(asyncio.sleep(3600)) for _ in range(count)]
        await asyncio.sleep(0)
        resident2, mapped2 = statm_bytes()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        return (resident2 - resident) // count, (mapped2 - mapped) // count
    result = {}
    async def main():
        result["per_task"] = await hold()
    asyncio.run(main())
    resident, mapped = result["per_task"]
    print(f"tasks count={count} resident_bytes_per_task={resident} "
          f"mapped_bytes_per_task={mapped} stop=asked")

# Sleep and cancel in asyncio (chapter 9)
def random_fractions(count):
    state, mask = 88172645463325252, (1 << 64) - 1
    for _ in range(count):
        state ^= (state << 13) & mask
        state ^= state >> 7
        state ^= (state << 17) & mask
        yield (state >> 11) / 9007199254740992.0

def nearest_rank(values, p):
    values = sorted(values)
    rank = min(len(values), max(1, int(p * len(values) + 0.999999)))
    return values[rank - 1]

def run_sleepers(count, span_ms):
    lateness = []
    async def sleep_once(seconds):
        deadline = time.perf_counter_ns() + int(seconds * 1e9)
        await asyncio.sleep(seconds)
        lateness.append(time.perf_counter_ns() - deadline)
    async def main():
        await asyncio.gather(*(sleep_once(f * span_ms / 1000)
                               for f in random_fractions(count)))
    wall, cpu = timed_run(main())
    print(f"sleepers tasks={count} span_ms={span_ms} wall_ms={wall / 1e6:.1f} "
          f"cpu_ms={cpu / 1e6:.1f} late_p50_us={nearest_rank(lateness, 0.5) / 1e3:.1f} "
          f"late_p99_us={nearest_rank(lateness, 0.99) / 1e3:.1f} "
          f"late_max_us={max(lateness) / 1e3:.1f}")

def run_cancel(rounds):
    latency, noticed = [], [0]
    async def sleep_until_cancelled():
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            noticed[0] = time.perf_counter_ns()
    async def cancel_rounds():
        for _ in range(rounds):
            task = asyncio.create_task(sleep_until_cancelled())
            await asyncio.sleep(0)
            cancelled_at = time.perf_counter_ns()
            task.cancel()
            while not task.done():
                await asyncio.sleep(0)
            latency.append(noticed[0] - cancelled_at)
    asyncio.run(cancel_rounds())
    print(f"cancel rounds={rounds} p50_ns={nearest_rank(latency, 0.5)} "
          f"p99_ns={nearest_rank(latency, 0.99)} max_ns={max(latency)}")

# Serve echoes with asyncio streams (chapter 9)
async def echo_connection(reader, writer):
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()

async def serve_echo(host, port):
    server = await asyncio.start_server(echo_connection, host, port)
    print(f"listening on {host}:{server.sockets[0].getsockname()[1]}", flush=True)
    async with server:
        await server.serve_forever()

# Run the asyncio experiment the command line names (chapter 9)
def main(argv):
    commands = {"yield": (run_yield, 2), "spawn": (run_spawn, 1),
                "tasks": (run_tasks, 1), "sleepers": (run_sleepers, 2),
                "cancel": (run_cancel, 1)}
    try:
        if argv[0] == "echo" and len(argv) == 3:
            asyncio.run(serve_echo(argv[1], int(argv[2])))
            return 0
        function, count = commands[argv[0]]
        numbers = [int(a) for a in argv[1:]]
        if len(numbers) != count or min(numbers) < 0:
            raise ValueError
    except (IndexError, KeyError, ValueError):
        sys.stderr.write("usage: asyncio_peer.py yield TASKS ROUNDS | spawn COUNT | "
                         "tasks COUNT | sleepers COUNT SPAN_MS | cancel ROUNDS | "
                         "echo HOST PORT\n")
        return 2
    function(*numbers)
    return 0

sys.exit(main(sys.argv[1:]))
