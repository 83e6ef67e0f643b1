"""Encryption at rest, measured: opening an encrypted 10-year journal against the plain one,
the key derivation on its own, and what saving a check-in costs in an encrypted journal.

    python benchmarks/encryption.py [--runs 7] [--years 10]

Whole `main.py --smoke` processes are timed from outside, plain and encrypted alternating
in ABBA order after a warm-up of each, so that machine load hits both alike; the table
gives medians and their ratio. The encrypted journal is the plain one converted with
`encrypt`; its passphrase goes to the child in ONSET_PASSPHRASE. The key derivation
(SQLCipher 4's PBKDF2-HMAC-SHA512, 256,000 iterations) is timed in this process, apart.
The save row records every SQL statement of each save (the trace callback) and counts the
transactions. Everything goes into benchmarks/out/encryption/; the table also to
benchmarks/out/encryption.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out" / "encryption"
PASSPHRASE = "benchmark passphrase"

sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))
from make_journal import write_journal  # noqa: E402


def child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("ONSET_JOURNAL", "ONSET_PASSPHRASE")}
    env.update(QT_QPA_PLATFORM="offscreen", XDG_DATA_HOME=str(OUT / "xdg"), **extra)
    return env


def timed(argv: list[str], env: dict[str, str]) -> float:
    began = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=REPO, capture_output=True, text=True, timeout=120)
    took = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{done.stderr[-2000:]}")
    return took


def journals(years: int) -> tuple[Path, Path]:
    from tracker.storage import crypto
    from tracker.storage.encryption import encrypt

    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    document = OUT / f"{years}y.json"
    write_journal(document, years, end=date.today())
    plain = OUT / "plain" / "journal.onset"
    plain.parent.mkdir()
    timed(
        [sys.executable, "main.py", "import", str(document), "--journal", str(plain)], child_env()
    )
    encrypted = OUT / "encrypted" / "journal.onset"
    encrypted.parent.mkdir()
    shutil.copyfile(plain, encrypted)
    encrypt(encrypted, PASSPHRASE)
    crypto.forget_all()
    for path in (plain, encrypted):  # no backups folder: the daily copy is made on each run
        shutil.rmtree(path.parent / "backups", ignore_errors=True)
    return plain, encrypted


def open_rows(plain: Path, encrypted: Path, runs: int) -> tuple[list[float], list[float]]:
    smoke = [sys.executable, "main.py", "--smoke", "--journal"]
    env_plain, env_secret = child_env(), child_env(ONSET_PASSPHRASE=PASSPHRASE)
    timed([*smoke, str(plain)], env_plain)
    timed([*smoke, str(encrypted)], env_secret)
    plain_times: list[float] = []
    secret_times: list[float] = []
    for run in range(runs):
        order = [(plain, env_plain, plain_times), (encrypted, env_secret, secret_times)]
        for path, env, into in order if run % 2 == 0 else order[::-1]:
            into.append(timed([*smoke, str(path)], env))
    return plain_times, secret_times


def key_derivation(runs: int) -> list[float]:
    from tracker.storage.crypto import derive_key

    times = []
    for _ in range(runs):
        began = time.perf_counter()
        derive_key(PASSPHRASE, os.urandom(16))
        times.append(time.perf_counter() - began)
    return times


def saves(encrypted: Path, count: int = 20) -> list[int]:
    from tracker.domain.entries import Checkin
    from tracker.journal import Journal
    from tracker.storage import crypto

    crypto.remember(PASSPHRASE)
    transactions = []
    with Journal.open(encrypted, backups=False) as journal:
        when = datetime(2031, 1, 1, 21, 0)
        for number in range(count):
            statements: list[str] = []
            journal.connection.set_trace_callback(statements.append)
            journal.add(Checkin(at=when + timedelta(days=number), anxiety=4, note="x"))
            journal.connection.set_trace_callback(None)
            begins = sum(s.strip().upper().startswith("BEGIN") for s in statements)
            commits = sum(s.strip().upper().startswith("COMMIT") for s in statements)
            transactions.append(begins if begins == commits else -1)
    crypto.forget_all()
    return transactions


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args()
    load_start = os.getloadavg()[0]
    plain, encrypted = journals(args.years)
    plain_times, secret_times = open_rows(plain, encrypted, args.runs)
    kdf = key_derivation(args.runs)
    per_save = saves(encrypted)
    p, s, k = (statistics.median(x) for x in (plain_times, secret_times, kdf))
    one = sum(t == 1 for t in per_save)
    lines = [
        f"Measured {datetime.now():%Y-%m-%d %H:%M} on {os.cpu_count()} CPUs "
        f"({platform.processor() or platform.machine()}), Python {platform.python_version()}; "
        f"load average {load_start:.2f} at start, {os.getloadavg()[0]:.2f} at end; "
        f"{args.runs} runs each after a warm-up, medians.",
        "",
        "| what | measured | against | ratio |",
        "|---|---|---|---|",
        f"| `main.py --smoke`, encrypted {args.years}-year journal | {s:.3f} s "
        f"| the plain one, {p:.3f} s | {s / p:.2f}× |",
        f"| key derivation alone (PBKDF2-HMAC-SHA512, 256,000 iterations) | {k * 1000:.0f} ms "
        f"| — | {k / (s - p):.0%} of the difference |"
        if s > p
        else f"| key derivation alone | {k * 1000:.0f} ms | — | — |",
        f"| saving one check-in, encrypted journal | {one} of {len(per_save)} saves in one "
        "transaction | — | — |",
    ]
    text = "\n".join(lines)
    print(text)
    (HERE / "out" / "encryption.md").write_text(text + "\n", encoding="utf-8")
    return 0 if one == len(per_save) else 1


if __name__ == "__main__":
    sys.exit(main())
