"""Python's cyclic garbage collector held back during a bulk job that makes millions of objects.

A 100,000-row import makes some ten million short-lived objects (cells, cleaned rows, statement
parameters), none of them in a reference cycle: reference counting frees each batch's. The cyclic
collector still runs every 700 allocations, and every so often a full collection walks every
object the process holds, most of them Django's and the app's modules, settings and caches,
which live as long as the process: about 1 s of a 7 s import's CPU (1,480 young, 135 middle
and 12 full collections, measured with gc.callbacks).

While the job runs, the objects that were alive when it began are set aside (gc.freeze: they
are not walked again), and the youngest generation is collected every 50,000 allocations
instead of 700; cycles the job makes are still collected, later. Afterwards the thresholds are
the process's own again and the set-aside objects go back to the oldest generation, so a
long-lived worker collects them as before.
"""

import contextlib
import gc
import threading

# Allocations between two young collections during a bulk job: a batch's worth of rows'
# objects, so a batch is walked about once, not at every 700 objects it makes.
YOUNG_THRESHOLD = 50_000

# The collector's settings are the process's: with jobs nested or in two threads at once, the
# first to begin holds it back and the last to end restores it (else the first to end would
# unfreeze under the other, or the other would restore the raised threshold for good).
_lock = threading.Lock()
_running = 0
_before: tuple = ()


@contextlib.contextmanager
def fewer_collections():
    global _running, _before
    with _lock:
        if _running == 0:
            _before = gc.get_threshold()
            gc.freeze()
            gc.set_threshold(YOUNG_THRESHOLD, _before[1], _before[2])
        _running += 1
    try:
        yield
    finally:
        with _lock:
            _running -= 1
            if _running == 0:
                gc.set_threshold(*_before)
                gc.unfreeze()
