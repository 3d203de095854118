"""The parent shares the work with the pool (generator.batch._shared): every
paper exactly once, handed back in student order, by both sides."""

from __future__ import annotations

import pytest

from generator import batch


class _Result:
    def __init__(self, value, polls):
        self.value, self.polls = value, polls

    def ready(self):
        self.polls -= 1
        return self.polls < 0

    def get(self):
        if isinstance(self.value, BaseException):
            raise self.value
        return self.value


class _Pool:
    """Finishes each job after a few polls (later jobs sooner: out of order)."""

    def __init__(self, fail_on=None):
        self.ran, self.fail_on = [], fail_on

    def apply_async(self, fn, args):
        (job,) = args
        student = job[1]
        self.ran.append(student)
        value = RuntimeError("worker failed") if student == self.fail_on else (student, [f"pool-{student}"])
        return _Result(value, polls=7 - student % 5)


@pytest.fixture
def local(monkeypatch):
    ran = []

    def work(job):
        ran.append(job[1])
        return job[1], [f"parent-{job[1]}"]

    monkeypatch.setattr(batch, "_work", work)
    monkeypatch.setattr(batch, "_warm", lambda formats: None)
    return ran


@pytest.mark.parametrize("students,pool_size", [(1, 1), (2, 1), (9, 1), (20, 1), (13, 3)])
def test_every_paper_once_in_order_by_both(local, students, pool_size):
    pool = _Pool()
    jobs = [(None, k, f"s{k}", "out", ("pdf",)) for k in range(1, students + 1)]
    got = list(batch._shared(pool, jobs, pool_size, ("pdf",)))
    assert [k for k, _ in got] == list(range(1, students + 1))
    assert sorted(pool.ran + local) == list(range(1, students + 1))
    for k, paths in got:
        assert paths == [f"{'pool' if k in pool.ran else 'parent'}-{k}"]
    if students >= 4:
        assert pool.ran and local  # both sides wrote papers


def test_a_worker_error_reaches_the_caller(local):
    jobs = [(None, k, f"s{k}", "out", ("pdf",)) for k in range(1, 8)]
    with pytest.raises(RuntimeError, match="worker failed"):
        list(batch._shared(_Pool(fail_on=2), jobs, 1, ("pdf",)))


def test_workers_are_never_replaced(monkeypatch, tmp_path):
    """A worker forked after the parent has set up pango for its own papers
    can deadlock (seen once, on 200 students, when a worker was replaced after
    16 papers): the pool must not recycle its workers."""
    seen = {}

    class FakePool:
        def __init__(self, processes, initializer=None, initargs=(), maxtasksperchild=None):
            seen.update(processes=processes, maxtasksperchild=maxtasksperchild)

        def apply_async(self, fn, args):
            return _Result(fn(*args), polls=0)

        def close(self):
            pass

        def join(self):
            pass

        def terminate(self):
            pass

    class Context:
        def get_start_method(self):
            return "spawn"

        Pool = FakePool

    monkeypatch.setattr(batch, "_context", lambda: Context())
    monkeypatch.setattr(batch, "_work", lambda job: (job[1], []))
    monkeypatch.setattr(batch, "_warm", lambda formats: None)
    batch.run(None, 5, tmp_path, ("html",), workers=3)
    assert seen == {"processes": 2, "maxtasksperchild": None}
