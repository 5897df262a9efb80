"""A bulk job holds the cyclic collector back while it runs, and leaves the process as it was."""

import gc

import pytest

from leadtracker.lib.collection import YOUNG_THRESHOLD, fewer_collections


def test_the_collector_is_held_back_during_the_job_and_restored_after():
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold()[0] == YOUNG_THRESHOLD
        assert gc.get_freeze_count() > 0  # what was alive is set aside, not walked again
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_a_failing_job_restores_the_collector_too():
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), fewer_collections():
        raise RuntimeError("the job failed")
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_cycles_made_during_the_job_are_still_collected():
    class Node:
        pass

    with fewer_collections():
        node = Node()
        node.me = node  # a cycle: reference counting alone never frees it
        del node
        assert gc.collect() >= 1


def test_nested_jobs_restore_the_collector_when_the_last_ends():
    before = gc.get_threshold()
    with fewer_collections():
        with fewer_collections():
            pass
        assert gc.get_threshold()[0] == YOUNG_THRESHOLD  # the outer job still runs
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
