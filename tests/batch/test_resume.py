"""kill -9 in the middle of `kamdocs batch`, then run it again: the same complete set."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from batch_support import AS_OF, files_of
from click.testing import CliRunner, Result

from kamdocs.cli import main

HERE = Path(__file__).resolve().parent
ARGS = ("--kinds", "fakeplan,fakepack", "--as-of", AS_OF.isoformat(), "--jobs", "2")


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kamdocs.samples import generate, write_csv_folder

    folder = tmp_path_factory.mktemp("data")
    write_csv_folder(generate(6, 11, AS_OF), folder)
    return folder


def _command(data: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "kamdocs", "batch", str(data), "-o", str(out), *ARGS]


def _env(delay: float) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(HERE), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["KAMDOCS_PLUGINS"] = "batch_fakes"
    env["BATCH_FAKES_DELAY"] = str(delay)
    return env


def _in_process(data: Path, out: Path, *extra: str) -> Result:
    """The same command through click in this process (saves an interpreter start)."""
    return CliRunner().invoke(main, [*_command(data, out)[3:], *extra, "--plugin", "batch_fakes"])


def _finished(out: Path) -> list[Path]:
    return [p for p in (out / "fakeplan").glob("*.txt")] if (out / "fakeplan").is_dir() else []


@pytest.mark.slow
def test_kill_9_then_rerun_gives_the_same_complete_set(data: Path, tmp_path: Path) -> None:
    reference, killed = tmp_path / "reference", tmp_path / "killed"
    done = _in_process(data, reference)
    assert done.exit_code == 0, done.output

    process = subprocess.Popen(_command(data, killed), env=_env(0.25),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while len(_finished(killed)) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(30)
    partial = files_of(killed)
    expected = files_of(reference)
    # Final paths only: hidden temporaries (a file or pack folder being written) may remain.
    documents = [name for name in partial
                 if name.startswith("fake") and not any(p.startswith(".") for p in name.split("/"))]
    # Killed in the middle: some documents, not all, and no portfolio report yet.
    assert 3 <= len(documents) < len([n for n in expected if n.startswith("fake")])
    assert process.returncode == -signal.SIGKILL
    assert "index.html" not in partial
    # Every file at a final path is complete: byte-identical to the uninterrupted run's.
    for name in documents:
        assert partial[name] == expected[name], name

    rerun = _in_process(data, killed, "--json")
    assert rerun.exit_code == 0, rerun.output
    assert json.loads(rerun.output)["skipped"] >= 3  # finished items were kept, not rebuilt
    assert files_of(killed) == expected
    # Nothing hidden left behind by the killed run either.
    assert not [p for p in killed.rglob(".*") if p.name != ".ipynb_checkpoints"]
