"""Callback schedule (time zone, hours, weekdays) and the referral directory file."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import Settings
from bot.dialogs import slots as sl
from bot.directory import COLUMNS, DEFAULT_FILE, load, parse

ALMATY_MORNING = dt.datetime(2026, 12, 4, 3, 0, tzinfo=dt.UTC)  # Friday 08:00 in Almaty


def test_slots_skip_closed_days_and_follow_the_time_zone() -> None:
    schedule = sl.Schedule(weekdays=sl.parse_weekdays("mon-fri"), days_ahead=2)
    offered = sl.upcoming(schedule, ALMATY_MORNING)
    assert offered[:4] == ["20261204-09-12", "20261204-12-15", "20261204-15-18", "20261204-18-21"]
    assert offered[4] == "20261207-09-12"  # Saturday and Sunday are skipped
    start, end = sl.bounds("20261204-09-12", schedule)
    assert (start.hour, end.hour) == (4, 7)  # 09:00–12:00 in Almaty is 04:00–07:00 UTC


def test_schedule_settings_are_read_and_checked() -> None:
    settings = Settings(callback_hours="10-16", callback_weekdays="mon,wed,sat", timezone="UTC")
    schedule = settings.callback_schedule()
    assert (schedule.start_hour, schedule.end_hour, schedule.weekdays) == (10, 16, {0, 2, 5})
    bad_values = ({"callback_hours": "21-09"}, {"callback_weekdays": "funday"}, {"timezone": "X"})
    for bad in bad_values:
        with pytest.raises(ValueError):
            Settings(**bad)  # type: ignore[arg-type]


def test_shipped_directory_passes_the_check(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["directory", "check"]) == 0
    assert "all valid" in capsys.readouterr().out


def test_check_names_the_line_of_each_problem(tmp_path: Path) -> None:
    good = DEFAULT_FILE.read_text(encoding="utf-8").splitlines()
    body = [i for i, line in enumerate(good) if line and not line.startswith("#")]
    broken = list(good)
    row = broken[body[2]].split("\t")
    row[1], row[3] = "atlantis", "+7 12"
    broken[body[2]] = "\t".join(row)
    broken[body[3]] = broken[body[3]].replace("\t", " ", 2)
    path = tmp_path / "broken.tsv"
    path.write_text("\n".join(broken) + "\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "bot", "directory", "check", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert f"{path}:{body[2] + 1}: unknown region 'atlantis'" in done.stderr
    assert f"{path}:{body[2] + 1}: phone '+7 12' is not a valid number" in done.stderr
    assert f"{path}:{body[3] + 1}: " in done.stderr and "columns" in done.stderr


def test_national_lines_are_real_and_samples_carry_no_number() -> None:
    directory, problems = parse(DEFAULT_FILE.read_text(encoding="utf-8"))
    assert problems == []
    phones = {e.phone for e in directory.entries if e.national and e.phone}
    assert phones == {"112", "102", "103", "150", "111"}
    commissioner = directory.get("childrens_commissioner")
    assert commissioner is not None and commissioner.phone == ""  # no number we are unsure of
    samples = [e for e in directory.entries if e.sample]
    assert samples and all(not e.phone for e in samples)
    assert all(e.name("en").startswith("SAMPLE") for e in samples)


def test_matching_puts_the_region_first_and_hides_samples_by_default() -> None:
    shown = [e.id for e in load().matching("bullying", "almaty")]
    assert "sample_family_support" not in shown and "trust_line_150" in shown
    demo = [e.id for e in load(samples=True).matching("bullying", "almaty")]
    assert demo[0] == "sample_family_support"
    assert "police_102" not in demo  # not a police matter by topic
    assert [e.id for e in load().matching("abuse", None)][:2] == ["emergency_112", "police_102"]


def test_header_must_match(tmp_path: Path) -> None:
    _, problems = parse("id\tname\n")
    assert problems[0].line == 1 and " ".join(COLUMNS) in problems[0].message
