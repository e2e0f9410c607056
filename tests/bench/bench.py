#!/usr/bin/env python3
"""Times Strata against the floor (the database's own tools running the same
SQL) and against its peers, on a generated corpus, in one run.

usage: bench.py --strata PATH [--corpus-gen GEN] [--sizes 100,1000,5000] [--runs 5,3,1]
                [--work DIR] [--postgres URL | --postgres-url-file FILE] [--package DIR]
                [--dbmate PATH] [--sql-migrate PATH] [--out FILE]

The corpus generator is a Python script called as `GEN N DIR`, which writes N
migrations into DIR/diesel, DIR/dbmate and DIR/sqlmigrate, and the floor's
script DIR/raw_up.sql (each up script in a transaction with its tracking
row). It comes from --corpus-gen, else from the STRATA_CORPUS_GEN environment
variable; it is not part of Strata.

Every case of one size runs once per round, in turn, for --runs rounds, so
that a slow spell of the machine falls on all of them; the table shows each
case's median wall time, its ratio to its group's baseline (the first row of
the group) and its peak memory. A peer that is not installed, or PostgreSQL
without --postgres, is left out and said so. Any command that fails stops the
run: a benchmark of a failing command measures nothing.

Targets (issue 9) are checked at 1,000 migrations and printed with the tables.
Exit status 77 (CTest's skip) when no corpus generator is given, or the one
given does not exist.
"""
import argparse
import datetime
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

GEN_CORPUS = None  # set by main(): --corpus-gen, else $STRATA_CORPUS_GEN


def shown(command):
    """`command` as text without the password of any URL in it."""
    return re.sub(r"(://[^:/@\s]+:)[^@\s]+@", r"\1***@", " ".join(command))


class case:
    """One command to time; `prepare` runs untimed before each run."""

    def __init__(self, group, name, command, prepare=None, cwd=None, strata=False):
        self.group, self.name, self.command = group, name, command
        self.prepare, self.cwd, self.strata = prepare, cwd, strata
        self.times, self.cpu, self.rss_kib = [], [], []

    def run(self):
        if self.prepare:
            self.prepare()
        # Through GNU time for the peak memory: a child forked from Python
        # would count Python's own pages until it execs.
        with tempfile.NamedTemporaryFile() as rss, tempfile.TemporaryFile() as err:
            start = time.perf_counter()
            status = subprocess.call(["/usr/bin/time", "-f", "%M %U %S", "-o", rss.name] +
                                     self.command,
                                     cwd=self.cwd, stdout=subprocess.DEVNULL, stderr=err,
                                     stdin=subprocess.DEVNULL)
            elapsed = time.perf_counter() - start
            if status != 0:
                err.seek(0)
                sys.exit(f"bench: {self.name} failed ({shown(self.command)}):\n"
                         + err.read().decode(errors="replace"))
            kib, user, system = rss.read().split()[-3:]
            self.rss_kib.append(int(kib))
            self.cpu.append(float(user) + float(system))
        self.times.append(elapsed)

    def median(self):
        return statistics.median(self.times)


def remove(*paths):
    for path in paths:
        for suffix in ("", "-journal", "-wal", "-shm", "-strata-lock"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)


def run_quiet(command, **kwargs):
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **kwargs)
    if result.returncode != 0:
        sys.exit(f"bench: {shown(command)} failed:\n" + result.stdout.decode(errors="replace"))
    return result.stdout.decode()


class workload:
    """The corpus of one size and the files each tool needs around it."""

    def __init__(self, n, work):
        self.n, self.dir = n, os.path.join(work, f"n{n}")
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        self.corpus = os.path.join(self.dir, "corpus")
        run_quiet([sys.executable, GEN_CORPUS, str(n), self.corpus])
        self.set_dir = os.path.join(self.corpus, "diesel")
        self.raw_up = os.path.join(self.corpus, "raw_up.sql")
        # go-sqlite3, under dbmate and sql-migrate, sets synchronous=NORMAL:
        # one fsync fewer per commit than SQLite's default (FULL).
        self.raw_up_normal = os.path.join(self.dir, "raw_up_normal.sql")
        with open(self.raw_up) as f, open(self.raw_up_normal, "w") as out:
            out.write("PRAGMA synchronous = NORMAL;\n" + f.read())
        # The round trip's floor: up, down and up again of every migration,
        # each in its own transaction, as `check --roundtrip` runs them.
        self.raw_roundtrip = os.path.join(self.dir, "raw_roundtrip.sql")
        with open(self.raw_roundtrip, "w") as out:
            for name in sorted(os.listdir(self.set_dir)):
                for script in ("up.sql", "down.sql", "up.sql"):
                    with open(os.path.join(self.set_dir, name, script)) as f:
                        out.write("BEGIN;\n" + f.read() + "COMMIT;\n")

    def path(self, *parts):
        return os.path.join(self.dir, *parts)


def peer_cases(group, w, tools, dbmate_url, dialect, datasource, fresh):
    """dbmate and sql-migrate on the same set and database, where installed."""
    cases = []
    if tools.dbmate:
        cases.append(case(group, "dbmate up",
                          [tools.dbmate, "--url", dbmate_url, "--migrations-dir",
                           os.path.join(w.corpus, "dbmate"), "--no-dump-schema", "up"], fresh))
    if tools.sql_migrate:
        config = w.path(f"{dialect}-dbconfig.yml")
        with open(config, "w") as f:
            f.write(f"bench:\n  dialect: {dialect}\n  datasource: {datasource}\n"
                    f"  dir: {os.path.join(w.corpus, 'sqlmigrate')}\n")
        cases.append(case(group, "sql-migrate up",
                          [tools.sql_migrate, "up", "-config=" + config, "-env=bench"], fresh))
    return cases


def sqlite_cases(w, tools):
    db = w.path("file.sqlite")
    fresh = lambda: remove(db)
    group = "SQLite file: apply every migration"
    cases = [
        case(group, "floor: sqlite3 file < raw_up.sql", ["sqlite3", db, f".read {w.raw_up}"],
             fresh),
        case(group, "strata up", [tools.strata, "--dir", w.set_dir, "--url", "sqlite:" + db, "up"],
             fresh, strata=True),
        case(group, "strata up --single-transaction",
             [tools.strata, "--dir", w.set_dir, "--url", "sqlite:" + db, "up",
              "--single-transaction"], fresh, strata=True),
        case(group, "floor, synchronous=NORMAL", ["sqlite3", db, f".read {w.raw_up_normal}"],
             fresh),
        case(group, "strata up, ?synchronous=normal",
             [tools.strata, "--dir", w.set_dir, "--url", f"sqlite:{db}?synchronous=normal", "up"],
             fresh, strata=True),
    ]
    return cases + peer_cases(group, w, tools, "sqlite:" + db, "sqlite3", db, fresh)


def build_time_cases(w, tools):
    group = "Build-time checks: scratch database in memory"
    return [
        case(group, "floor: sqlite3 :memory: < raw_up.sql", ["sqlite3", ":memory:",
                                                             f".read {w.raw_up}"]),
        case(group, "strata check (apply, dump, header)",
             [tools.strata, "--dir", w.set_dir, "check", "--header", w.path("check.hpp"),
              "--namespace", "bench::db"], strata=True),
        case(group, "floor: sqlite3 :memory: < up, down, up of each",
             ["sqlite3", ":memory:", f".read {w.raw_roundtrip}"]),
        case(group, "strata check --roundtrip", [tools.strata, "--dir", w.set_dir, "check",
                                                 "--roundtrip"], strata=True),
    ]


def postgres_cases(w, tools, url):
    parts = urllib.parse.urlsplit(url)
    bench_url = urllib.parse.urlunsplit(parts._replace(path="/strata_bench"))

    def fresh():
        run_quiet(["psql", "-X", "-q", url, "-c", "DROP DATABASE IF EXISTS strata_bench",
                   "-c", "CREATE DATABASE strata_bench"])

    group = "PostgreSQL: apply every migration"
    cases = [
        case(group, "floor: psql -f raw_up.sql",
             ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", w.raw_up, bench_url], fresh),
        case(group, "strata up", [tools.strata, "--dir", w.set_dir, "--url", bench_url, "up"],
             fresh, strata=True),
        case(group, "strata up --single-transaction",
             [tools.strata, "--dir", w.set_dir, "--url", bench_url, "up", "--single-transaction"],
             fresh, strata=True),
    ]
    plain = urllib.parse.urlunsplit(parts._replace(path="/strata_bench", query="sslmode=disable"))
    quoted = lambda v: "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'"
    datasource = " ".join(f"{k}={quoted(v)}" for k, v in (
        ("host", parts.hostname or "localhost"), ("port", str(parts.port or 5432)),
        ("user", urllib.parse.unquote(parts.username or "")),
        ("password", urllib.parse.unquote(parts.password or "")), ("dbname", "strata_bench"),
        ("sslmode", "disable")))
    return cases + peer_cases(group, w, tools, plain, "postgres", datasource, fresh)


CONSUMER = """cmake_minimum_required(VERSION 3.16)
project(bench_consumer CXX)
add_executable(app main.cpp)
if(WITH STREQUAL "strata")
  find_package(Strata CONFIG REQUIRED)
  add_migrations(app_db DIRECTORY "{set_dir}" NAMESPACE bench::db HEADER bench/db_schema.hpp)
  target_link_libraries(app PRIVATE app_db)
elseif(WITH STREQUAL "empty-target")
  add_custom_command(OUTPUT stamp COMMAND ${{CMAKE_COMMAND}} -E touch stamp DEPENDS main.cpp)
  add_custom_target(extra DEPENDS stamp)
  add_dependencies(app extra)
endif()
"""


def noop_build_cases(w, tools):
    """A no-op build of a consumer with the set in add_migrations, against
    the same project without it; and, since each target costs a generator
    some work of its own, against the project with one empty custom target."""
    source = w.path("consumer")
    os.makedirs(source)
    with open(os.path.join(source, "CMakeLists.txt"), "w") as f:
        f.write(CONSUMER.format(set_dir=w.set_dir))
    with open(os.path.join(source, "main.cpp"), "w") as f:
        f.write("int main() { return 0; }\n")
    generators = ["Unix Makefiles"] + (["Ninja"] if shutil.which("ninja") else [])
    cases = []
    for generator in generators:
        group = f"No-op build, {generator}"
        for variant, name in (("none", "without Strata"),
                              ("empty-target", "with one empty custom target (reference)"),
                              ("strata", "with add_migrations")):
            build = w.path("consumer-" + generator.split()[-1] + "-" + variant)
            run_quiet(["cmake", "-S", source, "-B", build, "-G", generator, f"-DWITH={variant}",
                       "-DCMAKE_BUILD_TYPE=Debug", f"-DCMAKE_PREFIX_PATH={tools.package}"])
            run_quiet(["cmake", "--build", build])
            cases.append(case(group, name, ["cmake", "--build", build]))
    return cases


def header_cases(w, tools):
    """Compile time of a translation unit that includes the generated header,
    against one that includes only the standard headers it includes."""
    header = w.path("schema.hpp")
    run_quiet([tools.strata, "--dir", w.set_dir, "header", "--namespace", "bench::db", "--out",
               header])
    with open(header) as f:
        std_includes = re.findall(r"^#include <[^>]+>$", f.read(), re.M)
    for name, text in (("std.cpp", "\n".join(std_includes)),
                       ("schema.cpp", '#include "schema.hpp"')):
        with open(w.path(name), "w") as f:
            f.write(text + "\nint main() { return 0; }\n")
    compiler = os.environ.get("CXX", "c++")
    compile_ = lambda tu: [compiler, "-std=c++17", "-c", w.path(tu), "-o", w.path(tu + ".o")]
    group = f"Compile time, {os.path.basename(compiler)} -std=c++17 -O0"
    return [
        case(group, "a TU of the header's standard includes", compile_("std.cpp")),
        case(group, "a TU including the generated header", compile_("schema.cpp")),
    ]


def measure(cases, runs):
    for _ in range(runs):
        for c in cases:
            c.run()


def table(n, cases):
    lines = [f"| {n:,} migrations | s | × baseline | CPU s | max RSS MiB |",
             "| --- | ---: | ---: | ---: | ---: |"]
    group = None
    for c in cases:
        if c.group != group:
            group, baseline = c.group, c
            lines.append(f"| **{group}** | | | | |")
        name = f"**{c.name}**" if c.strata else c.name
        lines.append(f"| {name} | {c.median():.3f} | {c.median() / baseline.median():.2f} | "
                     f"{statistics.median(c.cpu):.2f} | {max(c.rss_kib) / 1024:.1f} |")
    return "\n".join(lines)


def find(cases, group_prefix, name):
    for c in cases:
        if c.group.startswith(group_prefix) and c.name == name:
            return c
    return None


def targets(results):
    """The issue's targets, each as (what, measured, met or None when not run)."""
    rows = []
    at = results.get(1000)

    def ratio(group, name, baseline_name, limit, what, extra_ms=None):
        c, b = find(at, group, name), find(at, group, baseline_name)
        if not c or not b:
            rows.append((what, "not run", None))
            return
        r = c.median() / b.median()
        met = r <= limit or (extra_ms is not None and
                             c.median() - b.median() <= extra_ms / 1000)
        rows.append((what, f"{r:.2f}x ({c.median():.3f} s vs {b.median():.3f} s)", met))

    def faster(group, name, peer, factor, what):
        c, p = find(at, group, name), find(at, group, peer)
        if not c or not p:
            rows.append((what, "not run", None))
            return
        r = p.median() / c.median()
        rows.append((what, f"{r:.2f}x faster ({c.median():.3f} s vs {p.median():.3f} s)",
                     r >= factor))

    if at:
        file, mem, pg = "SQLite file", "Build-time", "PostgreSQL"
        ratio(file, "strata up", "floor: sqlite3 file < raw_up.sql", 1.05,
              "SQLite file: strata up ≤ 1.05x the floor")
        faster(file, "strata up", "dbmate up", 1.0, "SQLite file: strata up faster than dbmate")
        faster(file, "strata up", "sql-migrate up", 1.0,
               "SQLite file: strata up faster than sql-migrate")
        faster(file, "strata up, ?synchronous=normal", "dbmate up", 1.0,
               "SQLite file, dbmate's durability (synchronous=NORMAL): strata up faster than "
               "dbmate")
        faster(file, "strata up, ?synchronous=normal", "sql-migrate up", 1.0,
               "SQLite file, sql-migrate's durability (synchronous=NORMAL): strata up faster "
               "than sql-migrate")
        faster(file, "strata up --single-transaction", "dbmate up", 2.5,
               "SQLite file: up --single-transaction ≥ 2.5x faster than dbmate")
        ratio(mem, "strata check (apply, dump, header)", "floor: sqlite3 :memory: < raw_up.sql",
              1.1, "strata check ≤ 1.1x the in-memory floor")
        ratio(mem, "strata check --roundtrip", "floor: sqlite3 :memory: < raw_up.sql", 3.0,
              "strata check --roundtrip ≤ 3x the in-memory floor")
        ratio(mem, "strata check --roundtrip", "floor: sqlite3 :memory: < up, down, up of each",
              1.0, "strata check --roundtrip ≤ 1x its own floor (up, down, up of each)")
        ratio(pg, "strata up", "floor: psql -f raw_up.sql", 1.05,
              "PostgreSQL: strata up ≤ 1.05x the psql floor")
        for generator in ("Unix Makefiles", "Ninja"):
            ratio("No-op build, " + generator, "with add_migrations", "without Strata", 1.1,
                  f"no-op build ({generator}) ≤ 1.1x (or +50 ms) the project without Strata",
                  extra_ms=50)
        ratio("Compile time", "a TU including the generated header",
              "a TU of the header's standard includes", 3.0,
              "TU including the header ≤ 3x the standard-headers TU")
        peak = max((max(c.rss_kib) for c in at if c.strata), default=0)
        rows.append(("peak RSS of every strata command < 64 MiB", f"{peak / 1024:.1f} MiB",
                     peak < 64 * 1024))
    if 1000 in results and 5000 in results:
        for group, name, floor in (
                ("SQLite file", "strata up", "floor: sqlite3 file < raw_up.sql"),
                ("Build-time", "strata check (apply, dump, header)",
                 "floor: sqlite3 :memory: < raw_up.sql"),
                ("Build-time", "strata check --roundtrip",
                 "floor: sqlite3 :memory: < up, down, up of each"),
                ("PostgreSQL", "strata up", "floor: psql -f raw_up.sql")):
            c1, c5 = find(results[1000], group, name), find(results[5000], group, name)
            f1, f5 = find(results[1000], group, floor), find(results[5000], group, floor)
            if not all((c1, c5, f1, f5)):
                continue
            g, fg = c5.median() / c1.median(), f5.median() / f1.median()
            # 5% of slack: the two growths are themselves medians of noisy runs.
            rows.append((f"{group}: {name} grows 1,000→5,000 no faster than its floor",
                         f"{g:.2f}x vs floor {fg:.2f}x", g <= fg * 1.05))
    return rows


def scaling(results):
    sizes = sorted(results)
    lines = ["| median s | " + " | ".join(f"{n:,}" for n in sizes) + " |",
             "| --- |" + " ---: |" * len(sizes)]
    for c in results[sizes[0]]:
        row = [find(results[n], c.group, c.name) for n in sizes]
        lines.append(f"| {c.group.split(':')[0]}: {c.name} | " +
                     " | ".join(f"{r.median():.3f}" if r else "" for r in row) + " |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--strata", required=True, help="the strata binary (a Release build)")
    parser.add_argument("--corpus-gen", default=os.environ.get("STRATA_CORPUS_GEN"),
                        help="the corpus generator, `GEN N DIR` (default: $STRATA_CORPUS_GEN; "
                             "without one the run is skipped, exit 77)")
    parser.add_argument("--sizes", default="100,1000,5000")
    parser.add_argument("--runs", default="5,3,1",
                        help="rounds per size, one number or one per size (5,000 migrations "
                             "take minutes per round)")
    parser.add_argument("--work", help="scratch directory on the disk to measure (default: temp)")
    parser.add_argument("--postgres", default=os.environ.get("STRATA_TEST_POSTGRES_URL"),
                        help="a server URL whose user may create databases")
    parser.add_argument("--postgres-url-file", help="a file holding --postgres (the CTest "
                        "fixture's), read when neither --postgres nor the variable is given")
    parser.add_argument("--package", help="Strata's install prefix, for the no-op build")
    parser.add_argument("--dbmate", default=shutil.which("dbmate"))
    parser.add_argument("--sql-migrate", default=shutil.which("sql-migrate"))
    parser.add_argument("--out", help="also write the report here")
    args = parser.parse_args()
    args.strata = os.path.abspath(args.strata)
    if not args.postgres and args.postgres_url_file:
        with open(args.postgres_url_file) as f:
            args.postgres = f.read().strip()
    global GEN_CORPUS
    if not args.corpus_gen:
        print("bench: skipped: no corpus generator (give --corpus-gen GEN or set "
              "STRATA_CORPUS_GEN)", file=sys.stderr)
        sys.exit(77)
    if not os.path.exists(args.corpus_gen):
        print(f"bench: skipped: the corpus generator is missing ({args.corpus_gen})",
              file=sys.stderr)
        sys.exit(77)
    GEN_CORPUS = os.path.abspath(args.corpus_gen)
    for tool in ("sqlite3", "/usr/bin/time") + (("psql",) if args.postgres else ()):
        if not shutil.which(tool):
            sys.exit(f"bench: needs {tool} on PATH")
    work = args.work or tempfile.mkdtemp(prefix="strata-bench-")
    os.makedirs(work, exist_ok=True)

    notes = []
    if not args.dbmate:
        notes.append("dbmate not installed: its rows are left out")
    if not args.sql_migrate:
        notes.append("sql-migrate not installed: its rows are left out")
    if not args.postgres:
        notes.append("no PostgreSQL server (--postgres): its rows are left out")
    if not args.package:
        notes.append("no Strata package (--package): the no-op build rows are left out")

    sizes = [int(s) for s in args.sizes.split(",")]
    runs = [int(r) for r in args.runs.split(",")]
    runs = (runs + runs[-1:] * len(sizes))[:len(sizes)]
    results = {}
    for n, rounds in zip(sizes, runs):
        w = workload(n, work)
        cases = sqlite_cases(w, args) + build_time_cases(w, args)
        if args.postgres:
            cases += postgres_cases(w, args, args.postgres)
        if args.package:
            cases += noop_build_cases(w, args)
        cases += header_cases(w, args)
        print(f"bench: {n} migrations, {len(cases)} cases, {rounds} rounds", file=sys.stderr)
        measure(cases, rounds)
        results[n] = cases
        print(table(n, cases) + "\n", flush=True)

    report = [f"# Strata benchmark, {datetime.date.today()}, {os.cpu_count()} cores", "",
              "Rounds (median of): " + ", ".join(f"{n:,} migrations: {r}"
                                                 for n, r in zip(sizes, runs)), ""]
    report += [f"- {note}" for note in notes] + ([""] if notes else [])
    for n, cases in results.items():
        report += [table(n, cases), ""]
    if len(results) > 1:
        report += ["Scaling:", "", scaling(results), ""]
    rows = targets(results)
    if rows:
        report += ["| target (1,000 migrations) | measured | met |", "| --- | --- | --- |"]
        report += [f"| {what} | {measured} | "
                   f"{'—' if met is None else ('yes' if met else '**no**')} |"
                   for what, measured, met in rows]
    text = "\n".join(report) + "\n"
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
