"""The report as Telegram-sized pieces: text chunks under the message limit, the charts, and
the full Markdown table as a file. Channels send these; nothing here does I/O."""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import translations
from bot.services.stats import render
from bot.services.stats import texts as tx
from bot.services.stats.charts import chart_specs, render_png
from bot.services.stats.report import Report

TEXT_LIMIT = 4000  # Telegram's 4,096, with room to spare
CAPTION_LIMIT = 1000  # Telegram's 1,024 for captions


@dataclass(frozen=True, slots=True)
class ReportParts:
    texts: list[str]
    photos: list[tuple[str, bytes, str]]  # file name, PNG, caption
    documents: list[tuple[str, bytes]]


def plain_text(report: Report, lang: str, summary: str) -> list[str]:
    """The tables as short lines ("label: count (share)"), split at section boundaries."""
    _ = translations(lang).gettext
    blocks = ["\n".join([summary, *render.header_lines(report, lang)[2:]])]
    for b in (*report.breakdowns, report.weekly):
        lines = [f"▪ {render.section(b.name, lang)}"]
        if b.withheld:
            lines.append(_(tx.WITHHELD))
        for row in [] if b.withheld else b.rows:
            share = render.percent(report.share(row), lang)
            count = render.count_text(row, report.min_cell)
            lines.append(
                f"{render.label(b.name, row.key, lang)}: {count}"
                + (f" ({share})" if share else "")
            )
        blocks.append("\n".join(lines))
    blocks.append(render.claim_line(report, lang))
    blocks.append("\n".join(render.footer_lines(report, lang)))
    return chunks(blocks, TEXT_LIMIT)


def chunks(blocks: list[str], limit: int) -> list[str]:
    out: list[str] = []
    current = ""
    for block in blocks:
        for piece in _split_long(block, limit):
            if current and len(current) + 2 + len(piece) > limit:
                out.append(current)
                current = piece
            else:
                current = f"{current}\n\n{piece}" if current else piece
    if current:
        out.append(current)
    return out


def _split_long(block: str, limit: int) -> list[str]:
    if len(block) <= limit:
        return [block]
    pieces, current = [], ""
    for line in block.split("\n"):
        line = line[:limit]
        if current and len(current) + 1 + len(line) > limit:
            pieces.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    return [*pieces, current] if current else pieces


def report_parts(report: Report, lang: str, summary_key: str = tx.SENT_SUMMARY) -> ReportParts:
    _ = translations(lang).gettext
    summary = _(summary_key).format(
        start=report.start.isoformat(), end=report.end.isoformat(), n=report.total
    )
    photos = [
        (f"{spec.name}.png", render_png(spec), spec.title[:CAPTION_LIMIT])
        for spec in chart_specs(report, lang)
    ]
    stem = f"stats-{report.start.isoformat()}-{report.end.isoformat()}-{lang}"
    documents = [
        (f"{stem}.md", render.markdown(report, lang).encode()),
        (f"{stem}.csv", render.as_csv(report, lang).encode()),
    ]
    return ReportParts(plain_text(report, lang, summary), photos, documents)
