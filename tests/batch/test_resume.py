"""kill -9 in the middle of `kamdocs batch`, then run it again: the same complete set."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from batch_support import AS_OF, files_of

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


def _finished(out: Path) -> list[Path]:
    return [p for p in (out / "fakeplan").glob("*.txt")] if (out / "fakeplan").is_dir() else []


@pytest.mark.slow
def test_kill_9_then_rerun_gives_the_same_complete_set(data: Path, tmp_path: Path) -> None:
    reference, killed = tmp_path / "reference", tmp_path / "killed"
    done = subprocess.run(_command(data, reference), env=_env(0), capture_output=True,
                          text=True, timeout=180)
    assert done.returncode == 0, done.stderr

    process = subprocess.Popen(_command(data, killed), env=_env(0.25),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while len(_finished(killed)) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(30)
    partial = files_of(killed)
    expected = files_of(reference)
    documents = [name for name in partial if name.startswith("fake")]
    # Killed in the middle: some documents, not all, and no portfolio report yet.
    assert 3 <= len(documents) < len([n for n in expected if n.startswith("fake")])
    assert "index.html" not in partial
    # Every file at a final path is complete: byte-identical to the uninterrupted run's.
    for name in documents:
        assert partial[name] == expected[name], name

    rerun = subprocess.run([*_command(data, killed), "--json"], env=_env(0),
                           capture_output=True, text=True, timeout=180)
    assert rerun.returncode == 0, rerun.stderr
    assert '"skipped": 0,' not in rerun.stdout  # finished items were kept, not rebuilt
    assert files_of(killed) == expected
    # Nothing hidden left behind by the killed run either.
    assert not [p for p in killed.rglob(".*") if p.name != ".ipynb_checkpoints"]
