"""Configuration: the bundled folder is valid and every mistake names file and line."""

from __future__ import annotations

from pathlib import Path

from monitor.config import BUNDLED_CONFIG, check_config, load_config, resolve_config_dir
from tests.helpers import run_cli


def test_bundled_config_is_valid() -> None:
    assert check_config(BUNDLED_CONFIG) == []
    config = load_config(BUNDLED_CONFIG)
    assert any("sec.gov" in s.url and "8-K" in s.url for s in config.sources)
    assert any(s.url.endswith("TechCrunch.xml") and Path(s.url).is_file() for s in config.sources)
    assert config.mail.smtp_host is None  # outbox by default
    assert config.database_url.startswith("sqlite:///")
    assert config.alerts.max_age_days == 14
    assert config.fetch.allow_private_addresses is False


def test_env_and_flag_pick_the_folder(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TRIGGER_MONITOR_CONFIG", str(tmp_path))
    assert resolve_config_dir(None) == tmp_path.resolve()
    assert resolve_config_dir(str(BUNDLED_CONFIG)) == BUNDLED_CONFIG.resolve()


def test_every_problem_has_file_and_line(make_config) -> None:
    config = make_config(
        sources=[
            {"name": "ok", "url": "https://example.com/feed"},
            {"name": "ok", "url": "https://example.com/other"},
            {"name": "bad-interval", "url": "https://example.com/x", "interval_minutes": 0},
        ],
        accounts="name,aliases,domains,owner\nAcme,,acme.com,nobody@example.com\n,,,\n",
        reps="email,name,delivery,timezone\nnot-an-email,X,instant,UTC\n"
        "ann@example.com,Ann,hourly,UTC\nzed@example.com,Zed,daily,Mars/Base\n",
    )
    settings = config / "settings.toml"
    settings.write_text(settings.read_text().replace("timeout_s = 3", 'timeout_s = "soon"'))
    problems = [str(p) for p in check_config(config)]
    text = "\n".join(problems)
    src = config / "sources.toml"
    assert f"{src}:6: source name 'ok' is used twice (first at line 2)" in text
    assert f"{src}:12: source 'bad-interval': interval_minutes must be" in text
    assert f"{config / 'reps.csv'}:2: email 'not-an-email'" in text
    assert f"{config / 'reps.csv'}:3: delivery 'hourly'" in text
    assert f"{config / 'reps.csv'}:4: timezone 'Mars/Base'" in text
    assert f"{config / 'accounts.csv'}:2: owner 'nobody@example.com'" in text
    assert f"{config / 'accounts.csv'}:3: account name is empty" in text
    assert f"{settings}:" in text and "[fetch] timeout_s must be int or float" in text


def test_toml_syntax_error_points_at_line(make_config) -> None:
    config = make_config()
    (config / "sources.toml").write_text('[[source]]\nname = "a"\nurl = "https://x.y/feed\n')
    [problem] = check_config(config)
    assert problem.file.endswith("sources.toml") and problem.line == 3
    assert "not valid TOML" in problem.message


def test_missing_folder_and_files(tmp_path: Path) -> None:
    assert "does not exist" in str(check_config(tmp_path / "nope")[0])
    empty = tmp_path / "empty"
    empty.mkdir()
    problems = {Path(p.file).name for p in check_config(empty)}
    assert {
        "settings.toml",
        "sources.toml",
        "accounts.csv",
        "reps.csv",
        "triggers.toml",
    } <= problems


def test_check_config_cli_exit_codes(make_config) -> None:
    good = run_cli("check-config", config=make_config())
    assert good.returncode == 0 and good.stdout.startswith("ok:")
    bad = make_config(reps="email,name\nx@example.com,X\n")
    result = run_cli("check-config", config=bad)
    assert result.returncode == 1
    assert "reps.csv:1: missing column(s) delivery" in result.stdout
    assert "Traceback" not in result.stderr
