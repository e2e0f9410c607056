#!/usr/bin/env python3
"""Runs Strata, as a new user would, on real projects' migration sets, and
checks the order it applies them in against the original tool's.

usage: try_corpora.py --strata PATH [--postgres-url URL] [--dbmate PATH]
                      [--manifest FILE [--root DIR]] [--only NAME,...] [BACKEND:DIR ...]

Each set is named on the command line as `sqlite:DIR` or `postgres:DIR`, or
comes from a manifest: a JSON array of objects with `name`, `backend`, and
`dir` (else ROOT/name), optionally `repo`, `commit`, `roles` (PostgreSQL
roles the set's own SQL grants to, created on the server before it runs),
`setup` (SQL its operator runs on a new database first, as a project's
docs ask: `CREATE EXTENSION pg_trgm`) and `server_setup` (SQL run on the
server before each step that applies the set: what its side effects leave);
tests/corpora/sets.json is the one of the sets tried so far. For each set:

  up           on a fresh database (a SQLite file, or a new PostgreSQL database)
  status       `status --exit-code` afterwards
  schema       `schema` of that database
  roundtrip    `check --roundtrip` with no flag, on a scratch database of the
               set's backend; its findings counted by kind
  down         `down --all`, where no migration is one-way or lacks a down
               script

The order column compares the order `up` printed with an independent
oracle: real dbmate (`--dbmate`) applying a dbmate set to a database of its
own, and for diesel and sqlx the rule of their source, written out below
(diesel_migrations' file_based_migrations.rs; sqlx-core's migrate/source.rs).
None of this calls Strata's reader. Prints one Markdown table; a set whose
own migrations fail on its backend is listed with the failing migration and
the database's message.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse


# ----------------------------------------------------------------- oracles

def detect_layout(directory):
    """The layout by the tools' own marks, not by Strata's reader."""
    entries = [e for e in sorted(os.listdir(directory)) if not e.startswith(".")]
    if any(os.path.isfile(os.path.join(directory, e, "up.sql")) for e in entries):
        return "diesel"
    for e in entries:
        path = os.path.join(directory, e)
        if re.match(r"^\d+.*\.sql$", e) and os.path.isfile(path):
            with open(path, encoding="utf-8", errors="replace") as f:
                if re.search(r"(?m)^--\s*migrate:up", f.read()):
                    return "dbmate"
    return "sqlx"


def diesel_order(directory):
    """diesel 2.x: every folder (not starting with '.') with an up.sql; the
    version is the name up to the first '_' with dashes removed, a String,
    sorted as bytes. Returns (version, name) in order."""
    found = []
    for e in os.listdir(directory):
        if e.startswith(".") or not os.path.isfile(os.path.join(directory, e, "up.sql")):
            continue
        version, _, name = e.partition("_")
        found.append((version.replace("-", ""), name))
    found.sort(key=lambda m: m[0].encode())
    return found


def sqlx_order(directory):
    """sqlx 0.8: files `<i64>_<description>.sql`, split once on '_', up or
    simple by suffix; sorted by the integer version (stable)."""
    found = {}
    for e in os.listdir(directory):
        if not e.endswith(".sql") or "_" not in e or e.endswith(".down.sql"):
            continue
        prefix, _, rest = e.partition("_")
        try:
            version = int(prefix)
        except ValueError:
            continue
        name = rest[: -len(".up.sql")] if rest.endswith(".up.sql") else rest[: -len(".sql")]
        found.setdefault(version, (prefix, name))
    return [found[v] for v in sorted(found)]


def dbmate_files(directory):
    """dbmate's migrations (pkg/dbmate/migration.go): `^(\\d+).*\\.sql$`, by name."""
    return sorted(e for e in os.listdir(directory)
                  if re.match(r"^\d+.*\.sql$", e) and os.path.isfile(os.path.join(directory, e)))


def dbmate_order(dbmate, directory, url):
    """Real dbmate applying the set: the files in the order it printed them."""
    result = subprocess.run(
        [dbmate, "--url", url, "--migrations-dir", directory, "--no-dump-schema", "up"],
        capture_output=True, text=True, stdin=subprocess.DEVNULL)
    applied = re.findall(r"^Applying: (\S+)$", result.stdout, re.M)
    order = []
    for file_name in applied:
        m = re.match(r"^(\d+)_?(.*)\.sql$", file_name)
        order.append((m.group(1), m.group(2)))
    error = None
    if result.returncode != 0:
        error = (result.stderr.strip() or result.stdout.strip()).splitlines()[-1:]
    return order, error


# ----------------------------------------------------------------- databases

def redact(text):
    return re.sub(r"(://[^:/@\s]+:)[^@\s]+@", r"\1***@", text)


class postgres_server:
    def __init__(self, url):
        self.url = url

    def with_database(self, name):
        parts = urllib.parse.urlsplit(self.url)
        return urllib.parse.urlunsplit(parts._replace(path="/" + name))

    def psql(self, sql, database="postgres"):
        subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", "-d", self.with_database(database),
                        "-c", sql], check=True, capture_output=True, stdin=subprocess.DEVNULL)

    def fresh(self, name, setup=""):
        self.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.psql(f'CREATE DATABASE "{name}" TEMPLATE template0')
        if setup:
            self.psql(setup, name)
        return self.with_database(name)

    def drop(self, name):
        self.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def create_roles(self, roles):
        for role in roles:
            self.psql(f"DO $$ BEGIN CREATE ROLE \"{role}\"; "
                      f"EXCEPTION WHEN duplicate_object THEN NULL; END $$")


# ----------------------------------------------------------------- one set

def run(command, env=None):
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=env,
                            stdin=subprocess.DEVNULL)
    return result, time.perf_counter() - start


def last_error(result):
    lines = [l for l in result.stderr.splitlines() if "error:" in l]
    return redact(lines[0] if lines else (result.stderr.strip().splitlines() or ["?"])[-1])


def classify(findings):
    kinds = {"missing": 0, "failing": 0, "non-restoring": 0, "other": []}
    for f in findings:
        if f["severity"] != "error" and f["severity"] != "warning":
            continue
        if f["kind"] == "missing-down":
            kinds["missing"] += 1
        elif f["kind"] == "roundtrip" and " fails" in f["message"]:
            kinds["failing"] += 1
        elif f["kind"] == "roundtrip":
            kinds["non-restoring"] += 1
        elif f["severity"] == "error":
            kinds["other"].append(f"{f['kind']}: {f.get('file') or ''}: {f['message'].splitlines()[0]}")
    return kinds


def try_set(entry, args, server, work):
    name, directory, backend = entry["name"], entry["dir"], entry["backend"]
    strata = [args.strata, "--dir", directory]
    row = {"set": name, "backend": backend, "repo": entry.get("repo", ""),
           "commit": entry.get("commit", "")[:10], "notes": []}
    layout = detect_layout(directory)
    row["layout"] = layout
    if backend == "postgres":
        if not server:
            row["notes"].append("skipped: no --postgres-url")
            return row
        server.create_roles(entry.get("roles", []))
        database = "try_" + re.sub(r"\W", "_", name)

        def server_setup():
            if entry.get("server_setup"):
                server.psql(entry["server_setup"])

        server_setup()
        url = server.fresh(database, entry.get("setup", ""))
        backend_args = ["--backends", "postgres", "--postgres-url", server.url]
    else:
        url = "sqlite:" + os.path.join(work, name + ".db")
        backend_args = ["--backends", "sqlite"]
    total = 0.0

    up, seconds = run(strata + ["--url", url, "up"])
    total += seconds
    applied = re.findall(r"^applied (\S+) \(\d+ ms\)$", up.stdout, re.M)
    row["applied"] = len(applied)
    row["up"] = "ok" if up.returncode == 0 else f"exit {up.returncode}"
    if up.returncode != 0:
        row["notes"].append("up: " + last_error(up))

    # The oracle's order, of the migrations Strata applied (a failing set
    # stops part way in both).
    oracle_failed = False
    if layout == "dbmate":
        if args.dbmate:
            if backend == "postgres":
                server_setup()
                oracle_url = server.fresh(database + "_dbmate", entry.get("setup", "")) + \
                    "?sslmode=disable"
            else:
                oracle_url = "sqlite:" + os.path.join(work, name + "-dbmate.db")
            expected, error = dbmate_order(args.dbmate, directory, oracle_url)
            if backend == "postgres":
                server.drop(database + "_dbmate")
            oracle = "dbmate"
            if error:
                oracle_failed = True
                row["notes"].append("dbmate: " + redact(" ".join(error)))
        else:
            expected, oracle = None, None
    else:
        expected = diesel_order(directory) if layout == "diesel" else sqlx_order(directory)
        oracle = layout + "'s rule"
    row["migrations"] = len(dbmate_files(directory)) if layout == "dbmate" else len(expected)
    if expected is None:
        row["order"] = "no oracle"
    else:
        ids = [v if not n else f"{v}_{n}" for v, n in expected]
        # A set that fails part way stops Strata, and maybe the oracle: what
        # both applied is compared.
        n = min(len(applied), len(ids))
        stopped = up.returncode != 0 or oracle_failed
        if n == 0:
            row["order"] = "n/a"
        elif applied[:n] != ids[:n] or (len(applied) != len(ids) and not stopped):
            row["order"] = "NO"
        else:
            row["order"] = "yes" if len(applied) == len(ids) else f"yes, first {n}"
        if row["order"] == "NO":
            for i, (a, b) in enumerate(zip(applied, ids)):
                if a != b:
                    row["notes"].append(f"order: #{i + 1} strata {a}, {oracle} {b}")
                    break
            else:
                row["notes"].append(f"order: strata applied {len(applied)}, {oracle} {len(ids)}")
        row["order"] += f" ({oracle})"

    status, seconds = run(strata + ["--url", url, "status", "--exit-code"])
    total += seconds
    row["status"] = "0" if status.returncode == 0 else str(status.returncode)

    # The live database's schema (with --dir, schema would apply the set anew).
    schema, seconds = run([args.strata, "--url", url, "schema"])
    total += seconds
    row["schema"] = "ok" if schema.returncode == 0 else f"exit {schema.returncode}"
    if schema.returncode != 0:
        row["notes"].append("schema: " + last_error(schema))

    if backend == "postgres":
        server_setup()
    check, seconds = run(strata + backend_args + ["check", "--roundtrip", "--json"])
    total += seconds
    try:
        findings = json.loads(check.stdout)
    except json.JSONDecodeError:
        findings = []
        row["notes"].append("check: " + last_error(check))
    kinds = classify(findings)
    row["missing"], row["failing"], row["non-restoring"] = (
        kinds["missing"], kinds["failing"], kinds["non-restoring"])
    for other in kinds["other"][:3]:
        row["notes"].append("check: " + redact(other))
    if len(kinds["other"]) > 3:
        row["notes"].append(f"check: {len(kinds['other']) - 3} more")

    one_way = kinds["missing"] > 0 or layout == "sqlx" and any(
        not f.endswith((".up.sql", ".down.sql")) for f in os.listdir(directory)
        if f.endswith(".sql"))
    if up.returncode != 0 or one_way:
        row["down"] = "n/a"
    else:
        down, seconds = run(strata + ["--url", url, "down", "--all"])
        total += seconds
        row["down"] = "ok" if down.returncode == 0 else f"exit {down.returncode}"
        if down.returncode != 0:
            row["notes"].append("down: " + last_error(down))
    if backend == "postgres":
        server.drop(database)
    row["seconds"] = f"{total:.1f}"
    return row


# ----------------------------------------------------------------- main

def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strata", required=True)
    parser.add_argument("--postgres-url", default=os.environ.get("STRATA_TEST_POSTGRES_URL"))
    parser.add_argument("--dbmate", default=shutil.which("dbmate"))
    parser.add_argument("--manifest")
    parser.add_argument("--root", help="where a manifest's sets are, one folder each by name")
    parser.add_argument("--only", default="")
    parser.add_argument("sets", nargs="*", metavar="BACKEND:DIR")
    args = parser.parse_args()

    entries = []
    if args.manifest:
        with open(args.manifest) as f:
            entries = json.load(f)
        for entry in entries:
            if "dir" not in entry:
                if not args.root:
                    parser.error(f"{entry['name']}: the manifest names no dir; give --root")
                entry["dir"] = os.path.join(args.root, entry["name"])
    for spec in args.sets:
        backend, _, directory = spec.partition(":")
        if backend not in ("sqlite", "postgres") or not directory:
            parser.error(f"'{spec}': expected sqlite:DIR or postgres:DIR")
        entries.append({"name": os.path.basename(os.path.normpath(directory)), "dir": directory,
                        "backend": backend})
    if args.only:
        wanted = set(args.only.split(","))
        entries = [e for e in entries if e["name"] in wanted]
    if not entries:
        parser.error("no sets: name BACKEND:DIR arguments or --manifest")

    server = postgres_server(args.postgres_url) if args.postgres_url else None
    rows = []
    with tempfile.TemporaryDirectory(prefix="strata-corpora-") as work:
        for entry in entries:
            print(f"try-corpora: {entry['name']} ({entry['backend']})", file=sys.stderr, flush=True)
            rows.append(try_set(entry, args, server, work))

    columns = ["set", "layout", "backend", "migrations", "applied", "order", "up", "status",
               "schema", "missing", "failing", "non-restoring", "down", "seconds"]
    print("| " + " | ".join(columns) + " |")
    print("|" + "|".join(" --- " for _ in columns) + "|")
    for row in rows:
        print("| " + " | ".join(str(row.get(c, "")) for c in columns) + " |")
    print()
    for row in rows:
        where = f" ({row['repo']} {row['commit']})" if row["repo"] else ""
        for note in row["notes"]:
            print(f"- {row['set']}{where}: {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
