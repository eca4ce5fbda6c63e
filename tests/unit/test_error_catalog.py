"""Every error message the API writes is in the errors catalog, so a Spanish or German reader gets it in
their language: each `abort(message=…)`, snooze refusal and field error in the backend's source, as a
literal or an f-string, matches an English template that es and de translate (a new English-only message
fails here). Messages built elsewhere (a plan's or a pause's validation) are translated where they are made
and tested there."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from backend.i18n import catalog
from backend.i18n.errors import translate_message

BACKEND = Path(__file__).resolve().parents[2] / "backend"
CALLS = {"abort": "message", "SnoozeRefused": 1, "_field_error": 1}


def _messages() -> list[tuple[str, ast.expr]]:
    """(where, the message expression) for every message argument of CALLS in the backend's source, names of
    module constants resolved."""
    found = []
    for path in sorted(BACKEND.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {
            target.id: node.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant | ast.JoinedStr)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            where = CALLS.get(name)
            if where is None:
                continue
            values = (
                [kw.value for kw in node.keywords if kw.arg == where]
                if isinstance(where, str)
                else list(node.args[where : where + 1])
            )
            for value in values:
                if isinstance(value, ast.Name) and value.id in constants:
                    value = constants[value.id]
                if isinstance(value, ast.Constant | ast.JoinedStr):
                    found.append((f"{path.relative_to(BACKEND.parent)}:{node.lineno}", value))
    return found


MESSAGES = _messages()


def test_the_scan_finds_the_messages():
    texts = {ast.unparse(value) for _, value in MESSAGES}
    assert len(MESSAGES) > 60
    assert any("No such device." in text for text in texts)
    assert any("caregivers per course" in text for text in texts)


@pytest.mark.parametrize(("where", "message"), MESSAGES, ids=[where for where, _ in MESSAGES])
def test_every_message_has_a_translation(where, message):
    if isinstance(message, ast.Constant):
        for language in ("es", "de"):
            assert translate_message(message.value, language) != message.value, (where, language)
        return
    # An f-string: some English template is the same text with its {placeholders} where the values go.
    pattern = "".join(
        re.escape(part.value) if isinstance(part, ast.Constant) else ".+?" for part in message.values
    )
    templates = catalog("errors", "en")["messages"].values()
    assert any(re.fullmatch(pattern, template, re.DOTALL) for template in templates), (where, pattern)
