"""Third round, time: a slow web page template or title block is stopped at
``limits.max_seconds`` for the whole job, measured alone (one build, one job)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.security.test_limits_bind import limits
from tests.security.test_round_two import add_to_template

SLOW = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
WEB_PAGE = Path("templates/web/page.html.j2")


def timed(run, project: Path, *args: str):  # type: ignore[no-untyped-def]
    started = time.monotonic()
    result = run(project, "build", "sec", *args)
    assert "Traceback" not in result.output
    return result, time.monotonic() - started


def slow_web_page(project: Path) -> None:
    path = project / WEB_PAGE
    path.write_text(path.read_text(encoding="utf-8").replace("</main>", SLOW + "</main>", 1))


@pytest.mark.parametrize("where", ["web page", "title block"])
def test_a_slow_web_template_is_stopped_at_max_seconds(attack: Path, run, where: str) -> None:  # type: ignore[no-untyped-def]
    baseline, base_time = timed(run, attack, "--web")
    assert baseline.exit_code == 0, baseline.output
    if where == "web page":
        slow_web_page(attack)
    else:
        add_to_template(attack, SLOW)
    limits(attack, max_seconds=2)
    result, elapsed = timed(run, attack, "--web", "--force")
    assert result.exit_code == 2, result.output
    assert "limits.max_seconds = 2" in result.stderr
    assert elapsed - base_time < 2 * 2, (elapsed, base_time)


def _templates_then_pdf() -> None:
    from rmr_gen.output.guard import time_limit

    time.sleep(1.5)  # the templates of the job
    with time_limit(2):  # the PDF's soft limit: what is left of the job's 2 s
        time.sleep(5)


def test_the_soft_limit_covers_the_whole_job() -> None:
    from rmr_gen.output.guard import TimeLimitExceeded, run_with_deadline

    started = time.monotonic()
    with pytest.raises(TimeLimitExceeded):
        run_with_deadline(10, _templates_then_pdf)
    assert time.monotonic() - started < 2.0 + 0.8
