"""The report in Markdown, CSV and JSON, in one language. Hidden counts print as "<k" or "×"
and never carry a share."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from babel.numbers import format_decimal

from bot.i18n import translations
from bot.services.stats import texts as tx
from bot.services.stats.report import Breakdown, Report, Row
from bot.services.stats.suppression import Mark

COVER = "×"


def label(name: str, key: str | None, lang: str) -> str:
    _ = translations(lang).gettext
    if key is None:
        return _(tx.NOT_GIVEN)
    text = tx.VALUES.get(name, {}).get(key)
    if text is None:
        return key  # an outreach code, or a week
    return text if name in tx.LITERAL or text in tx.LITERAL_VALUES else _(text)


def section(name: str, lang: str) -> str:
    return translations(lang).gettext(tx.SECTIONS[name])


def count_text(row: Row, k: int) -> str:
    if row.mark is Mark.SMALL:
        return f"<{k}"
    if row.mark in (Mark.COVER, Mark.WITHHELD):
        return COVER
    return str(row.count)


def percent(value: float | None, lang: str) -> str:
    return "" if value is None else format_decimal(value, format="0.00", locale=lang) + "%"


def header_lines(report: Report, lang: str) -> list[str]:
    _ = translations(lang).gettext
    lines = [
        _(tx.TITLE).format(start=report.start.isoformat(), end=report.end.isoformat()),
        _(tx.TOTAL).format(n=report.total),
    ]
    if report.demo:
        lines.append("⚠️ " + _(tx.DEMO_WARNING).format(n=report.demo))
    return lines


def claim_line(report: Report, lang: str) -> str:
    _ = translations(lang).gettext
    c = report.claim
    if not report.claim_shown or c.median_s is None or c.p90_s is None:
        return _(tx.CLAIM_FEW)
    fmt = "0.0"
    return _(tx.CLAIM_TIMES).format(
        median=format_decimal(c.median_s / 60, format=fmt, locale=lang),
        p90=format_decimal(c.p90_s / 60, format=fmt, locale=lang),
        n=c.count,
    )


def footer_lines(report: Report, lang: str) -> list[str]:
    _ = translations(lang).gettext
    return [_(tx.FOOTER_SUPPRESSION).format(k=report.min_cell), _(tx.FOOTER_SHARES)]


def markdown(report: Report, lang: str) -> str:
    _ = translations(lang).gettext
    title, *rest = header_lines(report, lang)
    out = [f"# {title}", "", *[f"**{line}**" for line in rest], ""]
    for b in (*report.breakdowns, report.weekly):
        out += [f"## {section(b.name, lang)}", ""]
        if b.withheld:
            out += [_(tx.WITHHELD), ""]
            continue
        first = _(tx.COL_WEEK) if b.name == "weekly" else _(tx.COL_VALUE)
        out += [f"| {first} | {_(tx.COL_COUNT)} | {_(tx.COL_SHARE)} |", "|---|---:|---:|"]
        for row in b.rows:
            cells = (
                label(b.name, row.key, lang),
                count_text(row, report.min_cell),
                percent(report.share(row), lang),
            )
            out.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
        out.append("")
    out += [claim_line(report, lang), "", "---", ""]
    out += [f"_{line}_" for line in footer_lines(report, lang)]
    return "\n".join(out) + "\n"


def _json_row(report: Report, b: Breakdown, row: Row, lang: str) -> dict[str, Any]:
    share = report.share(row)
    return {
        "key": row.key,
        "label": label(b.name, row.key, lang),
        "count": row.count if row.shown else None,
        "display": count_text(row, report.min_cell),
        "share": None if share is None else round(share, 2),
    }


def as_json(report: Report, lang: str) -> str:
    doc = {
        "period": {"from": report.start.isoformat(), "to": report.end.isoformat()},
        "language": lang,
        "total": report.total,
        "demo_records": report.demo,
        "min_cell": report.min_cell,
        "header": header_lines(report, lang),
        "breakdowns": [
            {
                "name": b.name,
                "title": section(b.name, lang),
                "adds_up_to_total": b.adds_up,
                "withheld": b.withheld,
                "rows": [] if b.withheld else [_json_row(report, b, r, lang) for r in b.rows],
            }
            for b in (*report.breakdowns, report.weekly)
        ],
        "crisis_time_to_claim": {
            "cases": report.claim.count if report.claim_shown else None,
            "median_s": report.claim.median_s if report.claim_shown else None,
            "p90_s": report.claim.p90_s if report.claim_shown else None,
            "text": claim_line(report, lang),
        },
        "footer": footer_lines(report, lang),
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def as_csv(report: Report, lang: str) -> str:
    _ = translations(lang).gettext
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["section", "key", "label", _(tx.COL_COUNT), _(tx.COL_SHARE)])
    w.writerow(["total", "", _(tx.TOTAL).format(n=report.total), report.total, "100.00"])
    for b in (*report.breakdowns, report.weekly):
        if b.withheld:
            w.writerow([b.name, "", _(tx.WITHHELD), "", ""])
            continue
        for row in b.rows:
            share = report.share(row)
            w.writerow(
                [
                    b.name,
                    row.key or "",
                    label(b.name, row.key, lang),
                    count_text(row, report.min_cell),
                    "" if share is None else f"{share:.2f}",
                ]
            )
    for line in [*header_lines(report, lang)[2:], claim_line(report, lang)]:
        w.writerow(["note", "", line, "", ""])
    for line in footer_lines(report, lang):
        w.writerow(["footer", "", line, "", ""])
    return buf.getvalue()
