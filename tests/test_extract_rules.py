"""triggers.toml loading: a bad edit must name the line to fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.rules import DEFAULT_TRIGGERS, RulesError, cue_forms, load_triggers


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "triggers.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_file_loads_with_all_types() -> None:
    rules = load_triggers(DEFAULT_TRIGGERS)
    assert {t.name for t in rules.enabled()} >= {"funding", "acquisition", "ipo"}
    assert rules.negative_cues
    assert any(p for p in rules.types["funding"].patterns)  # bundled jsonl patterns merged


def test_unknown_event_type_reports_its_table_line(tmp_path: Path) -> None:
    path = write(tmp_path, '[funding]\ncues = ["raise"]\n\n[merger_mania]\ncues = ["x"]\n')
    with pytest.raises(RulesError) as err:
        load_triggers(path)
    assert err.value.line == 4
    assert "merger_mania" in str(err.value)


def test_wrong_value_type_reports_key_line(tmp_path: Path) -> None:
    path = write(tmp_path, '[funding]\nenabled = true\ncues = "raise"\n')
    with pytest.raises(RulesError) as err:
        load_triggers(path)
    assert err.value.line == 3


def test_bad_pattern_reports_the_pattern_line(tmp_path: Path) -> None:
    text = (
        "[acquisition]\n"
        'cues = ["acquire"]\n'
        "patterns = [\n"
        '  [{LOWER = "buys"}],\n'
        '  [{NOT_AN_ATTR = "x"}],\n'
        "]\n"
    )
    with pytest.raises(RulesError) as err:
        load_triggers(write(tmp_path, text))
    assert err.value.line == 5
    assert "patterns[1]" in str(err.value)


def test_toml_syntax_error_keeps_line(tmp_path: Path) -> None:
    with pytest.raises(RulesError) as err:
        load_triggers(write(tmp_path, '[funding]\ncues = ["raise"\nenabled = true\n'))
    assert err.value.line is not None


def test_unknown_key_and_bad_setting(tmp_path: Path) -> None:
    with pytest.raises(RulesError) as err:
        load_triggers(write(tmp_path, '[layoff]\ncues = ["lay off"]\ncuess = ["x"]\n'))
    assert err.value.line == 3
    with pytest.raises(RulesError) as err:
        load_triggers(write(tmp_path, '[settings]\nmin_confidence = "high"\n'))
    assert err.value.line == 2


def test_cue_forms_inflect_lemmas() -> None:
    assert {"acquires", "acquired", "acquiring"} <= cue_forms("acquire")
    assert "laid off" in cue_forms("lay off")
    assert "bought" in cue_forms("buy")
