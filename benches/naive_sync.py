#!/usr/bin/env python3
"""The call sync a user would write by hand, and the raw limits, against a running vapi-sim.

Plain single-threaded Python, standard library only (urllib, json, sqlite3): pages of 1000
calls, paging back with createdAtLt from the last call of each page, one INSERT and one commit
per call. Beside it, two raw limits measured the same way:
  fetch: every page fetched and parsed (to find the next page), nothing stored;
  insert: the same rows inserted into the same table in one transaction (executemany).

usage: naive_sync.py MANIFEST.json WORKDIR OUT.json
"""

import json
import os
import sqlite3
import sys
import time
import urllib.parse
import urllib.request

PAGE = 1000
SCHEMA = """CREATE TABLE IF NOT EXISTS calls (
    id TEXT PRIMARY KEY, org_id TEXT, created_at TEXT, updated_at TEXT, cost REAL, data TEXT)"""
INSERT = "INSERT OR REPLACE INTO calls VALUES (?, ?, ?, ?, ?, ?)"


def get_page(base, key, before):
    url = f"{base}/call?limit={PAGE}"
    if before:
        url += "&createdAtLt=" + urllib.parse.quote(before)
    request = urllib.request.Request(url, headers={"Authorization": "Bearer " + key})
    with urllib.request.urlopen(request) as response:
        return response.read()


def pages(base, org):
    """Every page of the org as (raw bytes, parsed calls), the way a user pages."""
    before = None
    while True:
        body = get_page(base, org["privateKey"], before)
        calls = json.loads(body)
        yield body, calls
        if len(calls) < PAGE:
            return
        before = calls[-1]["createdAt"]


def row(org_id, call):
    return (call["id"], org_id, call["createdAt"], call["updatedAt"], call.get("cost"),
            json.dumps(call))


def fresh_db(path):
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    db = sqlite3.connect(path)
    db.execute(SCHEMA)
    db.commit()
    return db


def naive(manifest, work):
    db = fresh_db(os.path.join(work, "naive.sqlite"))
    start = time.perf_counter()
    for org in manifest["orgs"]:
        for _, calls in pages(manifest["url"], org):
            for call in calls:
                db.execute(INSERT, row(org["id"], call))
                db.commit()
    took = time.perf_counter() - start
    stored = db.execute("SELECT COUNT(*) FROM calls").fetchone()[0]
    db.close()
    return took, stored


def fetch_only(manifest):
    bodies = []
    calls = 0
    start = time.perf_counter()
    for org in manifest["orgs"]:
        for body, page in pages(manifest["url"], org):
            bodies.append((org["id"], body))
            calls += len(page)
    return time.perf_counter() - start, calls, bodies


def bulk_insert(bodies, work):
    rows = [row(org_id, call) for org_id, body in bodies for call in json.loads(body)]
    db = fresh_db(os.path.join(work, "bulk.sqlite"))
    start = time.perf_counter()
    db.executemany(INSERT, rows)
    db.commit()
    took = time.perf_counter() - start
    db.close()
    return took, len(rows)


def main():
    manifest_path, work, out = sys.argv[1:4]
    with open(manifest_path) as f:
        manifest = json.loads(f.readline())
    fetch_s, fetched, bodies = fetch_only(manifest)
    print(f"python raw limit, fetch every page, store nothing: {fetched} calls in {fetch_s:.2f} s")
    insert_s, inserted = bulk_insert(bodies, work)
    del bodies
    print(f"python raw limit, insert the same rows in one transaction: {insert_s:.2f} s")
    naive_s, stored = naive(manifest, work)
    print(f"naive script (insert + commit per call): {stored} calls stored in {naive_s:.2f} s")
    with open(out, "w") as f:
        json.dump({"naive_s": naive_s, "naive_calls": stored, "fetch_only_s": fetch_s,
                   "fetched_calls": fetched, "bulk_insert_s": insert_s,
                   "python": sys.version.split()[0], "sqlite": sqlite3.sqlite_version}, f)


if __name__ == "__main__":
    main()
