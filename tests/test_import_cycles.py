"""No import cycles in tracker/: every module can be understood (and loaded) before the
modules that use it. Imports under `if TYPE_CHECKING:` are for annotations only and run
never, so they do not count; imports inside functions do: a cycle hidden in a function is
still a cycle, it only fails later."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.core_support import REPO

PACKAGE = REPO / "tracker"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(path: Path, modules: set[str], name: str | None = None) -> set[str]:
    """The tracker modules one file imports, wherever in the file, except TYPE_CHECKING."""
    name = name or module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _type_checking_only(node):
            for child in node.orelse:
                visit(child)
            return
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        for target in targets:
            # The module itself or, for `from package import module`, the submodule.
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return found


def import_graph() -> dict[str, set[str]]:
    paths = sorted(PACKAGE.rglob("*.py"))
    modules = {module_name(p) for p in paths}
    return {module_name(p): imports_of(p, modules) for p in paths}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return sorted(groups)


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_graph_sees_imports_inside_functions_but_not_type_checking(tmp_path: Path) -> None:
    source = tmp_path / "page.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "from . import style\n"
        "if TYPE_CHECKING:\n"
        "    from tracker.ui.hints import Hint\n"
        "else:\n"
        "    import tracker.ui.late\n"
        "def later():\n"
        "    from tracker.ui.dialogs import safety\n",
        encoding="utf-8",
    )
    modules = {
        "tracker.ui.style",
        "tracker.ui.hints",
        "tracker.ui.late",
        "tracker.ui.dialogs",
        "tracker.ui.dialogs.safety",
        "tracker.ui.page",
    }
    found = imports_of(source, modules, "tracker.ui.page")
    assert found == {
        "tracker.ui.style",
        "tracker.ui.late",
        "tracker.ui.dialogs",
        "tracker.ui.dialogs.safety",
    }
    assert "tracker.ui.app.launch" in import_graph()["tracker.app"]  # inside main()


def test_tracker_has_no_import_cycles() -> None:
    assert cycles(import_graph()) == []
