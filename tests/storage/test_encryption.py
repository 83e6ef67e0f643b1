"""Encryption at rest: the file, its log and its backups hold no readable text; every
command works on an encrypted journal, and a missing or wrong passphrase changes nothing."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.core_support import run_cli, snapshot
from tracker.journal import Journal
from tracker.storage import crypto
from tracker.storage.backup import MANUAL, list_backups, make_backup
from tracker.storage.encryption import change_passphrase, decrypt, encrypt

NOTE = "the tulip field behind the clinic"  # a known note to look for in the bytes
Capsys = pytest.CaptureFixture[str]


_TEMPLATE: dict[str, Path] = {}


def _forget_passphrases() -> None:
    """As in a new process, except that keys already derived for a salt stay cached: every
    test copies one encrypted journal, and the suite need not stretch its key every time."""
    derived = dict(crypto._keyring._derived)
    crypto.forget_all()
    crypto._keyring._derived.update(derived)


@pytest.fixture(scope="module", autouse=True)
def _template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    path = _plain(tmp_path_factory.mktemp("template") / "journal.onset")
    encrypt(path, "correct horse")
    shutil.rmtree(path.parent / "backups")
    _TEMPLATE["correct horse"] = path
    yield
    _TEMPLATE.clear()
    crypto.forget_all()


@pytest.fixture(autouse=True)
def _no_passphrase_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("ONSET_PASSPHRASE", "ONSET_NEW_PASSPHRASE", "ONSET_BACKUP_PASSPHRASE"):
        monkeypatch.delenv(name, raising=False)
    _forget_passphrases()
    yield
    _forget_passphrases()


def _plain(path: Path) -> Path:
    with Journal.open(path, create=True) as journal:
        journal.add_checkin("2026-01-05T21:10", 6, note=NOTE)
        journal.add_checkin("2026-01-06T21:10", 4, note="second evening")
    return path


def _secret(tmp_path: Path, text: str) -> Path:
    file = tmp_path / f"pass-{abs(hash(text))}.txt"
    file.write_text(text + "\n", encoding="utf-8")
    return file


def _encrypted(tmp_path: Path, passphrase: str = "correct horse") -> Path:
    path = tmp_path / "j" / "journal.onset"  # alone in its folder
    path.parent.mkdir()
    if passphrase in _TEMPLATE:
        shutil.copyfile(_TEMPLATE[passphrase], path)
        os.chmod(path, 0o600)
    else:
        encrypt(_plain(path), passphrase)
    _forget_passphrases()
    return path


def _files(path: Path) -> list[Path]:
    """The journal, whatever lies beside it, and every backup."""
    return [p for p in path.parent.rglob("*") if p.is_file() and not p.name.startswith("pass-")]


def _notes(path: Path, passphrase: str) -> list[str]:
    import sqlcipher3.dbapi2 as cipher

    conn = cipher.connect(str(path))
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute("PRAGMA key = " + "'" + passphrase.replace("'", "''") + "'")
        return [row[0] for row in conn.execute("SELECT note FROM checkins ORDER BY sort_at")]
    finally:
        conn.close()


# -- the bytes -------------------------------------------------------------------------------


def test_encrypted_bytes_hold_no_note_in_the_file_its_log_or_any_backup(
    tmp_path: Path, capsys: Capsys
) -> None:
    path = _plain(tmp_path / "journal.onset")
    make_backup(path, MANUAL)  # a plain backup made before: encrypt encrypts it too
    assert NOTE.encode() in path.read_bytes()

    done = run_cli(
        [
            "encrypt",
            "--journal",
            str(path),
            "--passphrase-file",
            str(_secret(tmp_path, "pass one")),
        ],
        capsys,
    )
    assert done.code == 0, done.err
    assert "encrypted 1 backup(s)" in done.out and "no one can recover" in done.out

    crypto.remember("pass one")
    with Journal.open(path) as journal:  # writes go through the log: it must be encrypted too
        journal.add_checkin("2026-01-07T21:10", 3, note="a tulip in the log")
        wal = Path(f"{path}-wal")
        assert wal.exists() and wal.stat().st_size > 0
        assert b"tulip" not in wal.read_bytes()
    files = _files(path)
    assert len(files) >= 3  # the journal, the backup made before, the copy kept, today's
    for file in files:
        data = file.read_bytes()
        assert b"tulip" not in data and b"second evening" not in data, file
        assert not data.startswith(b"SQLite format 3\x00"), file
    # SQLCipher's defaults: any SQLCipher 4 tool opens it with the passphrase itself.
    assert _notes(path, "pass one") == [NOTE, "second evening", "a tulip in the log"]


def test_a_non_ascii_passphrase_is_what_sqlcipher_itself_derives(tmp_path: Path) -> None:
    path = _plain(tmp_path / "journal.onset")
    encrypt(path, "mot de passe: ça 🌷")
    assert _notes(path, "mot de passe: ça 🌷")[0] == NOTE


def test_the_key_is_derived_once_for_the_several_connections_of_an_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _encrypted(tmp_path)
    crypto.forget_all()
    calls = []
    real = crypto.derive_key
    monkeypatch.setattr(crypto, "derive_key", lambda p, s: calls.append(s) or real(p, s))
    crypto.remember("correct horse")
    with Journal.open(path) as journal:  # the check, the journal, today's backup
        assert journal.count("checkin") == 2
    assert len(calls) == 1


# -- every command, and a missing or wrong passphrase ----------------------------------------

COMMANDS = [
    ["summary"],
    ["summary", "--json"],
    ["export", "json", "--out", "{out}/out.json"],
    ["export", "csv", "--out", "{out}/csv"],
    ["import", "{out}/in.json"],
    ["backup"],
    ["backups"],
    ["decrypt"],
    ["change-passphrase"],
    ["encrypt"],
]


def _argv(command: list[str], tmp_path: Path, path: Path) -> list[str]:
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    (out / "in.json").write_text(
        json.dumps(
            {
                "format": "onset-journal",
                "version": 1,
                "checkins": [{"at": "2026-02-01T20:00", "anxiety": 2}],
            }
        ),
        encoding="utf-8",
    )
    return [word.format(out=out) for word in command] + ["--journal", str(path)]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c))
def test_without_a_passphrase_every_command_stops_with_a_message_and_changes_nothing(
    tmp_path: Path, capsys: Capsys, command: list[str]
) -> None:
    path = _encrypted(tmp_path)
    before = snapshot(path)
    done = run_cli(_argv(command, tmp_path, path), capsys)  # stdin is not a terminal here
    assert done.code == 1
    assert "no terminal to ask it on" in done.err and "ONSET_PASSPHRASE" in done.err
    assert "Traceback" not in done.err
    assert snapshot(path) == before
    assert not (tmp_path / "out" / "out.json").exists()


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c))
def test_a_wrong_passphrase_stops_every_command_and_leaves_the_file_byte_identical(
    tmp_path: Path, capsys: Capsys, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    path = _encrypted(tmp_path)
    before = snapshot(path)
    monkeypatch.setenv("ONSET_PASSPHRASE", "correct horse battery")
    monkeypatch.setenv("ONSET_NEW_PASSPHRASE", "a new one")
    done = run_cli(_argv(command, tmp_path, path), capsys)
    assert done.code == 1
    assert "the passphrase does not open this journal" in done.err
    assert "the file was not changed" in done.err
    assert snapshot(path) == before


@pytest.mark.parametrize("command", COMMANDS[:7], ids=lambda c: " ".join(c))
def test_every_command_works_on_an_encrypted_journal_with_its_passphrase(
    tmp_path: Path, capsys: Capsys, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    path = _encrypted(tmp_path)
    if command[0] == "backups":
        crypto.remember("correct horse")
        make_backup(path, MANUAL)
        _forget_passphrases()
    monkeypatch.setenv("ONSET_PASSPHRASE", "correct horse")
    done = run_cli(_argv(command, tmp_path, path), capsys)
    assert done.code == 0, done.err
    assert crypto.could_be_encrypted(path)
    if command[0] == "summary":
        assert "sessions" in done.out
    if command[:2] == ["export", "json"]:  # exports stay plain files, as asked
        exported = json.loads((tmp_path / "out" / "out.json").read_text(encoding="utf-8"))
        assert exported["checkins"][0]["note"] == NOTE
    if command[0] == "import":
        assert _notes(path, "correct horse")[-1] is None
    if command[0] == "backups":
        assert "encrypted with the current passphrase" in done.out


def test_the_passphrase_file_is_read_first_then_the_environment(
    tmp_path: Path, capsys: Capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _encrypted(tmp_path)
    monkeypatch.setenv("ONSET_PASSPHRASE", "wrong")
    file = _secret(tmp_path, "correct horse")
    file.write_text("correct horse\nsecond line is ignored\n", encoding="utf-8")
    done = run_cli(["summary", "--journal", str(path), "--passphrase-file", str(file)], capsys)
    assert done.code == 0, done.err
    # Given before the command, as --journal may be.
    done = run_cli(["--passphrase-file", str(file), "--journal", str(path), "summary"], capsys)
    assert done.code == 0, done.err


@pytest.mark.parametrize(
    ("content", "words"),
    [(None, "cannot be read"), (b"\n", "is empty"), (b"\xff\xfe\n", "not UTF-8")],
)
def test_a_passphrase_file_that_cannot_be_used_is_said_plainly(
    tmp_path: Path, capsys: Capsys, content: bytes | None, words: str
) -> None:
    path = _encrypted(tmp_path)
    before = snapshot(path)
    file = tmp_path / "pass-bad.txt"
    if content is not None:
        file.write_bytes(content)
    done = run_cli(["summary", "--journal", str(path), "--passphrase-file", str(file)], capsys)
    assert done.code == 1 and words in done.err
    assert snapshot(path) == before


def test_a_wrong_passphrase_in_a_real_process_says_one_clear_line(tmp_path: Path) -> None:
    import subprocess
    import sys

    from tests.core_support import REPO, python_env

    path = _encrypted(tmp_path)
    before = snapshot(path)
    done = subprocess.run(
        [sys.executable, "main.py", "summary", "--journal", str(path)],
        cwd=REPO,
        env=python_env(ONSET_PASSPHRASE="guess"),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    # SQLCipher's own log of a failed key stays quiet: only our sentence, once.
    assert done.stderr == f"onset: {path}: {crypto.WRONG}\n"
    assert "guess" not in done.stderr + done.stdout
    assert snapshot(path) == before


def test_no_terminal_and_no_passphrase_never_waits(tmp_path: Path) -> None:
    import subprocess
    import sys

    from tests.core_support import REPO, python_env

    path = _encrypted(tmp_path)
    done = subprocess.run(
        [sys.executable, "main.py", "summary", "--journal", str(path)],
        cwd=REPO,
        env=python_env(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "no terminal to ask it on" in done.stderr


# -- the conversions -------------------------------------------------------------------------


def test_decrypt_gives_back_a_plain_sqlite_journal_and_keeps_the_encrypted_one(
    tmp_path: Path, capsys: Capsys
) -> None:
    path = _encrypted(tmp_path)
    file = _secret(tmp_path, "correct horse")
    done = run_cli(["decrypt", "--journal", str(path), "--passphrase-file", str(file)], capsys)
    assert done.code == 0, done.err
    assert path.read_bytes().startswith(b"SQLite format 3\x00")
    conn = sqlite3.connect(path)
    assert [r[0] for r in conn.execute("SELECT note FROM checkins ORDER BY sort_at")] == [
        NOTE,
        "second evening",
    ]
    conn.close()
    crypto.forget_all()  # as in a new process
    kept = next(b for b in list_backups(path) if b.reason == "before-passphrase")
    assert kept.encrypted and kept.locked  # it needs the passphrase, which was not given
    assert _notes(kept.path, "correct horse")[0] == NOTE
    assert not list(tmp_path.glob(".*converting*"))


def test_change_passphrase_old_backups_need_the_old_one_and_restore_asks_for_it(
    tmp_path: Path, capsys: Capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _encrypted(tmp_path)
    old, new = _secret(tmp_path, "correct horse"), _secret(tmp_path, "new staple")
    done = run_cli(
        [
            "change-passphrase",
            "--journal",
            str(path),
            "--passphrase-file",
            str(old),
            "--new-passphrase-file",
            str(new),
        ],
        capsys,
    )
    assert done.code == 0, done.err
    assert "need the old one" in done.out
    assert _notes(path, "new staple")[0] == NOTE

    listed = run_cli(["backups", "--journal", str(path), "--passphrase-file", str(new)], capsys)
    assert listed.code == 0, listed.err
    assert "before a passphrase change" in listed.out
    assert "encrypted with the passphrase in use before it was changed on" in listed.out

    kept = next(b for b in list_backups(path) if b.reason == "before-passphrase")
    crypto.forget_all()  # as in a new process
    crypto.remember("new staple")
    with Journal.open(path, backups=False) as journal:
        journal.add_checkin("2026-01-08T21:10", 2)
    before = snapshot(path)
    restore = ["restore", kept.path.name, "--journal", str(path), "--passphrase-file", str(new)]
    refused = run_cli(restore, capsys)
    assert refused.code == 1 and "ONSET_BACKUP_PASSPHRASE" in refused.err
    assert snapshot(path) == before

    monkeypatch.setenv("ONSET_BACKUP_PASSPHRASE", "not it")
    wrong = run_cli(restore, capsys)
    assert wrong.code == 1 and "passphrase does not open" in wrong.err
    assert snapshot(path) == before

    crypto.forget_all()
    monkeypatch.setenv("ONSET_BACKUP_PASSPHRASE", "correct horse")
    restored = run_cli(restore, capsys)
    assert restored.code == 0, restored.err
    # The journal is the backup again, so it opens with the passphrase it was made with.
    assert _notes(path, "correct horse") == [NOTE, "second evening"]


def test_encrypting_twice_or_decrypting_a_plain_journal_is_refused(
    tmp_path: Path, capsys: Capsys
) -> None:
    path = _encrypted(tmp_path)
    file = _secret(tmp_path, "correct horse")
    before = snapshot(path)
    again = run_cli(["encrypt", "--journal", str(path), "--passphrase-file", str(file)], capsys)
    assert again.code == 1 and "already encrypted" in again.err
    assert snapshot(path) == before

    plain = _plain(tmp_path / "plain" / "journal.onset")
    before = snapshot(plain)
    for command in ("decrypt", "change-passphrase"):
        done = run_cli([command, "--journal", str(plain), "--passphrase-file", str(file)], capsys)
        assert done.code == 1 and "not encrypted" in done.err
    assert snapshot(plain) == before


def test_a_missing_journal_is_not_created_by_a_conversion(tmp_path: Path, capsys: Capsys) -> None:
    file = _secret(tmp_path, "x")
    path = tmp_path / "none.onset"
    for command in ("encrypt", "decrypt", "change-passphrase"):
        done = run_cli([command, "--journal", str(path), "--passphrase-file", str(file)], capsys)
        assert done.code == 1 and "there is no journal file here" in done.err
    assert not path.exists()


def test_a_journal_in_use_is_not_converted(tmp_path: Path) -> None:
    import subprocess
    import sys

    from tests.core_support import REPO, python_env
    from tracker.storage.errors import JournalBusy

    path = _plain(tmp_path / "journal.onset")
    # Another process: locks between two SQLite libraries in one process are not seen.
    code = (
        "import sys\nfrom tracker.journal import Journal\n"
        "j = Journal.open(sys.argv[1], backups=False)\nprint('open', flush=True)\n"
        "sys.stdin.readline()\nj.close()\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(path)],
        cwd=REPO,
        env=python_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
    try:
        before = path.read_bytes()
        with pytest.raises(JournalBusy, match="close it"):
            encrypt(path, "x")
        assert path.read_bytes() == before and not list(tmp_path.glob(".*converting*"))
    finally:
        holder.kill()
        holder.communicate()


def test_a_backup_made_from_an_encrypted_journal_is_encrypted_with_its_key(
    tmp_path: Path,
) -> None:
    path = _encrypted(tmp_path)
    crypto.remember("correct horse")
    made = make_backup(path, MANUAL)
    assert b"tulip" not in made.read_bytes()
    assert _notes(made, "correct horse")[0] == NOTE
    change_passphrase(path, "other")
    crypto.forget_all()
    crypto.remember("other")
    info = {b.path: b for b in list_backups(path)}[made]
    assert info.encrypted and info.locked and "passphrase" in (info.problem or "")
    decrypt(path)
    assert path.read_bytes().startswith(b"SQLite format 3\x00")


def test_a_journal_behind_a_symbolic_link_is_not_converted_through_it(
    tmp_path: Path, capsys: Capsys
) -> None:
    real = _plain(tmp_path / "real" / "journal.onset")
    link = tmp_path / "link.onset"
    link.symlink_to(real)
    before = snapshot(real)
    file = _secret(tmp_path, "x")
    done = run_cli(["encrypt", "--journal", str(link), "--passphrase-file", str(file)], capsys)
    assert done.code == 1 and f"this is a link to {real}" in done.err
    assert snapshot(real) == before and link.is_symlink()


def test_a_failing_disk_at_the_swap_is_said_and_the_journal_is_as_it_was(
    tmp_path: Path, capsys: Capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from tracker.storage import encryption

    path = _plain(tmp_path / "journal.onset")
    before = path.read_bytes()

    real_replace = os.replace

    def full(source: object, target: object) -> None:
        if Path(str(target)) == path:  # only the swap itself fails
            raise OSError(errno.ENOSPC, "No space left on device")
        real_replace(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(encryption.os, "replace", full)
    file = _secret(tmp_path, "x")
    done = run_cli(["encrypt", "--journal", str(path), "--passphrase-file", str(file)], capsys)
    assert done.code == 1
    assert "No space left on device" in done.err and "it was not changed" in done.err
    monkeypatch.undo()
    assert path.read_bytes()[:16] == before[:16] == b"SQLite format 3\x00"
    with Journal.open(path, backups=False) as journal:
        assert [c.note for c in journal.checkins()] == [NOTE, "second evening"]
    assert not list(tmp_path.glob(".*converting*"))
    # The copy kept before the swap is there, encrypted.
    kept = next(tmp_path.glob("backups/*before-passphrase*"))
    assert NOTE.encode() not in kept.read_bytes()


def _on_a_terminal(argv: list[str], typed: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run main.py with a terminal of its own; type each line when a prompt asks."""
    import pty
    import select
    import sys

    from tests.core_support import REPO

    pid, fd = pty.fork()
    if pid == 0:  # the child: main.py with the pseudo-terminal as its terminal
        os.chdir(REPO)
        os.execve(sys.executable, [sys.executable, "main.py", *argv], env)
    said, waiting, answered = b"", list(typed), 0
    while True:
        ready, _, _ = select.select([fd], [], [], 30)
        assert ready, f"no answer from the terminal: {said!r}"
        try:
            chunk = os.read(fd, 1024)
        except OSError:  # the child closed the terminal: it ended
            break
        if not chunk:
            break
        said += chunk
        # Answer a prompt that appeared since the last answer, once it is waiting.
        if waiting and said[answered:].endswith(b": "):
            os.write(fd, waiting.pop(0).encode() + b"\n")
            answered = len(said)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), said.decode(errors="replace")


def test_the_terminal_asks_twice_for_a_new_passphrase_and_never_echoes_it(
    tmp_path: Path,
) -> None:
    from tests.core_support import python_env

    path = _plain(tmp_path / "journal.onset")
    env = python_env()
    code, said = _on_a_terminal(
        ["encrypt", "--journal", str(path)], ["tulip night", "tulip nigth"], env
    )
    assert code == 1 and "not the same" in said
    assert "tulip" not in said and not crypto.could_be_encrypted(path)
    code, said = _on_a_terminal(
        ["encrypt", "--journal", str(path)], ["tulip night", "tulip night"], env
    )
    assert code == 0, said
    assert "no one can recover" in said and "tulip night" not in said
    code, said = _on_a_terminal(["summary", "--journal", str(path)], ["tulip night"], env)
    assert code == 0 and "sessions" in said and "Passphrase of journal.onset" in said


def test_a_byte_changed_in_an_encrypted_page_is_refused_as_damage(tmp_path: Path) -> None:
    from tracker.storage.errors import DamagedJournal

    path = _encrypted(tmp_path)
    data = bytearray(path.read_bytes())
    data[crypto.PAGE_SIZE + 200] ^= 0x01  # one bit inside the second page's ciphertext
    path.write_bytes(bytes(data))
    crypto.remember("correct horse")
    with pytest.raises(DamagedJournal, match="damaged"):
        Journal.open(path, backups=False)
    assert path.read_bytes() == bytes(data)


@pytest.mark.parametrize("command", [["encrypt"], ["decrypt"], ["change-passphrase"]])
def test_a_conversion_waits_for_no_window_it_refuses_while_one_holds_the_journal(
    tmp_path: Path, capsys: Capsys, command: list[str]
) -> None:
    from tracker.storage.lock import JournalLock

    if command == ["encrypt"]:
        (tmp_path / "p").mkdir()
        path = _plain(tmp_path / "p" / "journal.onset")  # alone in its folder
    else:
        path = _encrypted(tmp_path)
    before = snapshot(path, backups_may_change=True)
    old, new = _secret(tmp_path, "correct horse"), _secret(tmp_path, "battery staple")
    argv = [*command, "--journal", str(path), "--passphrase-file", str(old)]
    if command == ["change-passphrase"]:
        argv += ["--new-passphrase-file", str(new)]
    with JournalLock(path).acquire():  # what an open window holds
        done = run_cli(argv, capsys)
    assert done.code == 1
    assert "in use" in done.err and "Traceback" not in done.err
    assert snapshot(path, backups_may_change=True) == before
