"""Python multiprocessing peers of the perf harness, printing the same RESULT lines as the others.

    python3 mp_peers.py lock-counter PROCESSES ITERATIONS
    python3 mp_peers.py sem-handoff ROUND_TRIPS
"""
import multiprocessing as mp
import sys
import time


def result(**fields):
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


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "lock-counter":
        lock_counter(int(sys.argv[2]), int(sys.argv[3]))
    elif command == "sem-handoff":
        sem_handoff(int(sys.argv[2]))
    else:
        sys.exit(f"unknown command {command}")
