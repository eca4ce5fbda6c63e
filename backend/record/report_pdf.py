"""The doctor report as a PDF (fpdf2, pure Python): the same data as ``report.build_report``.

The PDF embeds DejaVu Sans (``pdf_font.py``), so every language's letters and typographic marks print as
written; a character outside the font is replaced by a close ASCII form so a number or date is never dropped.
"""

from __future__ import annotations

from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from backend.record.mood import load_content as mood_content
from backend.record.pdf_font import FAMILY, font_files


def _text(text: str) -> str:
    """Text as the PDF prints it: characters DejaVu Sans lacks (emoji, other scripts) become "?"."""
    return "".join(ch if ord(ch) < 0x2500 or ch in "≥×" else "?" for ch in text)


def _fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        value = f"{value:g}"
    return f"{value}{unit}"


class _Report(FPDF):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        for style, path in font_files().items():
            self.add_font(FAMILY, style=style, fname=str(path))

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, size=8)
        self.cell(0, 6, f"ClearCourse - page {self.page_no()}", align="C")

    def heading(self, text: str) -> None:
        self.ln(3)
        self.set_font(FAMILY, style="B", size=12)
        self.cell(0, 7, _text(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FAMILY, size=9)

    def para(self, text: str) -> None:
        self.multi_cell(0, 5, _text(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def rows(self, header: list[str], rows: list[list[str]], widths: tuple[int, ...] | None = None) -> None:
        if not rows:
            self.para("None recorded.")
            return
        with self.table(col_widths=widths, line_height=5, text_align="LEFT") as table:
            for line in [header, *rows]:
                row = table.row()
                for value in line:
                    row.cell(_text(str(value)))


def render_pdf(report: dict[str, Any]) -> bytes:
    labels = {a["value"]: a["label"] for answers in mood_content()["answers"].values() for a in answers}
    pdf = _Report(format="A4")
    pdf.set_title(report["title"])
    pdf.set_creator("ClearCourse")
    pdf.add_page()
    pdf.set_font(FAMILY, style="B", size=15)
    pdf.cell(0, 9, _text(report["title"]), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, size=9)
    pdf.para(f"Period {report['from']} to {report['to']}, written on {report['generated_on']}.")
    pdf.set_font(FAMILY, style="I", size=9)
    pdf.para(report["disclaimer"])
    pdf.set_font(FAMILY, size=9)

    course = report["course"]
    pdf.heading("Course")
    pdf.rows(
        ["", ""],
        [
            ["Start", course["start_date"]],
            ["Last capsule", course["ended_on"] or "not recorded yet"],
            ["Weight", _fmt(course["weight_kg"], " kg")],
            ["Cumulative target", _fmt(course["target_mg_per_kg"], " mg/kg")],
            ["Capsules", course["product"]],
            ["Pregnancy prevention", "applies" if course["pregnancy_prevention"] else "does not apply"],
            ["Rule set", course["rule_set_title"]],
            # one row per plan segment: a plan of up to 60 segments in one cell would not fit a page
            *[["Plan" if i == 0 else "", segment] for i, segment in enumerate(course["plan"])],
        ],
        (35, 145),
    )

    pdf.heading("Cumulative dose")
    pdf.rows(
        ["cumulative_mg", "cumulative_mg_per_kg", "target_mg", "target_percent"],
        [
            [
                _fmt(report["cumulative_mg"]),
                _fmt(report["cumulative_mg_per_kg"]),
                _fmt(report["target_mg"]),
                _fmt(report["target_percent"], " %"),
            ]
        ],
    )

    adherence = report["adherence"]
    pdf.heading("Adherence")
    pdf.rows(
        ["planned doses", "taken", "skipped", "missed", "% taken"],
        [
            [
                adherence["planned_doses"],
                adherence["taken_doses"],
                adherence["skipped_doses"],
                adherence["missed_doses"],
                _fmt(adherence["percent_taken"], " %"),
            ]
        ],
    )
    pdf.para(adherence["note"])
    days = [[d["date"], "missed", ", ".join(map(str, d["slots"]))] for d in adherence["missed_days"]]
    days += [[d["date"], "skipped", ", ".join(map(str, d["slots"]))] for d in adherence["skipped_days"]]
    pdf.rows(["date", "", "dose(s) of the day"], sorted(days), (40, 40, 100))

    checkins = report["checkins"]
    skin = checkins["skin"]
    pdf.heading(f"Check-ins ({checkins['checkin_days']} days)")
    pdf.rows(
        ["skin (0-10)", "first", "last", "lowest", "highest", "average"],
        [["", *(_fmt(skin[k]) for k in ("first", "last", "lowest", "highest", "average"))]],
    )
    pdf.rows(
        ["effect", "days reported", "days strong (3 of 3)", "strongest"],
        [
            [e["label"], e["days_reported"], e["days_strong"], e["max_severity"]]
            for e in checkins["effects"]
            if e["days_reported"]
        ],
        (80, 35, 35, 30),
    )

    pdf.heading("Red flags reported")
    pdf.rows(
        ["date", "what the patient ticked"],
        [[f["date"], f["label"]] for f in checkins["red_flags"]],
        (30, 150),
    )

    pdf.heading("Weekly mood check")
    pdf.para(report["mood"]["note"])
    pdf.rows(
        ["week", "little interest", "feeling low", "self-harm thoughts", "sexual function"],
        [
            [
                m["week"],
                labels.get(m["interest"], m["interest"]),
                labels.get(m["low_mood"], m["low_mood"]),
                "yes" if m["self_harm_thoughts"] else "no",
                labels.get(m["sexual_function"], "-") if m["sexual_function"] else "-",
            ]
            for m in report["mood"]["weeks"]
        ],
    )

    pdf.heading("Appointments and tests")
    pdf.rows(
        ["when", "what", "where", "fasting"],
        [
            [a["starts_at"].replace("T", " "), a["label"], a["place"] or "-", "yes" if a["fasting"] else "no"]
            for a in report["appointments"]
        ],
        (35, 50, 75, 20),
    )
    return bytes(pdf.output())
