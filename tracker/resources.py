"""The data files that ship with Onset: instrument definitions, the side-effect catalogue,
icons and styles.

They live in the repository's top-level resources/ folder. A wheel carries them inside the
package as tracker/_resources (pyproject.toml's force-include), and so does the bundle
(packaging/onset.spec); a checkout reads resources/ beside the package. Either way they are
found from where the import system found the package (its spec: the folder that
importlib.resources.files("tracker") stands for, without loading that module and the
dozen it imports on the way to the first window).

A file that is missing or unreadable is a ResourceError naming it: Onset stops at start with
that message (tracker.app) rather than run without its questionnaires.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

PACKAGED = "_resources"

# Every file Onset reads from its resources, checked at start (one open() each). A file
# added to resources/ belongs here too (notes in Markdown aside): tests/test_resources.py
# holds the two together.
REQUIRED = (
    "fhir/external-codes.json",
    "fhir/onset-codes.json",
    "instruments/gad7.json",
    "instruments/phq9.json",
    "side_effects.json",
    "styles/onset.qss",
    "styles/indicators.qss",
    "icons/onset.svg",
    "icons/today.svg",
    "icons/treatment.svg",
    "icons/history.svg",
    "icons/charts.svg",
    "icons/settings.svg",
)


class ResourceError(Exception):
    """One of Onset's own files is missing, unreadable or broken: the installation is."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason

    def message(self) -> str:
        """What a person reads: what is wrong, that their journal is fine, what to do."""
        return (
            "Onset cannot start because one of its own files is missing or damaged:\n"
            f"{self.path}\n({self.reason}).\n"
            "Your journal has not been touched. Install Onset again to repair it."
        )


@cache
def resources_root() -> Path:
    """The folder of Onset's resources: packaged beside the code, or a checkout's."""
    spec = sys.modules["tracker"].__spec__
    assert spec is not None and spec.submodule_search_locations
    package = Path(spec.submodule_search_locations[0])
    packaged = package / PACKAGED
    if packaged.is_dir():
        return packaged
    checkout = package.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / "resources").is_dir():
        return checkout / "resources"
    raise ResourceError(packaged, "the folder of Onset's own files is missing")


def resource_path(*parts: str) -> Path:
    return resources_root().joinpath(*parts)


def read_resource(*parts: str) -> str:
    """A resource's text; a ResourceError when it cannot be read as UTF-8."""
    path = resource_path(*parts)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ResourceError(path, "the file is missing") from None
    except OSError as exc:
        raise ResourceError(path, f"the file cannot be read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ResourceError(path, "the file is not UTF-8 text") from None


def resource_files(folder: str, pattern: str) -> list[Path]:
    """The files in a resources folder matching `pattern`, sorted; never an empty list."""
    where = resource_path(folder)
    found = sorted(where.glob(pattern)) if where.is_dir() else []
    if not found:
        raise ResourceError(where, f"no {pattern} files in it")
    return found


def check_resources() -> None:
    """Raise a ResourceError for the first required file that cannot be opened."""
    for name in REQUIRED:
        path = resource_path(*name.split("/"))
        try:
            with path.open("rb"):
                pass
        except FileNotFoundError:
            raise ResourceError(path, "the file is missing") from None
        except OSError as exc:
            raise ResourceError(path, f"the file cannot be read: {exc.strerror or exc}") from None
