"""The doctor report as a PDF (fpdf2, pure Python): the same data as ``report.build_report``, laid out to
be read in 30 seconds — safety first, human headings with their units, dates written out.

The PDF embeds DejaVu Sans (``pdf_font.py``), so every language's letters and typographic marks print as
written; a character outside the font prints as "?". ``paper`` is "a4" or "letter". Every fixed word
(headings, column names, months' names) comes from the report catalog's ``pdf`` texts in the current locale.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from fpdf import FPDF, FontFace
from fpdf.enums import XPos, YPos

from backend.record.pdf_font import FAMILY, font_files
from backend.record.report import texts

PAPERS = ("a4", "letter")
_HEADINGS = FontFace(emphasis="BOLD", fill_color=(232, 236, 235))
_ISO_DAY = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")


def _text(text: str) -> str:
    """Text as the PDF prints it: characters DejaVu Sans lacks (emoji, other scripts) become "?"."""
    return "".join(ch if ord(ch) < 0x2500 or ch in "≥×" else "?" for ch in text)


def _words() -> dict[str, Any]:
    return texts()["pdf"]


def day(iso: str | None) -> str:
    """ "2026-01-05" → "5 Jan 2026" (the same on A4 and Letter; the month's name in the report's language)."""
    if not iso:
        return "-"
    d = date.fromisoformat(iso[:10])
    words = _words()
    return words["date_format"].format(day=d.day, month=words["months"][d.month - 1], year=d.year)


def _ordinal(slot: int) -> str:
    ordinals = _words()["ordinals"]
    return ordinals[slot - 1] if 1 <= slot <= len(ordinals) else str(slot)


def _when(iso: str) -> str:
    at = datetime.fromisoformat(iso)
    return f"{day(iso)} {at:%H:%M}"


class _Report(FPDF):
    def __init__(self, country: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.words: dict[str, Any] = _words()
        # The language's decimal mark, or a point where the course's country writes one (Spanish in Mexico).
        points = bool(country) and country in self.words["decimal_point_countries"].split()
        self.decimal_mark: str = "." if points else self.words["decimal_mark"]
        for style, path in font_files().items():
            self.add_font(FAMILY, style=style, fname=str(path))

    def num(self, value: Any, unit: str = "") -> str:
        """A number as the report's language (and the patient's country) writes it: 40,5 in German."""
        if value is None:
            return "-"
        if isinstance(value, float):
            value = f"{value:g}".replace(".", self.decimal_mark)
        return f"{value}{unit}"

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, size=8)
        self.cell(0, 6, _text(self.words["footer"].format(page=self.page_no())), align="C")

    def heading(self, text: str) -> None:
        self.ln(2)
        if self.get_y() > self.h - 60:  # no heading alone at the foot of a page
            self.add_page()
        self.set_font(FAMILY, style="B", size=12)
        self.cell(0, 7, _text(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FAMILY, size=9)

    def subheading(self, text: str) -> None:
        self.set_font(FAMILY, style="B", size=9.5)
        self.cell(0, 6, _text(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FAMILY, size=9)

    def para(self, text: str, style: str = "") -> None:
        self.set_font(FAMILY, style=style, size=9)
        self.multi_cell(0, 4.6, _text(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FAMILY, size=9)

    def rows(self, header: list[str], rows: list[list[Any]], widths: tuple[int, ...] | None = None) -> None:
        if not rows:
            self.para(self.words["none_recorded"])
            return
        with self.table(
            col_widths=widths, line_height=4.8, text_align="LEFT", padding=1, headings_style=_HEADINGS
        ) as table:
            for line in [header, *rows]:
                row = table.row()
                for value in line:
                    row.cell(_text(str(value)))
        self.ln(1)


def _header(pdf: _Report, report: dict[str, Any]) -> None:
    pdf.set_font(FAMILY, style="B", size=15)
    pdf.cell(0, 9, _text(report["title"]), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, size=10)
    width = pdf.epw
    for label in report["patient_lines"]:  # written by hand: the app stores no name
        pdf.cell(38, 9, _text(f"{label}:"))
        y = pdf.get_y() + 7
        pdf.line(pdf.get_x(), y, pdf.l_margin + width, y)
        pdf.ln(9)
    pdf.set_font(FAMILY, style="B", size=10)
    pdf.cell(
        0,
        7,
        _text(pdf.words["period"].format(start=day(report["from"]), end=day(report["to"]))),
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_font(FAMILY, size=8.5)
    written = pdf.words["written_on"].format(date=day(report["generated_on"]))
    pdf.para(f"{written} {report['disclaimer']}", style="I")


def _safety(pdf: _Report, report: dict[str, Any]) -> None:
    w = pdf.words
    safety = report["safety"]
    pauses = report.get("pauses") or []
    pdf.heading(w["safety"])
    quiet = not safety["red_flags"] and not safety["self_harm_yes"]
    if quiet:
        pdf.para(safety["none_note"])
    if safety["red_flags"]:
        pdf.subheading(w["flags_reported"])
        pdf.rows(
            [w["ticked"], w["range_from"], w["range_to"], w["days"]],
            [[f["label"], day(f["from"]), day(f["to"]), f["days"]] for f in safety["red_flags"]],
            (90, 35, 35, 20),
        )
    if safety["self_harm_yes"]:
        pdf.subheading(w["self_harm_yes"])
        yes = texts()["answers"]["yes"]
        pdf.rows(
            [w["week_of"], w["answer"]],
            [[day(x["week_of"]), yes] for x in safety["self_harm_yes"]],
            (40, 140),
        )
    pdf.subheading(w["pauses"])
    pdf.rows(
        [w["stopped_on"], w["restarted_on"], w["why"], w["days_in_period"]],
        [
            [
                day(p["started_on"]),
                day(p.get("resumed_on")) if p.get("resumed_on") else w["not_yet"],
                p.get("reason_label", p.get("reason", "")),
                p.get("days", "-"),
            ]
            for p in pauses
        ],
        (30, 30, 90, 30),
    )
    if safety["pregnancy_tests"] is not None:
        pdf.subheading(w["pregnancy_tests"])
        pdf.para(safety["pregnancy_tests_note"])
        pdf.rows(
            [w["date"], w["where"]],
            [[day(t["date"]), t["place"] or "-"] for t in safety["pregnancy_tests"]],
            (40, 140),
        )


def _course(pdf: _Report, report: dict[str, Any]) -> None:
    w = pdf.words
    course = report["course"]
    status = course.get("rule_set_status")
    rule_set = course["rule_set_title"]
    if status:
        rule_set += "\n" + (w["verify"].format(text=status["text"]) if status["verify"] else status["text"])
    pdf.heading(w["course"])
    pdf.rows(
        [w["course"], w["as_recorded"]],
        [
            [w["capsules"], course["product_label"]],
            [w["rule_set"], rule_set],
            # one row per plan segment: a plan of up to 60 segments in one cell would not fit a page
            *[
                [w["plan"] if i == 0 else "", _ISO_DAY.sub(lambda m: day(m[1]), line)]
                for i, line in enumerate(course["plan"])
            ],
            [w["first_capsule"], day(course["start_date"])],
            [w["last_capsule"], day(course["ended_on"]) if course["ended_on"] else w["still_taking"]],
            [
                w["target"],
                pdf.num(course["target_mg_per_kg"]) if course["target_mg_per_kg"] else w["none_set"],
            ],
            [
                w["pregnancy_prevention"],
                w["applies"] if course["pregnancy_prevention"] else w["does_not_apply"],
            ],
        ],
        (45, 135),
    )
    pdf.subheading(w["weights"])
    pdf.rows(
        [w["date_recorded"], w["weight"], w["weight_note"]],
        [
            [
                day(x["recorded_on"]),
                pdf.num(x["weight_kg"]),
                w["start_weight"] if i == 0 else (w["rebased"] if x["rebased"] else ""),
            ]
            for i, x in enumerate(report["weights"])
        ],
        (45, 35, 100),
    )


def _dose(pdf: _Report, report: dict[str, Any]) -> None:
    w = pdf.words
    dose = report["dose"]
    rows = [
        [w["total_taken"], pdf.num(dose["cumulative_mg"])],
        [
            w["by_start_weight"].format(kg=pdf.num(dose["start_weight_kg"])),
            pdf.num(dose["mg_per_kg_by_start_weight"]),
        ],
    ]
    if dose["latest_weight_kg"] is not None:
        rows.append(
            [
                w["by_latest_weight"].format(kg=pdf.num(dose["latest_weight_kg"])),
                pdf.num(dose["mg_per_kg_by_latest_weight"]),
            ]
        )
    if dose["target_mg"] is not None:
        counted = dose["counted_by"]
        by = w["target_by_start"] if counted["basis"] == "start" else w["target_by_rebased"]
        rows += [
            [by.format(kg=pdf.num(counted["weight_kg"])), pdf.num(dose["target_mg"])],
            [w["target_share"], pdf.num(dose["target_percent"])],
        ]
    rows += [
        [w["current_plan"], pdf.num(dose["current_mg_per_day"])],
        [w["current_plan_per_kg"], pdf.num(dose["current_mg_per_kg_per_day"])],
    ]
    pdf.heading(w["cumulative_dose"])
    pdf.para(f"{dose['cumulative_note']} {dose['mg_per_kg_note']}")
    if dose["micronised_note"]:
        pdf.para(dose["micronised_note"], style="B")
    pdf.rows([w["measure"], w["amount"]], rows, (120, 60))


def _adherence(pdf: _Report, report: dict[str, Any]) -> None:
    w = pdf.words
    a = report["adherence"]
    pdf.heading(w["adherence"])
    pdf.rows(
        [w["planned_doses"], w["taken"], w["skipped"], w["paused"], w["not_logged"], w["taken_percent"]],
        [
            [
                a["planned_doses"],
                a["taken_doses"],
                a["skipped_doses"],
                a.get("paused_doses", 0),
                a["not_logged_doses"],
                pdf.num(a["percent_taken"]),
            ]
        ],
    )
    pdf.para(a["note"])
    if a["not_logged_ranges"]:
        pdf.subheading(w["not_logged_days"])
        pdf.rows(
            [w["range_from"], w["range_to"], w["days"], w["doses_not_logged"]],
            [[day(r["from"]), day(r["to"]), r["days"], r["doses"]] for r in a["not_logged_ranges"]],
            (40, 40, 30, 70),
        )
    if a["skipped_days"]:
        pdf.subheading(w["skipped_days"])
        pdf.rows(
            [w["date"], w["dose_of_day"]],
            [[day(d["date"]), ", ".join(_ordinal(s) for s in d["slots"])] for d in a["skipped_days"]],
            (40, 140),
        )


def _checkins(pdf: _Report, report: dict[str, Any]) -> None:
    w = pdf.words
    c = report["checkins"]
    skin = c["skin"]
    days = c["checkin_days"]
    pdf.heading(w["checkins_one" if days == 1 else "checkins_other"].format(days=days))
    pdf.para(c["note"])
    pdf.rows(
        [
            w["skin_column"],
            w["days_answered"],
            w["first"],
            w["last"],
            w["lowest"],
            w["highest"],
            w["average"],
        ],
        [
            [
                w["skin_score"],
                skin["days_answered"],
                *(pdf.num(skin[k]) for k in ("first", "last", "lowest", "highest", "average")),
            ]
        ],
        (50, 25, 20, 20, 20, 20, 25),
    )
    pdf.rows(
        [w["effect_column"], w["days_answered"], w["days_reported"], w["days_strong"], w["strongest"]],
        [
            [e["label"], e["days_answered"], e["days_reported"], e["days_strong"], e["strongest"] or "-"]
            for e in c["effects"]
            if e["days_reported"]
        ],
        (60, 25, 40, 25, 30),
    )


def _mood(pdf: _Report, report: dict[str, Any]) -> None:
    w = pdf.words
    mood = report["mood"]
    h = mood["headings"]
    pdf.heading(w["mood"])
    pdf.para(mood["note"])
    pdf.rows(
        [w["week_of"], h["interest"], h["low_mood"], h["self_harm_thoughts"], h["sexual_function"]],
        [
            [
                day(m["week_of"]),
                m["interest_label"],
                m["low_mood_label"],
                m["self_harm_label"],
                m["sexual_function_label"] or w["not_answered"],
            ]
            for m in mood["weeks"]
        ],
        (28, 40, 40, 32, 40),
    )


def _appointments(pdf: _Report, report: dict[str, Any]) -> None:
    w = pdf.words
    pdf.heading(w["appointments"])
    pdf.rows(
        [w["date_time"], w["what"], w["where"], w["fasting"]],
        [
            [_when(a["starts_at"]), a["label"], a["place"] or "-", w["yes"] if a["fasting"] else w["no"]]
            for a in report["appointments"]
        ],
        (40, 45, 75, 20),
    )


def render_pdf(report: dict[str, Any], paper: str = "a4", country: str | None = None) -> bytes:
    """The report as a PDF on `paper`; `country` (the course's) picks the decimal mark where the
    language's varies by country."""
    pdf = _Report(country=country, format="letter" if paper == "letter" else "A4")
    pdf.set_margins(15, 14, 15)
    pdf.set_auto_page_break(True, margin=16)
    pdf.set_title(report["title"])
    pdf.set_creator("ClearCourse")
    pdf.add_page()
    for part in (_header, _safety, _course, _dose, _adherence, _checkins, _mood, _appointments):
        part(pdf, report)
    return bytes(pdf.output())
