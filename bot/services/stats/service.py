"""Use cases of the statistics report: build it for a period (each export is audited) and
write it out in the requested formats."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.services.stats import render
from bot.services.stats.charts import charts
from bot.services.stats.report import Report, build_report
from storage import Store

FORMATS = ("md", "csv", "json", "png")


class StatsService:
    def __init__(self, store: Store, min_cell: int = 5) -> None:
        self.store = store
        self.min_cell = min_cell

    async def export(self, start: dt.date, end: dt.date, actor: str, what: str) -> Report:
        """The report; the audit log records who asked for which period, and how."""
        report = await build_report(self.store, start, end, self.min_cell)
        async with self.store.transaction() as repos:
            detail = f"stats {start.isoformat()}..{end.isoformat()} {what}"[:64]
            await repos.audit.add(actor, "export", None, detail=detail)
        return report


def rendered(report: Report, lang: str, fmt: str) -> dict[str, bytes]:
    """File name → contents for one format."""
    if fmt == "md":
        return {"report.md": render.markdown(report, lang).encode()}
    if fmt == "csv":
        return {"report.csv": render.as_csv(report, lang).encode()}
    if fmt == "json":
        return {"report.json": render.as_json(report, lang).encode()}
    if fmt == "png":
        return charts(report, lang)
    raise ValueError(f"unknown format {fmt!r}")


def write_files(report: Report, lang: str, fmt: str, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in rendered(report, lang, fmt).items():
        path = out_dir / name
        path.write_bytes(data)
        written.append(path)
    return written
