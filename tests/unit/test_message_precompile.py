"""The PWA's catalogs ship parsed (frontend/scripts/precompile-messages.mjs): every message of every catalog,
as shipped, formats to the same text as its source string through the full intl-messageformat, for the
plural branches of 0, 1, 3 and 21; plain ones ship as strings, the rest as ASTs; the shell's words may
not need the formatter."""

from __future__ import annotations

from tests.support.frontend_script import run_frontend_script


def compile_catalog(area: str, messages: dict) -> dict:
    return run_frontend_script("message-cases.mjs", {"compile": {"area": area, "messages": messages}})


def test_every_shipped_message_formats_as_its_source_does():
    out = run_frontend_script("message-cases.mjs", {"numbers": [0, 1, 3, 21]})
    assert out["refused"] == []
    assert out["differences"] == []
    assert out["catalogs"] >= 57 and out["messages"] > 2500
    assert out["plain"] > 0 and out["ast"] > 0  # both forms are walked


def test_plain_messages_ship_unescaped_and_the_rest_as_asts():
    out = compile_catalog(
        "today",
        {
            "today.a": "Don''t skip {slot}",
            "today.b": "Quote '{'braces'}'",
            "today.c": "{count, plural, one {# capsule} other {# capsules}}",
            "today.d": "Plain words",
        },
    )["compiled"]
    assert out["today.a"] == "Don't skip {slot}"
    assert isinstance(out["today.b"], list)  # literal braces would read as an argument: kept as an AST
    assert isinstance(out["today.c"], list) and out["today.c"][0]["type"] == 6  # plural
    assert out["today.d"] == "Plain words"


def test_the_build_refuses_a_shell_message_that_needs_the_formatter_and_a_broken_message():
    refused = compile_catalog("shell", {"shell.x": "{n, plural, one {# item} other {# items}}"})["refused"]
    assert "shell.x" in refused and "formatter" in refused
    assert "shell.y" in compile_catalog("shell", {"shell.y": "Hello {name"})["refused"]
    assert compile_catalog("shell", {"shell.z": "Hello {name}"})["compiled"] == {"shell.z": "Hello {name}"}
