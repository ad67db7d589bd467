#!/usr/bin/env python3
"""An independent checker of a Reel library's invariants.

It reads `catalog.sqlite` with Python's own sqlite3 module and hashes the files in `objects/` with hashlib; it
shares no code with Reel, so a bug in Reel's queries cannot hide a broken library from it.

Invariants (each violation is one line on stdout; exit 1 when there is any):
- every live item row has its object file at objects/<first two hex digits>/<sha256>[.<ext>], and the file's
  SHA-256 is the row's;
- every item the caller says must be there (--expect-present SHA256, e.g. items saved with an acknowledged
  save) is a live row with its file;
- every input of a saved item, followed through the lineage, is a live row with its file (gc must keep them);
- every lineage edge names a row (an item, or a tombstone in `tombstones`);
- every run is finished (ok, failed, cancelled) or interrupted; `running` only with --allow-running
  (a run whose owner died may stay `running` in the table until a reader marks it);
- with --clean (after `reel library verify --repair`): no file in objects/ that no live row names, and an
  empty staging folder.

Prints a JSON summary on the last line.
"""

import argparse
import hashlib
import json
import os
import sqlite3
import sys


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def object_path(root, sha256, ext):
    name = f"{sha256}.{ext}" if ext else sha256
    return os.path.join(root, "objects", sha256[:2], name)


def columns(db, table):
    return {row[1] for row in db.execute(f"PRAGMA table_info({table})")}


def tables(db):
    return {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def tombstone_ids(db):
    """Ids of tombstones: items deleted on purpose whose identity is kept (table `tombstones`, no object file)
    because other items' lineage still names them."""
    if "tombstones" not in tables(db):
        return {}
    return dict(db.execute("SELECT id, deleted_at FROM tombstones").fetchall())


def check(root, expect_present, allow_running, clean):
    violations = []
    catalog = os.path.join(root, "catalog.sqlite")
    db = sqlite3.connect(f"file:{catalog}?mode=ro", uri=True)
    rows = db.execute("SELECT id, sha256, ext, saved, saved_at FROM items").fetchall()
    live = {row[0]: row for row in rows}
    tombstones = tombstone_ids(db)
    overlap = set(tombstones) & set(live)
    for item_id in sorted(overlap):
        violations.append(f"item {item_id} is both live and a tombstone")
    by_sha = {row[1]: row for row in live.values()}
    named_paths = set()

    hashed = 0
    for item_id, sha256, ext, _saved, _saved_at in live.values():
        path = object_path(root, sha256, ext)
        named_paths.add(path)
        if not os.path.isfile(path):
            violations.append(f"row without its file: item {item_id} ({path})")
            continue
        hashed += 1
        actual = sha256_of(path)
        if actual != sha256:
            violations.append(f"corrupt object: item {item_id} hashes to {actual}")

    for sha256 in expect_present:
        if sha256 not in by_sha:
            violations.append(f"acknowledged item lost: {sha256[:12]} is not a live row")

    edges = db.execute("SELECT item_id, input_id FROM lineage").fetchall()
    all_ids = set(live) | set(tombstones)
    inputs_of = {}
    for item_id, input_id in edges:
        if input_id not in all_ids:
            violations.append(f"lineage of {item_id} names {input_id}, which has no row")
        inputs_of.setdefault(item_id, []).append(input_id)
    kept = 0
    for item_id, row in live.items():
        if not row[3]:
            continue
        stack, seen = list(inputs_of.get(item_id, [])), set()
        while stack:
            input_id = stack.pop()
            if input_id in seen:
                continue
            seen.add(input_id)
            kept += 1
            if input_id in tombstones:
                # Collected while every item made from it was still a draft is fine; after this one was saved,
                # it is an input of a saved item lost. (The workload never force-deletes inputs.)
                if row[4] is not None and tombstones[input_id] >= row[4]:
                    violations.append(f"input {input_id} of saved item {item_id} was removed after the save")
                continue
            if input_id not in live:
                violations.append(f"input {input_id} of saved item {item_id} was removed")
            stack.extend(inputs_of.get(input_id, []))

    runs = db.execute("SELECT id, status FROM runs").fetchall() if "runs" in tables(db) else []
    finished = {"ok", "failed", "cancelled", "interrupted"}
    for run_id, status in runs:
        if status not in finished and not (allow_running and status == "running"):
            violations.append(f"run {run_id} is recorded as {status!r}")

    if clean:
        objects = os.path.join(root, "objects")
        for folder, _dirs, files in os.walk(objects):
            for name in files:
                path = os.path.join(folder, name)
                if path not in named_paths:
                    violations.append(f"orphan file after repair: {path}")
        staging = os.path.join(root, "staging")
        for name in os.listdir(staging) if os.path.isdir(staging) else []:
            violations.append(f"staging leftover after repair: {name}")

    db.close()
    return violations, {
        "items": len(live),
        "tombstones": len(tombstones),
        "objects_hashed": hashed,
        "expected_present": len(expect_present),
        "saved_inputs_checked": kept,
        "lineage_edges": len(edges),
        "runs": len(runs),
        "violations": len(violations),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("library")
    parser.add_argument("--expect-present", default=None, help="file with one SHA-256 a line")
    parser.add_argument("--allow-running", action="store_true")
    parser.add_argument("--clean", action="store_true")
    arguments = parser.parse_args()
    expected = []
    if arguments.expect_present:
        with open(arguments.expect_present) as file:
            expected = [line.strip() for line in file if line.strip()]
    violations, summary = check(arguments.library, expected, arguments.allow_running, arguments.clean)
    for line in violations:
        print(f"violation: {line}")
    print(json.dumps(summary))
    sys.exit(1 if violations else 0)


if __name__ == "__main__":
    main()
