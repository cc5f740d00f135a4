"""`make bench` writes its results even when an optional step fails (issue 27): a failed step is reported and
left out, the report is still written, and wrk's timeouts are in the table."""

from argparse import Namespace

from bench import run

ARGS = Namespace(repeats=3, seconds=5, connections=16, post_rates=[2, 10])


def test_an_optional_step_that_fails_is_reported_and_yields_nothing(capsys):
    def broken(*args):
        raise RuntimeError("pg_ctl: server did not start in time")

    assert run.optional("replica", broken, 1, 2) == {}
    assert run.optional("sizes", lambda a, b: {"a": a + b}, 1, 2) == {"a": 3}
    assert "replica: failed" in capsys.readouterr().out


def test_the_report_is_written_from_partial_results():
    measured = {"rps": 120.0, "p50": 10.0, "p99": 50.0, "ratio": 0.1, "timeouts": 2, "time_vs_smallest": 1.1}
    endpoint = run.ENDPOINTS[0][0]
    results = {
        "100": {"queries": {}, "cold": {endpoint: measured}},  # the warm phase never ran
        "10000": {
            "cold": {endpoint: {**measured, "timeouts": 7}},
            "warm": {endpoint: {k: v for k, v in measured.items() if k != "time_vs_smallest"}},
            "sizes": {},  # failed
            "under_writes": {"2.0": {}, "10.0": {"poster": {"per_second": 9.4, "posted": 90, "failed": 0}}},
        },
        "replica": {"skipped": "failed: TimeoutError()"},
    }
    report = run.markdown(results, ARGS)
    assert f"| {endpoint} | 10000 |" in report and "| 7 / 2 |" in report  # timeouts, cold / warm
    assert "| 2.0 | failed |" in report and "| 10.0 | 9.4 | 90 / 0 |" in report
    assert "Read replica: skipped (failed: TimeoutError())." in report
    assert f"wrk timeout {run.WRK_TIMEOUT} s" in report
