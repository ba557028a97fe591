/*
 * The C reference of the perf harness: what the hardware and the OS give without a JVM, measured
 * with the same workloads as shm. Processes share an anonymous MAP_SHARED mapping made before
 * fork(). Each command prints one "RESULT key=value ..." line.
 *
 *   shmref probe <round-trips>                          spin ping-pong round trip (the run's yardstick)
 *   shmref lock-counter <robust|pshared|futex> <procs> <iterations>
 *   shmref sem-handoff <round-trips>                    POSIX sem_t, process-shared
 *   shmref futex-pingpong <park|spin-then-park> <round-trips>
 *   shmref spsc-throughput <messages>                   32-byte messages through a ring of slots
 *   shmref byte-ring <messages> <doubles> [<warm-up> [<ring bytes> [memcpy|plain]]]
 *                                                       arrays of doubles through a byte ring (1 MiB), timed
 *                                                       after the untimed warm-up sends; the writer copies
 *                                                       with memcpy or with ordinary stores
 *
 * Build: gcc -O2 -pthread -o shmref shmref.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* CPU time of this process and of its children that have been waited for. */
static unsigned long long cpu_ns(void)
{
    struct rusage self, children;
    getrusage(RUSAGE_SELF, &self);
    getrusage(RUSAGE_CHILDREN, &children);
    unsigned long long us = 0;
    us += self.ru_utime.tv_sec * 1000000ull + self.ru_utime.tv_usec + self.ru_stime.tv_sec * 1000000ull + self.ru_stime.tv_usec;
    us += children.ru_utime.tv_sec * 1000000ull + children.ru_utime.tv_usec + children.ru_stime.tv_sec * 1000000ull +
        children.ru_stime.tv_usec;
    return us * 1000;
}

static void *shared(size_t length)
{
    void *memory = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED)
    {
        perror("mmap");
        exit(2);
    }
    memset(memory, 0, length);
    return memory;
}

static void pin(int cpu)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    if (cpus > 1)
    {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(cpu % cpus, &set);
        sched_setaffinity(0, sizeof(set), &set);
    }
}

static int compare(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void print_latency(const char *name, uint64_t *samples, long count)
{
    qsort(samples, count, sizeof(uint64_t), compare);
    printf("RESULT system=%s count=%ld p50=%llu p99=%llu p999=%llu max=%llu cpu_ns=%llu\n", name, count,
        (unsigned long long)samples[count / 2], (unsigned long long)samples[(long)(count * 0.99)],
        (unsigned long long)samples[(long)(count * 0.999)], (unsigned long long)samples[count - 1], cpu_ns());
}

static void wait_children(void)
{
    int status;
    while (wait(&status) > 0)
    {
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        {
            fprintf(stderr, "a child failed\n");
            exit(3);
        }
    }
}

/* ---- probe: spin ping-pong on two cache lines ---- */

struct pingpong
{
    _Alignas(64) atomic_long ping;
    _Alignas(64) atomic_long pong;
};

static int probe(long round_trips)
{
    struct pingpong *pp = shared(sizeof(struct pingpong));
    long warm_up = round_trips / 10;
    if (fork() == 0)
    {
        pin(1);
        for (long i = 1; i <= warm_up + round_trips; i++)
        {
            while (atomic_load_explicit(&pp->ping, memory_order_acquire) != i)
            {
            }
            atomic_store_explicit(&pp->pong, i, memory_order_release);
        }
        _exit(0);
    }
    pin(0);
    uint64_t *samples = malloc(sizeof(uint64_t) * round_trips);
    for (long i = 1; i <= warm_up + round_trips; i++)
    {
        uint64_t start = now_ns();
        atomic_store_explicit(&pp->ping, i, memory_order_release);
        while (atomic_load_explicit(&pp->pong, memory_order_acquire) != i)
        {
        }
        if (i > warm_up)
        {
            samples[i - warm_up - 1] = now_ns() - start;
        }
    }
    wait_children();
    print_latency("c-spin", samples, round_trips);
    return 0;
}

/* ---- lock counter ---- */

#define MAX_PROCESSES 64

struct counter
{
    _Alignas(64) pthread_mutex_t mutex;
    _Alignas(64) atomic_int futex_word;
    _Alignas(64) long counter;
    _Alignas(64) atomic_int ready;
    uint64_t start[MAX_PROCESSES];
    uint64_t end[MAX_PROCESSES];
};

static long futex(atomic_int *word, int op, int value)
{
    return syscall(SYS_futex, word, op, value, NULL, NULL, 0);
}

/* Drepper, "Futexes Are Tricky", mutex 3: 0 free, 1 locked, 2 locked with waiters. */
static void drepper_lock(atomic_int *word)
{
    int c = 0;
    if (atomic_compare_exchange_strong(word, &c, 1))
    {
        return;
    }
    if (c != 2)
    {
        c = atomic_exchange(word, 2);
    }
    while (c != 0)
    {
        futex(word, FUTEX_WAIT, 2);
        c = atomic_exchange(word, 2);
    }
}

static void drepper_unlock(atomic_int *word)
{
    if (atomic_fetch_sub(word, 1) != 1)
    {
        atomic_store(word, 0);
        futex(word, FUTEX_WAKE, 1);
    }
}

static int lock_counter(const char *kind, int processes, long iterations)
{
    if (processes < 1 || processes > MAX_PROCESSES)
    {
        fprintf(stderr, "1 to %d processes\n", MAX_PROCESSES);
        return 1;
    }
    struct counter *c = shared(sizeof(struct counter));
    pthread_mutexattr_t attributes;
    pthread_mutexattr_init(&attributes);
    pthread_mutexattr_setpshared(&attributes, PTHREAD_PROCESS_SHARED);
    if (strcmp(kind, "robust") == 0)
    {
        pthread_mutexattr_setrobust(&attributes, PTHREAD_MUTEX_ROBUST);
    }
    pthread_mutex_init(&c->mutex, &attributes);
    int futex_kind = strcmp(kind, "futex") == 0;
    for (int p = 0; p < processes; p++)
    {
        if (fork() == 0)
        {
            pin(p);
            atomic_fetch_add(&c->ready, 1);
            while (atomic_load(&c->ready) < processes)
            {
            }
            c->start[p] = now_ns();
            for (long i = 0; i < iterations; i++)
            {
                if (futex_kind)
                {
                    drepper_lock(&c->futex_word);
                    c->counter++;
                    drepper_unlock(&c->futex_word);
                }
                else
                {
                    pthread_mutex_lock(&c->mutex);
                    c->counter++;
                    pthread_mutex_unlock(&c->mutex);
                }
            }
            c->end[p] = now_ns();
            _exit(0);
        }
    }
    wait_children();
    /* Each process timed itself; the run lasts from the first start to the last end. */
    uint64_t start = UINT64_MAX, end = 0;
    for (int p = 0; p < processes; p++)
    {
        start = c->start[p] < start ? c->start[p] : start;
        end = c->end[p] > end ? c->end[p] : end;
    }
    uint64_t elapsed = end - start;
    printf("RESULT system=c-%s processes=%d iterations=%ld total_ns=%llu counter=%ld cpu_ns=%llu\n", kind, processes,
        iterations, (unsigned long long)elapsed, c->counter, cpu_ns());
    return c->counter == processes * iterations ? 0 : 4;
}

/* ---- semaphore handoff ---- */

struct handoff
{
    sem_t there;
    sem_t back;
};

static int sem_handoff(long round_trips)
{
    struct handoff *h = shared(sizeof(struct handoff));
    sem_init(&h->there, 1, 0);
    sem_init(&h->back, 1, 0);
    long warm_up = round_trips / 10;
    if (fork() == 0)
    {
        pin(1);
        for (long i = 0; i < warm_up + round_trips; i++)
        {
            sem_wait(&h->there);
            sem_post(&h->back);
        }
        _exit(0);
    }
    pin(0);
    uint64_t *samples = malloc(sizeof(uint64_t) * round_trips);
    for (long i = 0; i < warm_up + round_trips; i++)
    {
        uint64_t start = now_ns();
        sem_post(&h->there);
        sem_wait(&h->back);
        if (i >= warm_up)
        {
            samples[i - warm_up] = now_ns() - start;
        }
    }
    wait_children();
    print_latency("c-sem_t", samples, round_trips);
    return 0;
}

/* ---- futex ping-pong (W2) ---- */

struct futex_pingpong
{
    _Alignas(64) atomic_int ping;
    atomic_int ping_waiting;
    _Alignas(64) atomic_int pong;
    atomic_int pong_waiting;
};

#define SPINS 2000

static void futex_send(atomic_int *word, atomic_int *waiting, int value, int spin_then_park)
{
    atomic_store(word, value);
    if (!spin_then_park || atomic_load(waiting))
    {
        futex(word, FUTEX_WAKE, 1);
    }
}

static void futex_receive(atomic_int *word, atomic_int *waiting, int value, int spin_then_park)
{
    if (spin_then_park)
    {
        for (int i = 0; i < SPINS; i++)
        {
            if (atomic_load_explicit(word, memory_order_acquire) == value)
            {
                return;
            }
            __builtin_ia32_pause();
        }
    }
    while (1)
    {
        int seen = atomic_load(word);
        if (seen == value)
        {
            return;
        }
        atomic_store(waiting, 1);
        if (atomic_load(word) != value)
        {
            futex(word, FUTEX_WAIT, seen);
        }
        atomic_store(waiting, 0);
    }
}

static int futex_pingpong(const char *mode, long round_trips)
{
    int spin_then_park = strcmp(mode, "spin-then-park") == 0;
    struct futex_pingpong *f = shared(sizeof(struct futex_pingpong));
    long warm_up = round_trips / 10;
    if (fork() == 0)
    {
        pin(1);
        for (int i = 1; i <= warm_up + round_trips; i++)
        {
            futex_receive(&f->ping, &f->ping_waiting, i, spin_then_park);
            futex_send(&f->pong, &f->pong_waiting, i, spin_then_park);
        }
        _exit(0);
    }
    pin(0);
    uint64_t *samples = malloc(sizeof(uint64_t) * round_trips);
    for (int i = 1; i <= warm_up + round_trips; i++)
    {
        uint64_t start = now_ns();
        futex_send(&f->ping, &f->ping_waiting, i, spin_then_park);
        futex_receive(&f->pong, &f->pong_waiting, i, spin_then_park);
        if (i > warm_up)
        {
            samples[i - warm_up - 1] = now_ns() - start;
        }
    }
    wait_children();
    print_latency(spin_then_park ? "c-futex-spin-then-park" : "c-futex-park", samples, round_trips);
    return 0;
}

/* ---- SPSC throughput (W3): slots of 32 bytes whose first word is the sequence + 1 ---- */

#define SLOTS 8192

struct slot_ring
{
    _Alignas(64) char slots[SLOTS][32];
    _Alignas(64) atomic_long head;
    _Alignas(64) uint64_t end_ns;
};

static int spsc_throughput(long messages)
{
    struct slot_ring *r = shared(sizeof(struct slot_ring));
    if (fork() == 0)
    {
        pin(1);
        char message[32] = {0};
        uint64_t start = 0;
        for (long i = 0; i < messages; i++)
        {
            atomic_long *seq = (atomic_long *)r->slots[i % SLOTS];
            while (atomic_load_explicit(seq, memory_order_acquire) != i + 1)
            {
            }
            if (i == 0)
            {
                start = now_ns();
            }
            memcpy(message, r->slots[i % SLOTS], 32);
            if ((i & 1023) == 1023)
            {
                atomic_store_explicit(&r->head, i + 1, memory_order_release);
            }
        }
        r->end_ns = now_ns() - start;
        _exit(0);
    }
    pin(0);
    char message[32] = {0};
    long cached_head = 0;
    for (long i = 0; i < messages; i++)
    {
        while (i - cached_head >= SLOTS - 1024)
        {
            cached_head = atomic_load_explicit(&r->head, memory_order_acquire);
        }
        memcpy(r->slots[i % SLOTS] + 8, message + 8, 24);
        atomic_store_explicit((atomic_long *)r->slots[i % SLOTS], i + 1, memory_order_release);
    }
    wait_children();
    printf("RESULT system=c-spsc count=%ld ns=%llu cpu_ns=%llu\n", messages, (unsigned long long)r->end_ns, cpu_ns());
    return 0;
}

/* ---- byte ring (W4): arrays of doubles through a byte ring, copied in and out ---- */

struct byte_ring
{
    _Alignas(64) atomic_long tail;
    _Alignas(64) atomic_long head;
    _Alignas(64) uint64_t start_ns;
    uint64_t end_ns;
    _Alignas(64) char data[];
};

/*
 * The writer's copy with ordinary stores (words, or vectors where the compiler makes them), as a
 * JIT-compiled copy does: each store first takes its cache line, with its old contents, from
 * whichever core has it. glibc's memcpy copies this size with "rep movsb", which on this
 * kind of CPU writes whole lines without reading them first. Kept out of memcpy's hands on purpose.
 */
__attribute__((optimize("no-tree-loop-distribute-patterns")))
static void copy_plain(char *to, const char *from, long length)
{
    long *t = (long *)to;
    const long *f = (const long *)from;
    for (long i = 0; i < length / 8; i++)
    {
        t[i] = f[i];
    }
}

static int byte_ring(long messages, long doubles, long warm_up, long ring, int plain)
{
    if (ring < 4096 || (ring & (ring - 1)) != 0)
    {
        fprintf(stderr, "the ring must be a power of two of at least 4096 bytes\n");
        return 1;
    }
    struct byte_ring *r = shared(sizeof(struct byte_ring) + ring);
    long bytes = doubles * 8;
    double *values = calloc(doubles, sizeof(double));
    if (fork() == 0)
    {
        pin(1);
        long position = 0;
        for (long m = -warm_up; m < messages; m++)
        {
            long done = 0;
            while (done < bytes)
            {
                long available;
                while ((available = atomic_load_explicit(&r->tail, memory_order_acquire) - position) == 0)
                {
                }
                long index = position % ring;
                long chunk = available < bytes - done ? available : bytes - done;
                chunk = chunk < ring - index ? chunk : ring - index;
                memcpy((char *)values + done, r->data + index, chunk);
                done += chunk;
                position += chunk;
                atomic_store_explicit(&r->head, position, memory_order_release);
            }
        }
        r->end_ns = now_ns();
        _exit(values[0] == messages - 1 ? 0 : 5);
    }
    pin(0);
    long position = 0;
    for (long m = -warm_up; m < messages; m++)
    {
        if (m == 0)
        {
            /* The clock starts once the reader has taken the warm-up, as in the Java workloads. */
            while (atomic_load_explicit(&r->head, memory_order_acquire) != position)
            {
            }
            r->start_ns = now_ns();
        }
        values[0] = m;
        long done = 0;
        while (done < bytes)
        {
            long room;
            while ((room = ring - (position - atomic_load_explicit(&r->head, memory_order_acquire))) == 0)
            {
            }
            long index = position % ring;
            long chunk = room < bytes - done ? room : bytes - done;
            chunk = chunk < ring - index ? chunk : ring - index;
            if (plain)
            {
                copy_plain(r->data + index, (char *)values + done, chunk);
            }
            else
            {
                memcpy(r->data + index, (char *)values + done, chunk);
            }
            done += chunk;
            position += chunk;
            atomic_store_explicit(&r->tail, position, memory_order_release);
        }
    }
    wait_children();
    printf("RESULT system=c-byte-ring messages=%ld ns=%llu cpu_ns=%llu\n", messages,
        (unsigned long long)(r->end_ns - r->start_ns), cpu_ns());
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "probe") == 0)
    {
        return probe(atol(argv[2]));
    }
    if (argc >= 5 && strcmp(argv[1], "lock-counter") == 0)
    {
        return lock_counter(argv[2], atoi(argv[3]), atol(argv[4]));
    }
    if (argc >= 3 && strcmp(argv[1], "sem-handoff") == 0)
    {
        return sem_handoff(atol(argv[2]));
    }
    if (argc >= 4 && strcmp(argv[1], "futex-pingpong") == 0)
    {
        return futex_pingpong(argv[2], atol(argv[3]));
    }
    if (argc >= 3 && strcmp(argv[1], "spsc-throughput") == 0)
    {
        return spsc_throughput(atol(argv[2]));
    }
    if (argc >= 4 && strcmp(argv[1], "byte-ring") == 0)
    {
        return byte_ring(atol(argv[2]), atol(argv[3]), argc >= 5 ? atol(argv[4]) : 0, argc >= 6 ? atol(argv[5]) : 1 << 20,
            argc >= 7 && strcmp(argv[6], "plain") == 0);
    }
    fprintf(stderr, "usage: shmref probe N | lock-counter robust|pshared|futex PROCS N | sem-handoff N |"
        " futex-pingpong park|spin-then-park N | spsc-throughput N | byte-ring MESSAGES DOUBLES [WARMUP [RING [memcpy|plain]]]\n");
    return 1;
}
