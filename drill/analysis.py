"""The drill's pure logic: which requests failed around which fault, and the report.

Times are seconds since the drill's clock started (``time.monotonic()`` minus the start), so
requests and faults compare directly. Nothing here touches the network or the database.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Request:
    """One HTTP request of the load (or of the health probe), as the client saw it."""

    actor: str
    action: str
    port: int
    started: float
    ended: float
    status: int | None  # None: no answer (refused, reset, timed out)
    failed: bool  # a 5xx, no answer, or an answer the step did not expect
    error: str = ""

    @property
    def duration(self) -> float:
        return self.ended - self.started


@dataclass(frozen=True)
class Fault:
    """A database fault: from the moment the drill began it (``start``) until PostgreSQL
    accepted connections again (``end``)."""

    name: str
    start: float
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass
class Window:
    """The error window around one fault, each figure relative to the fault.

    ``first_failure``: from the fault's start to the first failed answer; ``last_failure``:
    from the database's return to the last failed answer (negative when every failure came
    while it was still away); ``first_success``: from the database's return to the first
    successful answer. ``None`` when there was no such request.
    """

    fault: Fault
    requests: int = 0
    failures: int = 0
    first_failure: float | None = None
    last_failure: float | None = None
    first_success: float | None = None
    failure_kinds: Counter = field(default_factory=Counter)

    def closed_within(self, seconds: float) -> bool:
        """Whether the last failure came at most ``seconds`` after the database returned."""
        return self.last_failure is None or self.last_failure <= seconds


def failure_kind(request: Request) -> str:
    if request.status is None:
        return request.error.split(":", 1)[0] or "no answer"
    return str(request.status)


def fault_spans(faults: list[Fault], *, horizon: float) -> list[tuple[float, float]]:
    """Each fault's span: from its start to ``horizon`` seconds after the database's return, or
    to the next fault's start if that is earlier. ``faults`` are in order of their start."""
    spans = []
    for index, fault in enumerate(faults):
        until = fault.end + horizon
        if index + 1 < len(faults):
            until = min(until, faults[index + 1].start)
        spans.append((fault.start, until))
    return spans


def span_index(spans: list[tuple[float, float]], moment: float) -> int | None:
    return next((i for i, (start, until) in enumerate(spans) if start <= moment < until), None)


def error_windows(
    requests: list[Request], faults: list[Fault], *, horizon: float = 30.0
) -> tuple[list[Window], list[Request]]:
    """Assigns each answer to the fault whose span (``fault_spans``) holds the moment it came,
    and measures each window. Failures outside every span are returned as well: they cannot be
    blamed on a fault (a bug of the portal or of the drill)."""
    faults = sorted(faults, key=lambda fault: fault.start)
    windows = [Window(fault=fault) for fault in faults]
    spans = fault_spans(faults, horizon=horizon)
    unattributed = []
    for request in sorted(requests, key=lambda item: item.ended):
        index = span_index(spans, request.ended)
        if index is None:
            if request.failed:
                unattributed.append(request)
            continue
        window = windows[index]
        fault = window.fault
        window.requests += 1
        if request.failed:
            window.failures += 1
            window.failure_kinds[failure_kind(request)] += 1
            if window.first_failure is None:
                window.first_failure = request.ended - fault.start
            window.last_failure = request.ended - fault.end
        elif request.ended >= fault.end and window.first_success is None:
            window.first_success = request.ended - fault.end
    return windows, unattributed


@dataclass
class ProbeSummary:
    """What the health endpoint answered around one fault."""

    fault: Fault
    answers: Counter = field(default_factory=Counter)
    slowest: float = 0.0
    slower_than_limit: int = 0
    last_unhealthy: float | None = None  # relative to the database's return


def probe_summaries(
    probes: list[Request], faults: list[Fault], *, limit: float, horizon: float = 30.0
) -> list[ProbeSummary]:
    """Per fault: the health check's answers in the fault's span, the slowest, how many took
    longer than ``limit`` seconds, and when it last said "unhealthy" after the return."""
    faults = sorted(faults, key=lambda fault: fault.start)
    summaries = [ProbeSummary(fault=fault) for fault in faults]
    spans = fault_spans(faults, horizon=horizon)
    for probe in sorted(probes, key=lambda item: item.ended):
        index = span_index(spans, probe.ended)
        if index is None:
            continue
        summary = summaries[index]
        summary.answers["200" if probe.status == 200 else failure_kind(probe)] += 1
        summary.slowest = max(summary.slowest, probe.duration)
        if probe.duration > limit:
            summary.slower_than_limit += 1
        if probe.status != 200:
            summary.last_unhealthy = probe.ended - summary.fault.end
    return summaries


def seconds(value: float | None) -> str:
    return "–" if value is None else f"{value:+.2f} s"


def windows_table(windows: list[Window], *, target: float) -> list[str]:
    lines = [
        "| fault | database away | requests | failed | first failure after fault start "
        "| last failure after database back | first success after database back "
        f"| closed within {target:g} s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for window in windows:
        kinds = ", ".join(f"{kind} ×{count}" for kind, count in window.failure_kinds.items())
        lines.append(
            f"| {window.fault.name} | {window.fault.duration:.2f} s | {window.requests} "
            f"| {window.failures}{f' ({kinds})' if kinds else ''} "
            f"| {seconds(window.first_failure)} | {seconds(window.last_failure)} "
            f"| {seconds(window.first_success)} "
            f"| {'yes' if window.closed_within(target) else '**no**'} |"
        )
    return lines


def probes_table(summaries: list[ProbeSummary], *, limit: float) -> list[str]:
    lines = [
        f"| fault | answers | slowest | slower than {limit:g} s "
        "| last non-200 after database back |",
        "|---|---|---|---|---|",
    ]
    for summary in summaries:
        answers = ", ".join(f"{kind} ×{count}" for kind, count in sorted(summary.answers.items()))
        lines.append(
            f"| {summary.fault.name} | {answers or '–'} | {summary.slowest:.2f} s "
            f"| {summary.slower_than_limit} | {seconds(summary.last_unhealthy)} |"
        )
    return lines
