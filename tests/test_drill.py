"""The drill's pure logic (drill.analysis, drill.client's form reading); the drill itself runs
with `make drill`, not in the test suite."""

from __future__ import annotations

from drill.analysis import Fault, Request, error_windows, probe_summaries, windows_table
from drill.client import location_path, page_forms, post_form

DEFAULT = object()


def request(ended: float, *, failed: bool, started=None, status=DEFAULT) -> Request:
    return Request(
        actor="tester",
        action="GET home",
        port=8000,
        started=ended - 0.1 if started is None else started,
        ended=ended,
        status=(500 if failed else 200) if status is DEFAULT else status,
        failed=failed,
    )


RESTART = Fault("restart", start=10.0, end=10.5)
STOP = Fault("stop", start=40.0, end=60.0)


def test_window_measures_from_fault_start_and_database_return():
    requests = [
        request(9.0, failed=False),
        request(10.2, failed=True),
        request(11.0, failed=True),
        request(11.5, failed=False),
        request(12.0, failed=False),
    ]

    [window], unattributed = error_windows(requests, [RESTART])

    assert unattributed == []
    assert window.requests == 4  # the answer before the fault is in no window
    assert window.failures == 2
    assert round(window.first_failure, 2) == 0.2  # 10.2 - 10.0 (fault start)
    assert round(window.last_failure, 2) == 0.5  # 11.0 - 10.5 (database back)
    assert round(window.first_success, 2) == 1.0  # 11.5 - 10.5
    assert window.closed_within(2.0)
    assert not window.closed_within(0.4)


def test_failures_only_during_the_outage_give_a_negative_last_failure():
    requests = [request(45.0, failed=True), request(59.0, failed=True), request(60.3, failed=False)]

    [window], _ = error_windows(requests, [STOP])

    assert round(window.last_failure, 2) == -1.0
    assert round(window.first_success, 2) == 0.3
    assert window.closed_within(0.0)


def test_a_window_without_failures_is_closed():
    [window], _ = error_windows([request(11.0, failed=False)], [RESTART])

    assert window.failures == 0
    assert window.first_failure is None
    assert window.last_failure is None
    assert window.closed_within(0.0)


def test_a_late_failure_leaves_the_window_open():
    requests = [request(62.5, failed=True, started=60.4), request(63.0, failed=False)]

    [window], _ = error_windows(requests, [STOP])

    assert round(window.last_failure, 2) == 2.5
    assert not window.closed_within(2.0)


def test_spans_end_at_the_next_fault_and_failures_outside_are_unattributed():
    requests = [
        request(5.0, failed=True),  # before any fault
        request(39.0, failed=True),  # after the restart's span, before the stop
        request(41.0, failed=True),  # the stop's
        request(95.0, failed=True),  # more than 30 s after the stop's return
    ]

    restart, stop = error_windows(requests, [STOP, RESTART], horizon=30.0)[0]
    unattributed = error_windows(requests, [STOP, RESTART], horizon=30.0)[1]

    assert restart.fault is RESTART  # ordered by start whatever the order given
    assert restart.failures == 1  # 39.0 lies within 10.5 + 30 and before the stop began
    assert stop.failures == 1
    assert [item.ended for item in unattributed] == [5.0, 95.0]


def test_failure_kinds_name_the_status_or_the_error():
    requests = [
        request(11.0, failed=True, status=503),
        Request("t", "GET /", 8000, 10.1, 10.2, None, True, "ConnectionRefusedError: [Errno 111]"),
    ]

    [window], _ = error_windows(requests, [RESTART])

    assert dict(window.failure_kinds) == {"503": 1, "ConnectionRefusedError": 1}
    row = windows_table([window], target=2.0)[2]
    assert "ConnectionRefusedError ×1" in row
    assert row.endswith("| yes |")


def test_probe_summary_counts_slow_and_unhealthy_answers():
    probes = [
        request(41.0, failed=True, status=503, started=39.5),
        request(45.0, failed=True, status=None, started=42.0),
        request(60.2, failed=False, status=200),
    ]

    [summary] = probe_summaries(probes, [STOP], limit=2.0)

    assert dict(summary.answers) == {"503": 1, "no answer": 1, "200": 1}
    assert summary.slower_than_limit == 1
    assert round(summary.slowest, 2) == 3.0
    assert round(summary.last_unhealthy, 2) == -15.0


PAGE = """
<form method="post" action="/language/"><input type="hidden" name="csrfmiddlewaretoken" value="a">
<input type="hidden" name="next" value="/"></form>
<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="b">
<input name="city" value="Utrecht &amp; co"><input type="checkbox" name="flag">
<input type="checkbox" name="on" value="1" checked>
<select name="country"><option value="BE">België</option><option value="NL" selected>NL</option>
</select><textarea name="reason">Weg</textarea><button type="submit" name="go">Opslaan</button>
</form>
"""


def test_forms_are_read_as_a_browser_sends_them():
    forms = page_forms(PAGE)

    assert forms[1]["fields"] == {
        "csrfmiddlewaretoken": "b",
        "city": "Utrecht & co",
        "on": "1",
        "country": "NL",
        "reason": "Weg",
    }
    assert forms[1]["options"] == {"country": ["BE", "NL"]}
    assert post_form(PAGE, field="city") == forms[1]
    assert post_form(PAGE, field="csrfmiddlewaretoken") == forms[0]
    assert post_form(PAGE, field="missing") is None


def test_location_path_drops_scheme_and_host():
    assert location_path("http://127.0.0.1:8000/organisation/users/?q=x") == (
        "/organisation/users/?q=x"
    )
    assert location_path("/accounts/password/reset/done/") == "/accounts/password/reset/done/"
