#!/usr/bin/env python3
"""The architecture checker's own test: it must pass on a copy of the real
tree, and fail, naming the file, line and rule, on each deliberate violation
injected into a fresh copy.

    check_architecture_test.py ROOT LINK_FILE

LINK_FILE is the one tests/architecture/CMakeLists.txt generates.
"""

import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CHECKER = os.path.join(HERE, "check_architecture.py")


def append_include(path, include):
    """Adds `include` after the file's first #include line (or at the top)."""
    with open(path, encoding="utf-8") as f:
        lines = f.readlines()
    at = next((i + 1 for i, l in enumerate(lines) if l.lstrip().startswith("#include")), 0)
    lines.insert(at, include + "\n")
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(lines)
    return at + 1  # its line number


def add_link(links, target, library):
    """Appends `library` to the LINK_LIBRARIES line of `target`."""
    with open(links, encoding="utf-8") as f:
        lines = f.readlines()
    for i, l in enumerate(lines):
        if l.startswith(f"{target} LINK_LIBRARIES"):
            lines[i] = l.rstrip("\n") + f";{library}\n"
            number = i + 1
            break
    else:
        raise SystemExit(f"{links}: no LINK_LIBRARIES line for {target}")
    with open(links, "w", encoding="utf-8") as f:
        f.writelines(lines)
    return number


def include_case(file, include, rule):
    def inject(tree, links):
        line = append_include(os.path.join(tree, file), include)
        return [f"{file}:{line}:", f"({rule})"]
    return inject


def link_case(target, library, rule):
    def inject(tree, links):
        line = add_link(links, target, library)
        return [f"{links}:{line}: {target} links {library}", f"({rule})"]
    return inject


# One deliberate violation of each kind the checker enforces.
CASES = {
    "sibling folder's internal header":
        include_case("src/engine/migrator.cpp", '#include "migrations/internal/lint.hpp"',
                     "internal-header"),
    "runtime includes tooling":
        include_case("src/engine/migrator.cpp", '#include "tooling/scaffold.hpp"',
                     "runtime-includes-tooling"),
    "backend includes the other backend's internal header":
        include_case("src/sqlite/database.cpp", '#include "postgres/internal/schema.hpp"',
                     "folder-dependency"),
    "lower layer includes a higher one":
        include_case("src/sql/text.cpp", '#include "engine/file_lock.hpp"', "folder-dependency"),
    "installed header includes an internal one":
        include_case("include/strata/migrator.hpp", '#include "sql/text.hpp"',
                     "installed-includes-internal"),
    "installed header includes an internal one with <>":
        include_case("include/strata/sqlite/database.hpp", "#include <engine/file_lock.hpp>",
                     "installed-includes-internal"),
    "core installed header includes pqxx":
        include_case("include/strata/migrator.hpp", "#include <pqxx/pqxx>", "driver-header"),
    "sqlite installed header includes pqxx":
        include_case("include/strata/sqlite/database.hpp", "#include <pqxx/connection>",
                     "driver-header"),
    "runtime includes a backend's public header":
        include_case("src/engine/migrator.cpp", '#include "strata/sqlite/database.hpp"',
                     "public-backend-header"),
    "runtime links tooling":
        link_case("strata_runtime", "strata_tooling", "runtime-links-tooling"),
    "backend links tooling":
        link_case("strata_postgres", "strata_tooling", "runtime-links-tooling"),
    "runtime links a backend":
        link_case("strata_runtime", "strata_sqlite", "link-dependency"),
}


def copy_tree(root, links, into):
    tree = os.path.join(into, "tree")
    for top in ("src", "include", "tool"):
        shutil.copytree(os.path.join(root, top), os.path.join(tree, top))
    copied_links = os.path.join(into, "link_libraries.txt")
    shutil.copyfile(links, copied_links)
    return tree, copied_links


def run_checker(tree, links):
    r = subprocess.run([sys.executable, CHECKER, tree, "--links", links],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return r.returncode, r.stdout


def main(argv):
    if len(argv) != 3:
        print("usage: check_architecture_test.py ROOT LINK_FILE", file=sys.stderr)
        return 2
    root, links = argv[1], argv[2]
    failures = []
    with tempfile.TemporaryDirectory(prefix="strata-architecture-") as scratch:
        # The untouched copy passes: a violation below is the injected one.
        tree, copied = copy_tree(root, links, os.path.join(scratch, "clean"))
        code, out = run_checker(tree, copied)
        print(f"--- clean copy: exit {code}\n{out}", end="")
        if code != 0:
            failures.append("clean copy: expected exit 0")
        for name, inject in CASES.items():
            tree, copied = copy_tree(root, links, os.path.join(scratch, name.replace(" ", "_")))
            expected = inject(tree, copied)
            code, out = run_checker(tree, copied)
            shown = out.replace(tree + "/", "").replace(os.path.dirname(copied) + "/", "")
            print(f"--- {name}: exit {code}\n{shown}", end="")
            if code != 1:
                failures.append(f"{name}: expected exit 1, got {code}")
            line = next((l for l in out.splitlines() if all(e in l for e in expected)), None)
            if line is None:
                failures.append(f"{name}: no line with {expected}")
    for f in failures:
        print(f"FAILED {f}")
    if failures:
        return 1
    print(f"architecture checker: clean copy passes, all {len(CASES)} deliberate violations found")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
