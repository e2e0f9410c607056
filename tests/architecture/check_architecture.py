#!/usr/bin/env python3
"""Checks Strata's folder architecture (issue 18) from its #include lines and
its CMake link graph.

    check_architecture.py ROOT [--links FILE]

ROOT is the source tree; every #include of ROOT/src, ROOT/include and
ROOT/tool is read. FILE is written by tests/architecture/CMakeLists.txt with
file(GENERATE): one line per library, "<target> <property> <value>", the value
being the evaluated LINK_LIBRARIES or INTERFACE_LINK_LIBRARIES.

Each violation is printed as "file:line: what (rule)"; the exit code is 1 when
there is one, 0 (with a one-line summary) when there is none, 2 on bad usage.
"""

import os
import re
import sys

# The internal folders of src/, lowest layer first. A folder may include the
# internal headers of the folders listed for it (and its own).
RUNTIME = ["sql", "schema", "migrations", "engine"]
BACKENDS = ["sqlite", "postgres"]
INTERNAL_FOLDERS = RUNTIME + BACKENDS + ["tooling"]
ALLOWED_INTERNAL = {
    "sql": {"sql"},
    "schema": {"sql", "schema"},
    "migrations": {"sql", "schema", "migrations"},
    "engine": {"sql", "schema", "migrations", "engine"},
    "sqlite": set(RUNTIME) | {"sqlite"},
    "postgres": set(RUNTIME) | {"postgres"},
    "tooling": set(INTERNAL_FOLDERS),
    "tool": set(INTERNAL_FOLDERS),
}

# Public header families: "strata/sqlite/..." and "strata/postgres/..." are
# the backends', every other "strata/..." header is the runtime core's.
ALLOWED_PUBLIC = {
    "core": {"core"},
    "sqlite": {"core", "sqlite"},
    "postgres": {"core", "postgres"},
    "tooling": {"core", "sqlite", "postgres"},
    "tool": {"core", "sqlite", "postgres"},
}

# Database drivers' headers, by backend.
DRIVER_HEADERS = {
    "sqlite": re.compile(r"^(SQLiteCpp/|sqlite3\.h$)"),
    "postgres": re.compile(r"^(pqxx/|libpq-fe\.h$)"),
}

# Libraries, by what they are, for the link graph.
LIBRARY_KIND = {
    "strata_runtime": "runtime",
    "Strata::runtime": "runtime",
    "strata_sqlite": "sqlite",
    "Strata::sqlite": "sqlite",
    "strata_postgres": "postgres",
    "Strata::postgres": "postgres",
    "strata_tooling": "tooling",
    "SQLiteCpp": "sqlite-driver",
    "SQLite::SQLite3": "sqlite-driver",
    "PkgConfig::PQXX": "postgres-driver",
    "PkgConfig::PQ": "postgres-driver",
}
# What each library's link closure must not reach.
FORBIDDEN_LINKS = {
    "runtime": {"tooling", "sqlite", "postgres", "sqlite-driver", "postgres-driver"},
    "sqlite": {"tooling", "postgres", "postgres-driver"},
    "postgres": {"tooling", "sqlite", "sqlite-driver"},
}

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
SOURCE_SUFFIXES = (".hpp", ".h", ".cpp", ".cc", ".ipp", ".inl")


class Checker:
    def __init__(self, root):
        self.root = os.path.abspath(root)
        self.violations = []
        self.files = 0
        self.includes = 0
        self.links = 0

    def report(self, path, line, what, rule):
        self.violations.append(f"{path}:{line}: {what} ({rule})")

    # --- where a file belongs -------------------------------------------------

    @staticmethod
    def place(rel):
        """(layer, folder) of a file given relative to ROOT: layer is 'src',
        'include' or 'tool'; folder is e.g. 'engine', 'tooling/codegen',
        'core', 'sqlite'."""
        parts = rel.split("/")
        if parts[0] == "src":
            inner = [p for p in parts[1:-1]]
            if "internal" in inner:
                inner = inner[: inner.index("internal")]
            return "src", "/".join(inner)
        if parts[0] == "include":
            if len(parts) >= 4 and parts[2] in BACKENDS:
                return "include", parts[2]
            return "include", "core"
        return "tool", "tool"

    # --- includes -------------------------------------------------------------

    def check_tree(self):
        for top in ("src", "include", "tool"):
            base = os.path.join(self.root, top)
            for directory, dirs, names in os.walk(base):
                dirs.sort()
                for name in sorted(names):
                    if name.endswith(SOURCE_SUFFIXES):
                        full = os.path.join(directory, name)
                        self.check_file(os.path.relpath(full, self.root).replace(os.sep, "/"))

    def check_file(self, rel):
        self.files += 1
        layer, folder = self.place(rel)
        with open(os.path.join(self.root, rel), encoding="utf-8", errors="replace") as f:
            for number, text in enumerate(f, 1):
                m = INCLUDE.match(text)
                if m:
                    self.includes += 1
                    self.check_include(rel, number, layer, folder, m.group(1) == '"', m.group(2))

    def check_include(self, rel, line, layer, folder, quoted, name):
        shown = f'"{name}"' if quoted else f"<{name}>"
        first = name.split("/", 1)[0]
        top = folder.split("/", 1)[0]  # 'tooling' for 'tooling/codegen'

        # A quoted name next to the including file (tool/'s "output.hpp", a
        # folder's own header) is that file.
        if quoted and "/" not in name:
            if os.path.exists(os.path.join(self.root, os.path.dirname(rel), name)):
                return
            self.report(rel, line, f"{shown} is not next to this file; internal headers are "
                        "included as \"folder/name.hpp\"", "include-path")
            return

        if name.startswith("strata/"):
            self.check_public(rel, line, layer, folder, top, shown, name)
            return

        if first in INTERNAL_FOLDERS:
            if layer == "include":
                self.report(rel, line, f"installed header includes internal {shown}",
                            "installed-includes-internal")
                return
            if not quoted:
                self.report(rel, line, f"internal header included as {shown}; use quotes",
                            "include-path")
            self.check_internal(rel, line, folder, top, shown, name)
            return

        if quoted:
            self.report(rel, line, f"{shown} is neither strata/... nor an internal folder's",
                        "include-path")
            return

        # A system or third-party header: drivers only where their backend is.
        user = folder if layer == "include" else top
        for backend, pattern in DRIVER_HEADERS.items():
            if pattern.match(name) and user not in (backend, "tooling", "tool"):
                where = "installed header" if layer == "include" else f"src/{top}"
                self.report(rel, line, f"{where} ({user}) includes the {backend} driver's {shown}",
                            "driver-header")

    def check_public(self, rel, line, layer, folder, top, shown, name):
        parts = name.split("/")
        family = parts[1] if len(parts) >= 3 and parts[1] in BACKENDS else "core"
        user = folder if layer == "include" else top
        if user in RUNTIME:
            user = "core"
        if family not in ALLOWED_PUBLIC[user]:
            self.report(rel, line, f"{user} code includes the {family} backend's {shown}",
                        "public-backend-header")

    def check_internal(self, rel, line, folder, top, shown, name):
        if top in RUNTIME + BACKENDS and name.startswith("tooling/"):
            self.report(rel, line, f"src/{top} (runtime library) includes tooling's {shown}",
                        "runtime-includes-tooling")
            return
        target_top = name.split("/", 1)[0]
        if target_top not in ALLOWED_INTERNAL[top]:
            self.report(rel, line, f"src/{top} may not use {target_top}/: includes {shown}",
                        "folder-dependency")
            return
        if "/internal/" in name:
            owner = name[: name.index("/internal/")]
            if folder != owner:
                self.report(rel, line, f"{shown} is private to src/{owner}/, included from "
                            f"{'src/' + folder if folder != 'tool' else 'tool'}/",
                            "internal-header")

    # --- link graph -----------------------------------------------------------

    def check_links(self, path):
        """Reads the file(GENERATE)d link file and checks what each library
        reaches, directly or through the other Strata libraries."""
        canonical = {"Strata::runtime": "strata_runtime", "Strata::sqlite": "strata_sqlite",
                     "Strata::postgres": "strata_postgres"}
        direct = {}  # library -> {dependency: line of the link file}
        with open(path, encoding="utf-8") as f:
            for number, text in enumerate(f, 1):
                fields = text.strip().split(" ", 2)
                if not fields[0] or fields[0].startswith("#"):
                    continue
                deps = direct.setdefault(fields[0], {})
                value = fields[2] if len(fields) == 3 else ""
                # Items may still carry generator expressions ($<LINK_ONLY:x>).
                for name in re.findall(r"[A-Za-z0-9_:.+-]+", value):
                    if name in LIBRARY_KIND:
                        self.links += 1
                        deps.setdefault(canonical.get(name, name), number)
        for target in ("strata_runtime", "strata_sqlite", "strata_postgres"):
            if target not in direct:
                self.report(path, 0, f"no line for {target}: not the file CMake generates",
                            "link-file")
                continue
            forbidden = FORBIDDEN_LINKS[LIBRARY_KIND[target]]
            chains = {target: [target]}
            queue = [target]
            while queue:
                current = queue.pop(0)
                for dep, number in sorted(direct.get(current, {}).items()):
                    chain = chains[current] + [dep]
                    if LIBRARY_KIND[dep] in forbidden:
                        rule = ("runtime-links-tooling" if LIBRARY_KIND[dep] == "tooling"
                                else "link-dependency")
                        self.report(path, number, f"{target} links {dep}"
                                    + (f" (through {' -> '.join(chain)})" if len(chain) > 2 else ""),
                                    rule)
                    elif dep not in chains:
                        chains[dep] = chain
                        queue.append(dep)


def main(argv):
    args = argv[1:]
    links = None
    if "--links" in args:
        i = args.index("--links")
        if i + 1 >= len(args):
            print("usage: check_architecture.py ROOT [--links FILE]", file=sys.stderr)
            return 2
        links = args[i + 1]
        del args[i:i + 2]
    if len(args) != 1 or not os.path.isdir(os.path.join(args[0], "src")):
        print("usage: check_architecture.py ROOT [--links FILE]", file=sys.stderr)
        return 2
    checker = Checker(args[0])
    checker.check_tree()
    if links is not None:
        checker.check_links(links)
    for v in checker.violations:
        print(v)
    if checker.violations:
        print(f"architecture: {len(checker.violations)} violation(s) in {checker.files} files, "
              f"{checker.includes} includes")
        return 1
    print(f"architecture: ok, {checker.files} files, {checker.includes} includes"
          + (f", {checker.links} link dependencies" if links is not None else "") + " checked")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
