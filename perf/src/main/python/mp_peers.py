"""Python multiprocessing peers of the perf harness, printing the same RESULT lines as the others.

    python3 mp_peers.py lock-counter PROCESSES ITERATIONS
    python3 mp_peers.py sem-handoff ROUND_TRIPS
    python3 mp_peers.py pipe-rtt ROUND_TRIPS           # 32-byte messages through Pipe(), echoed
    python3 mp_peers.py queue-rtt ROUND_TRIPS          # the same through two Queues
    python3 mp_peers.py floatchannel MESSAGES LENGTH   # the tutorial's FloatChannel, its buffer_len bug fixed
    python3 mp_peers.py floatchannel-numpy MESSAGES LENGTH
    python3 mp_peers.py pool-apply CALLS               # Pool(2).apply of the identity, back to back
    python3 mp_peers.py executor-apply CALLS           # ProcessPoolExecutor(2).submit(...).result()
    python3 mp_peers.py pool-map ITEMS                 # Pool(2).map of squaring, default chunks
    python3 mp_peers.py pool-cpu TASKS WORKERS         # Pool(WORKERS).map of CPU-bound tasks, chunks of 1
    python3 mp_peers.py manager-dict KEYS OPS          # Manager().dict(): one process gets while another puts
"""
import concurrent.futures
import multiprocessing as mp
import resource
import sys
import time


def cpu_ns():
    """CPU time of this process and of the children it has joined."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return int(total * 1e9)


def result(**fields):
    fields["cpu_ns"] = cpu_ns()
    # One write per line, so that lines of processes printing at once do not interleave.
    sys.stdout.write("RESULT " + " ".join(f"{key}={value}" for key, value in fields.items()) + "\n")
    sys.stdout.flush()


def count(lock, counter, ready, processes, iterations):
    with ready.get_lock():
        ready.value += 1
    while ready.value < processes:
        pass
    for _ in range(iterations):
        with lock:
            counter.value += 1


def lock_counter(processes, iterations):
    lock = mp.Lock()
    counter = mp.RawValue("q", 0)
    ready = mp.Value("i", 0)
    workers = [mp.Process(target=count, args=(lock, counter, ready, processes, iterations)) for _ in range(processes)]
    for worker in workers:
        worker.start()
    while ready.value < processes:
        pass
    start = time.monotonic_ns()
    for worker in workers:
        worker.join()
    result(system="python-lock", processes=processes, iterations=iterations,
           total_ns=time.monotonic_ns() - start, counter=counter.value)


def pong(there, back, total):
    for _ in range(total):
        there.acquire()
        back.release()


def percentiles(system, samples):
    samples.sort()
    n = len(samples)
    result(system=system, count=n, p50=samples[n // 2], p99=samples[int(n * 0.99)],
           p999=samples[int(n * 0.999)], max=samples[-1])


def sem_handoff(round_trips):
    there, back = mp.Semaphore(0), mp.Semaphore(0)
    warm_up = round_trips // 10
    peer = mp.Process(target=pong, args=(there, back, warm_up + round_trips))
    peer.start()
    samples = []
    for i in range(warm_up + round_trips):
        start = time.perf_counter_ns()
        there.release()
        back.acquire()
        if i >= warm_up:
            samples.append(time.perf_counter_ns() - start)
    peer.join()
    percentiles("python-semaphore", samples)


def echo_pipe(connection, total):
    for _ in range(total):
        connection.send_bytes(connection.recv_bytes())


def pipe_rtt(round_trips):
    ours, theirs = mp.Pipe()
    warm_up = round_trips // 10
    peer = mp.Process(target=echo_pipe, args=(theirs, warm_up + round_trips))
    peer.start()
    message = bytes(32)
    samples = []
    for i in range(warm_up + round_trips):
        start = time.perf_counter_ns()
        ours.send_bytes(message)
        ours.recv_bytes()
        if i >= warm_up:
            samples.append(time.perf_counter_ns() - start)
    peer.join()
    percentiles("python-pipe", samples)


def echo_queue(there, back, total):
    for _ in range(total):
        back.put(there.get())


def queue_rtt(round_trips):
    there, back = mp.Queue(), mp.Queue()
    warm_up = round_trips // 10
    peer = mp.Process(target=echo_queue, args=(there, back, warm_up + round_trips))
    peer.start()
    message = bytes(32)
    samples = []
    for i in range(warm_up + round_trips):
        start = time.perf_counter_ns()
        there.put(message)
        back.get()
        if i >= warm_up:
            samples.append(time.perf_counter_ns() - start)
    peer.join()
    percentiles("python-queue", samples)


class FloatChannel:
    """The tutorial's FloatChannel, with self.buffer_len.value set as intended."""

    def __init__(self, maxsize):
        self.buffer = mp.RawArray("d", maxsize)
        self.buffer_len = mp.Value("i")
        self.empty = mp.Semaphore(1)
        self.full = mp.Semaphore(0)

    def send(self, values):
        self.empty.acquire()
        n = len(values)
        self.buffer_len.value = n
        self.buffer[:n] = values
        self.full.release()

    def recv(self):
        self.full.acquire()
        values = self.buffer[:self.buffer_len.value]
        self.empty.release()
        return values


class NumpyFloatChannel(FloatChannel):
    """The same, copying through numpy views of the shared array."""

    def __init__(self, maxsize):
        super().__init__(maxsize)
        import numpy
        self.view = numpy.frombuffer(self.buffer, dtype=numpy.float64)

    def send(self, values):
        self.empty.acquire()
        n = len(values)
        self.buffer_len.value = n
        self.view[:n] = values
        self.full.release()

    def recv(self):
        self.full.acquire()
        values = self.view[:self.buffer_len.value].copy()
        self.empty.release()
        return values


def float_consumer(channel, count, done):
    for _ in range(count):
        values = channel.recv()
    done.value = time.monotonic_ns()
    assert values[0] == count - 1


def floatchannel(messages, length, numpy_views):
    channel = NumpyFloatChannel(length) if numpy_views else FloatChannel(length)
    done = mp.Value("q", 0)
    peer = mp.Process(target=float_consumer, args=(channel, messages, done))
    peer.start()
    if numpy_views:
        import numpy
        values = numpy.arange(length, dtype=numpy.float64)
    else:
        values = [float(x) for x in range(length)]
    start = time.monotonic_ns()
    for m in range(messages):
        values[0] = m
        channel.send(values)
    peer.join()
    result(system="python-floatchannel" + ("-numpy" if numpy_views else ""), messages=messages,
           ns=done.value - start)


def identity(x):
    return x


def square(x):
    return x * x


def count_primes(top):
    """The same CPU-bound task as the Java peer: primes among the 4,000 numbers below top."""
    primes = 0
    for n in range(top - 4000, top):
        prime = n > 1
        d = 2
        while d * d <= n and prime:
            prime = n % d != 0
            d += 1
        primes += 1 if prime else 0
    return primes


def timed_calls(system, calls, call):
    for i in range(calls // 10):
        call(i)
    samples = []
    for i in range(calls):
        start = time.perf_counter_ns()
        call(i)
        samples.append(time.perf_counter_ns() - start)
    percentiles(system, samples)


def pool_apply(calls):
    with mp.Pool(2) as pool:
        timed_calls("python-pool-apply", calls, lambda i: pool.apply(identity, (i,)))


def executor_apply(calls):
    with concurrent.futures.ProcessPoolExecutor(2) as executor:
        timed_calls("python-executor-submit", calls, lambda i: executor.submit(identity, i).result())


def pool_map(items):
    """Pool.map of squaring, as PoolChild's map: ten untimed rounds, then the median of nine."""
    with mp.Pool(2) as pool:
        took = []
        for round_ in range(-10, 9):
            start = time.monotonic_ns()
            results = pool.map(square, range(items))
            if round_ >= 0:
                took.append(time.monotonic_ns() - start)
            assert results[-1] == (items - 1) ** 2
        took.sort()
        result(system="python-pool-map", count=items, ns=took[len(took) // 2], min_ns=took[0])


def pool_cpu(tasks, workers):
    work = [2_000_000 + 4_000 * i for i in range(tasks)]
    with mp.Pool(workers) as pool:
        pool.map(count_primes, work[:workers], 1)
        start = time.monotonic_ns()
        pool.map(count_primes, work, 1)
        result(system="python-pool-cpu", workers=workers, count=tasks, ns=time.monotonic_ns() - start)


def map_key(i):
    return i.to_bytes(8, "big") + ((i * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF).to_bytes(8, "big")


def map_value(i, version):
    return ((i ^ version) & 0xFFFFFFFFFFFFFFFF).to_bytes(8, "big") * 8


def dict_side(shared, writer, keys, ops, mine, other):
    """As MapChild's put and get roles: a tenth untimed, wait for the other side, time ops, go on until both are done."""
    import random
    version = 1

    def operate():
        nonlocal version
        i = random.randrange(keys)
        if writer:
            shared[map_key(i)] = map_value(i, version)
            version += 1
        else:
            assert len(shared[map_key(i)]) == 64

    for _ in range(ops // 10):
        operate()
    mine.value = 1
    while other.value < 1:
        operate()
    samples = []
    start = time.monotonic_ns()
    for _ in range(ops):
        began = time.perf_counter_ns()
        operate()
        samples.append(time.perf_counter_ns() - began)
    took = time.monotonic_ns() - start
    mine.value = 2
    while other.value < 2:
        operate()
    samples.sort()
    n = len(samples)
    result(system="python-manager-dict", role="put" if writer else "get", count=n, ns=took, p50=samples[n // 2],
           p99=samples[int(n * 0.99)], max=samples[-1])


def manager_dict(keys, ops):
    with mp.Manager() as manager:
        shared = manager.dict()
        shared.update({map_key(i): map_value(i, 0) for i in range(keys)})
        put_state, get_state = mp.Value("i", 0), mp.Value("i", 0)
        sides = [mp.Process(target=dict_side, args=(shared, True, keys, ops, put_state, get_state)),
                 mp.Process(target=dict_side, args=(shared, False, keys, ops, get_state, put_state))]
        for side in sides:
            side.start()
        for side in sides:
            side.join()


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "lock-counter":
        lock_counter(int(sys.argv[2]), int(sys.argv[3]))
    elif command == "sem-handoff":
        sem_handoff(int(sys.argv[2]))
    elif command == "pipe-rtt":
        pipe_rtt(int(sys.argv[2]))
    elif command == "queue-rtt":
        queue_rtt(int(sys.argv[2]))
    elif command == "floatchannel":
        floatchannel(int(sys.argv[2]), int(sys.argv[3]), False)
    elif command == "floatchannel-numpy":
        floatchannel(int(sys.argv[2]), int(sys.argv[3]), True)
    elif command == "pool-apply":
        pool_apply(int(sys.argv[2]))
    elif command == "executor-apply":
        executor_apply(int(sys.argv[2]))
    elif command == "pool-map":
        pool_map(int(sys.argv[2]))
    elif command == "pool-cpu":
        pool_cpu(int(sys.argv[2]), int(sys.argv[3]))
    elif command == "manager-dict":
        manager_dict(int(sys.argv[2]), int(sys.argv[3]))
    else:
        sys.exit(f"unknown command {command}")
