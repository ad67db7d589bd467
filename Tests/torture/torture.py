#!/usr/bin/env python3
"""Torture test for a Reel library: several `reel` processes at once on one library, killed at random moments.

Workers run random library operations (import, save, unsave, gc --apply, delete --force, verify, verify
--repair, export, run of a small pipeline, cached or not) through the real `reel` binary while a killer sends
SIGKILL to a random running process every so often. The harness keeps its own record of what was acknowledged
(an item saved with exit 0 that no worker touches again must survive), and at the end the independent checker
(check_library.py, which reads catalog.sqlite and objects/ directly) checks every invariant, before and after
`reel library verify --repair`.

    torture.py --reel .build/debug/reel --seconds 60 --workers 4 [--seed N] [--keep DIR]

Prints one JSON summary line last (runs, kills, items, invariants checked, violations) and exits 1 on any
violation.
"""

import argparse
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CHECKER = os.path.join(HERE, "check_library.py")

# Lines that must never reach a user, whatever else is going on in the library.
FORBIDDEN = ("database is locked", "FOREIGN KEY", "SQLite error", "Fatal error", "NSCocoaErrorDomain")


class Harness:
    def __init__(self, reel, root, seed, kill_every):
        self.reel = reel
        self.root = root
        self.library = os.path.join(root, "library")
        self.work = os.path.join(root, "work")
        os.makedirs(self.work)
        self.random = random.Random(seed)
        self.kill_every = kill_every
        self.lock = threading.Lock()
        self.live = {}  # pid -> (Popen, op)
        self.killed = set()
        self.protected = {}  # sha256 -> how it became acknowledged
        self.free = []  # (id, sha256, path): items workers may unsave, delete or let gc collect
        self.clips = []
        self.pipelines = []
        self.counts = {}
        self.kills = {}
        self.violations = []
        self.stop = threading.Event()
        self.serial = 0

    # --- running reel -------------------------------------------------------------------------------------

    def reel_run(self, op, arguments, timeout=120):
        """Runs reel; returns (status, stdout, stderr, killed)."""
        process = subprocess.Popen(
            [self.reel, *arguments, "--library", self.library],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "REEL_LIBRARY": self.library, "TMPDIR": os.path.join(self.root, "tmp")})
        with self.lock:
            self.live[process.pid] = (process, op)
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            stdout, stderr = process.communicate()
            self.violation(f"{op} did not finish in {timeout} s: {' '.join(arguments)}")
        with self.lock:
            del self.live[process.pid]
            killed = process.pid in self.killed
            self.killed.discard(process.pid)
            self.counts[op] = self.counts.get(op, 0) + 1
            if killed:
                self.kills[op] = self.kills.get(op, 0) + 1
        if not killed:
            if process.returncode < 0:
                self.violation(f"{op} died of signal {-process.returncode}: {stderr.strip()[-300:]}")
            for line in FORBIDDEN:
                if line in stderr:
                    self.violation(f"{op} printed {line!r}: {stderr.strip()[-300:]}")
        return process.returncode, stdout, stderr, killed

    def violation(self, text):
        with self.lock:
            self.violations.append(text)

    def killer(self):
        while not self.stop.wait(self.random.uniform(0.3, 2 * self.kill_every)):
            with self.lock:
                candidates = [pid for pid in self.live if pid not in self.killed]
                if not candidates:
                    continue
                pid = self.random.choice(candidates)
                self.killed.add(pid)
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    # --- media and files ----------------------------------------------------------------------------------

    def make_clips(self):
        for index, (size, rate) in enumerate([("160x120", 25), ("176x144", 30), ("128x96", 24)]):
            path = os.path.join(self.work, f"clip{index}.mp4")
            subprocess.run(
                ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", f"testsrc=duration=2:size={size}:rate={rate}",
                 "-f", "lavfi", "-i", "sine=duration=2", "-shortest", "-pix_fmt", "yuv420p", "-c:v", "libx264",
                 "-c:a", "aac", path], check=True)
            self.clips.append(path)
        for index, clip in enumerate(self.clips):
            for keep in (True, False):
                stages = [
                    {"id": "clip", "type": "fetch", "path": clip},
                    {"id": "poster", "type": "thumbnail", "input": "clip", "at": "${at}", "width": 96},
                ]
                if keep:
                    stages.append({"id": "keep", "type": "store", "inputs": ["poster"]})
                path = os.path.join(self.work, f"pipeline{index}-{'keep' if keep else 'draft'}.json")
                with open(path, "w") as file:
                    json.dump({"version": 1, "name": f"torture{index}", "params": {"at": "50%"}, "stages": stages}, file)
                self.pipelines.append((path, keep))

    def new_file(self, size=None):
        with self.lock:
            self.serial += 1
            serial = self.serial
            size = size or self.random.randint(1, 3) * 256 * 1024
        path = os.path.join(self.work, f"blob{serial}.bin")
        with open(path, "wb") as file:
            file.write(os.urandom(size))
        return path

    # --- operations ---------------------------------------------------------------------------------------

    def op_import(self):
        path = self.new_file()
        save = self.random.random() < 0.3
        status, stdout, stderr, killed = self.reel_run(
            "import", ["library", "import", "--kind", "other", "--json", path] + (["--save"] if save else []))
        if killed:
            return
        if status != 0:
            return self.violation(f"import failed: {stderr.strip()[-300:]}")
        item = self.parse_item(stdout)
        if item is None:
            return self.violation(f"import --json printed no item: {stdout[-300:]}")
        with self.lock:
            if save and self.random.random() < 0.5:
                self.protected[item["sha256"]] = "imported with --save"
            else:
                self.free.append((item["id"], item["sha256"], path))

    def op_import_batch(self):
        """Many small drafts in one process, so a gc has enough to collect to be killed or raced mid-way."""
        paths = [self.new_file(size=4096) for _ in range(40)]
        status, stdout, stderr, killed = self.reel_run(
            "import-batch", ["library", "import", "--kind", "other", "--json", *paths])
        if killed:
            return
        if status != 0:
            return self.violation(f"batch import failed: {stderr.strip()[-300:]}")
        try:
            items = json.loads(stdout)
        except json.JSONDecodeError:
            return self.violation(f"import --json printed no items: {stdout[-300:]}")
        items = items.get("items", items) if isinstance(items, dict) else items
        by_sha = {self.parse_item(json.dumps(item))["sha256"]: self.parse_item(json.dumps(item)) for item in items}
        with self.lock:
            for path in paths:
                for sha256, item in by_sha.items():
                    if item.get("name") == os.path.basename(path):
                        self.free.append((item["id"], sha256, path))

    def op_reimport(self):
        """The same bytes again: an existing item, or a heal of a collected one."""
        with self.lock:
            if not self.free:
                return
            _, _, path = self.random.choice(self.free)
        status, _, stderr, killed = self.reel_run("reimport", ["library", "import", "--kind", "other", path])
        if not killed and status != 0:
            self.violation(f"re-import failed: {stderr.strip()[-300:]}")

    def take_free(self):
        with self.lock:
            if not self.free:
                return None
            return self.free.pop(self.random.randrange(len(self.free)))

    def op_save(self):
        taken = self.take_free()
        if taken is None:
            return
        item_id, sha256, _ = taken
        status, _, _, killed = self.reel_run("save", ["library", "save", item_id])
        if not killed and status == 0:
            with self.lock:
                self.protected[sha256] = "saved (exit 0) and not touched after"

    def op_unsave(self):
        # Taken out of the free list while it runs: a save of the same item racing it could otherwise be
        # acknowledged first and then undone by this unsave, and the item wrongly counted as protected.
        taken = self.take_free()
        if taken is None:
            return
        self.reel_run("unsave", ["library", "unsave", taken[0]])
        with self.lock:
            self.free.append(taken)

    def op_delete(self):
        taken = self.take_free()
        if taken is not None:
            self.reel_run("delete", ["library", "delete", "--force", taken[0]])

    def op_gc(self):
        status, _, stderr, killed = self.reel_run(
            "gc", ["library", "gc", "--unsaved-older-than", "0s", "--apply"])
        if not killed and status != 0:
            self.violation(f"gc failed: {stderr.strip()[-300:]}")

    def op_verify(self):
        repair = self.random.random() < 0.5
        status, _, stderr, killed = self.reel_run(
            "verify-repair" if repair else "verify", ["library", "verify"] + (["--repair"] if repair else []))
        if not killed and status not in (0, 1):
            self.violation(f"verify exited {status}: {stderr.strip()[-300:]}")
        if not killed and repair and status != 0:
            self.violation(f"verify --repair left problems: {stderr.strip()[-300:]}")

    def op_export(self):
        with self.lock:
            if not self.protected:
                return
            sha256 = self.random.choice(list(self.protected))
        target = os.path.join(self.work, f"export-{sha256[:12]}-{self.random.randrange(1 << 30)}")
        status, _, stderr, killed = self.reel_run("export", ["library", "export", sha256, "-o", target])
        if killed:
            return
        if status != 0:
            return self.violation(f"export of acknowledged item {sha256[:12]} failed: {stderr.strip()[-300:]}")
        with open(target, "rb") as file:
            if hashlib.sha256(file.read()).hexdigest() != sha256:
                self.violation(f"export of {sha256[:12]} wrote other bytes")
        os.unlink(target)

    def op_run(self):
        pipeline, keep = self.random.choice(self.pipelines)
        status, stdout, stderr, killed = self.reel_run(
            "run", ["run", pipeline, "--json", "--jobs", "2",
                    "--param", f"at={self.random.choice(range(10, 91, 10))}%"])
        if killed:
            return
        if status != 0:
            return self.violation(f"run of {os.path.basename(pipeline)} failed: {stderr.strip()[-400:]}")
        if keep:
            try:
                manifest = json.loads(stdout)
            except json.JSONDecodeError:
                return self.violation(f"run --json printed no manifest: {stdout[-300:]}")
            for sha256 in self.stored_hashes(manifest):
                with self.lock:
                    self.protected.setdefault(sha256, "stored by a run (exit 0)")

    @staticmethod
    def stored_hashes(manifest):
        """SHA-256s of the items a run's store stage kept."""
        found = []
        for stage in manifest.get("stages", []):
            if stage.get("type") != "store":
                continue
            stack = [stage.get("outputs", [])]
            while stack:
                value = stack.pop()
                if isinstance(value, dict):
                    if isinstance(value.get("sha256"), str) and len(value["sha256"]) == 64:
                        found.append(value["sha256"])
                    stack.extend(value.values())
                elif isinstance(value, list):
                    stack.extend(value)
        return found

    @staticmethod
    def parse_item(stdout):
        try:
            value = json.loads(stdout)
        except json.JSONDecodeError:
            return None
        while isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, dict) and "item" in value and "sha256" not in value:
            value = value["item"]
        return value if isinstance(value, dict) and "sha256" in value else None

    def worker(self, seed):
        local = random.Random(seed)
        ops = [
            (self.op_import, 24), (self.op_import_batch, 6), (self.op_reimport, 6), (self.op_save, 10), (self.op_unsave, 5),
            (self.op_delete, 6), (self.op_gc, 8), (self.op_verify, 6), (self.op_export, 8), (self.op_run, 10),
        ]
        functions = [op for op, _ in ops]
        weights = [weight for _, weight in ops]
        while not self.stop.is_set():
            local.choices(functions, weights)[0]()

    # --- the whole run ------------------------------------------------------------------------------------

    def checker(self, clean, allow_running):
        expected = os.path.join(self.root, "expected.txt")
        with open(expected, "w") as file:
            file.write("".join(f"{sha256}\n" for sha256 in self.protected))
        arguments = [sys.executable, CHECKER, self.library, "--expect-present", expected]
        arguments += ["--clean"] if clean else []
        arguments += ["--allow-running"] if allow_running else []
        result = subprocess.run(arguments, capture_output=True, text=True)
        lines = result.stdout.strip().splitlines()
        for line in lines[:-1]:
            self.violation(f"checker{' (after repair)' if clean else ''}: {line}")
        if result.returncode not in (0, 1) or not lines:
            self.violation(f"checker crashed: {result.stderr.strip()[-400:]}")
            return {}
        return json.loads(lines[-1])

    def run(self, seconds, workers):
        os.makedirs(os.path.join(self.root, "tmp"))
        self.make_clips()
        self.reel_run("init", ["library", "init"])
        threads = [threading.Thread(target=self.worker, args=(self.random.random(),)) for _ in range(workers)]
        killer = threading.Thread(target=self.killer)
        for thread in threads + [killer]:
            thread.start()
        time.sleep(seconds)
        self.stop.set()
        for thread in threads + [killer]:
            thread.join()

        # Nothing is running now. The library may hold leftovers of killed processes, never lost data.
        before = self.checker(clean=False, allow_running=True)
        status, stdout, stderr, _ = self.reel_run("runs-list", ["runs", "list", "--json"])
        if status != 0:
            self.violation(f"runs list failed: {stderr.strip()[-300:]}")
        else:
            runs = json.loads(stdout)
            runs = runs.get("runs", runs) if isinstance(runs, dict) else runs
            for run in runs:
                if run.get("status") == "running":
                    self.violation(f"run {run.get('id') or run.get('run_id')} of a dead process shows as running")
        status, _, stderr, _ = self.reel_run("final-repair", ["library", "verify", "--repair"])
        if status != 0:
            self.violation(f"final verify --repair exited {status}: {stderr.strip()[-300:]}")
        status, stdout, stderr, _ = self.reel_run("final-verify", ["library", "verify", "--json"])
        if status != 0:
            self.violation(f"verify after repair still finds problems: {stdout.strip()[-400:]}")
        after = self.checker(clean=True, allow_running=False)
        tmp = os.path.join(self.root, "tmp")
        for name in os.listdir(tmp):
            self.violation(f"left outside the library in $TMPDIR: {name}")
        return {
            "seconds": seconds,
            "workers": workers,
            "processes": sum(self.counts.values()),
            "operations": self.counts,
            "kills": sum(self.kills.values()),
            "kills_by_operation": self.kills,
            "acknowledged_items": len(self.protected),
            "checked_before_repair": before,
            "checked_after_repair": after,
            "violations": len(self.violations),
        }


def main():
    parser = argparse.ArgumentParser(description="Reel library torture test")
    parser.add_argument("--reel", required=True)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--kill-every", type=float, default=1.0, help="mean seconds between kills")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--keep", help="folder to work in, kept afterwards (default: a temporary one, removed)")
    arguments = parser.parse_args()
    seed = arguments.seed if arguments.seed is not None else random.randrange(1 << 32)
    root = arguments.keep or tempfile.mkdtemp(prefix="reel-torture-")
    os.makedirs(root, exist_ok=True)
    harness = Harness(os.path.abspath(arguments.reel), root, seed, arguments.kill_every)
    summary = harness.run(arguments.seconds, arguments.workers)
    summary["seed"] = seed
    for line in harness.violations:
        print(f"violation: {line}")
    print(json.dumps(summary))
    if not arguments.keep and not harness.violations:
        shutil.rmtree(root, ignore_errors=True)
    elif harness.violations:
        print(f"library kept at {root}", file=sys.stderr)
    sys.exit(1 if harness.violations else 0)


if __name__ == "__main__":
    main()
