"""Python multiprocessing peers of the perf harness, printing the same RESULT lines as the others.

    python3 mp_peers.py lock-counter PROCESSES ITERATIONS
    python3 mp_peers.py sem-handoff ROUND_TRIPS
    python3 mp_peers.py pipe-rtt ROUND_TRIPS           # 32-byte messages through Pipe(), echoed
    python3 mp_peers.py queue-rtt ROUND_TRIPS          # the same through two Queues
    python3 mp_peers.py floatchannel MESSAGES LENGTH   # the tutorial's FloatChannel, its buffer_len bug fixed
    python3 mp_peers.py floatchannel-numpy MESSAGES LENGTH
"""
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
    print("RESULT " + " ".join(f"{key}={value}" for key, value in fields.items()), flush=True)


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
    else:
        sys.exit(f"unknown command {command}")
