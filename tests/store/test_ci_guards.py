"""CI must not pass by skipping PostgreSQL: the guards in tests/conftest.py, exercised
by running pytest on small throw-away test files with that conftest as a plugin."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import postgres_url

ROOT = Path(__file__).resolve().parents[2]

SAMPLE = '''
import pytest

def test_on_both_stores(settings):
    assert settings.data_dir

@pytest.mark.postgres
def test_that_skips():
    pytest.skip("skipped for the sake of the guard test")
'''


def run_pytest(tmp_path: Path, env_update: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_sample.py").write_text(textwrap.dedent(SAMPLE))
    env = {k: v for k, v in os.environ.items()
           if k not in ("CI", "CS_LEDGER_TEST_POSTGRES_URL") and not k.startswith("PYTEST_")}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "src")])
    env.update(env_update)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.conftest", "-q", "-p", "no:cacheprovider",
         "--rootdir", str(tmp_path), str(tmp_path / "test_sample.py"), *args],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False,
    )


def test_locally_without_a_url_postgres_tests_skip(tmp_path: Path):
    proc = run_pytest(tmp_path, {})
    assert proc.returncode == 0, proc.stdout
    assert "1 passed, 2 skipped" in proc.stdout


def test_in_ci_without_a_url_postgres_tests_fail(tmp_path: Path):
    proc = run_pytest(tmp_path, {"CI": "true"})
    assert proc.returncode == 1, proc.stdout
    assert "CI is set but CS_LEDGER_TEST_POSTGRES_URL is not" in proc.stdout


def test_an_unreachable_server_stops_the_run_at_once(tmp_path: Path):
    proc = run_pytest(tmp_path, {"CI": "true",
                                 "CS_LEDGER_TEST_POSTGRES_URL": "postgresql+psycopg://postgres@127.0.0.1:1/x"})
    assert proc.returncode not in (0, 5), proc.stdout
    assert "PostgreSQL at CS_LEDGER_TEST_POSTGRES_URL is unreachable" in proc.stdout + proc.stderr


@pytest.mark.postgres
def test_a_run_whose_postgres_tests_all_skip_fails_in_ci(tmp_path: Path):
    proc = run_pytest(tmp_path, {"CI": "true", "CS_LEDGER_TEST_POSTGRES_URL": postgres_url()},
                      "-k", "that_skips")
    assert proc.returncode == 1, proc.stdout
    assert "none of the 1 PostgreSQL tests passed" in proc.stdout
