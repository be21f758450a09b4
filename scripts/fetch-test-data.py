#!/usr/bin/env python3
"""Fetches the third-party test data from its original homes into a cache folder, checking every file's sha256.

Run by `make test-data`. The data may not be copied into the repository (see scripts/test-data-manifest.json for
each file's pinned source and licence); the tests read it through CULTURELENS_TEST_DATA or the cache
(Sources/CultureLensTesting/TestData.swift). Files already present with the right sum are not fetched again. A file
whose sum does not match is not kept, and the run fails naming the file, the URL and both sums.

Usage: fetch-test-data.py --dest DIR [--mirror URL] [--manifest FILE]
  --mirror URL   fetch https://HOST/PATH from URL/HOST/PATH instead (a local copy, or the tests' HTTP server)
"""
import argparse
import hashlib
import json
import os
import sys
import tempfile
import urllib.error
import urllib.request


def transform(name, data):
    """Re-applies the documented transformation of a derived file (see the folder's PROVENANCE.md)."""
    if name == "civics-drop-schwartz":
        # The GitHub mirror added two LLM-generated keys per record whose licence is unclear; they are dropped
        # and the JSON re-serialised as the copy in ../shared/data was.
        records = json.loads(data)
        for record in records:
            record.pop("Schwartz Values", None)
            record.pop("Schwartz Higher-Order", None)
        return json.dumps(records, ensure_ascii=False, indent=2).encode("utf-8")
    raise ValueError(f"unknown transform {name!r}")


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def source_url(url, mirror):
    if not mirror:
        return url
    return mirror.rstrip("/") + "/" + url.split("://", 1)[1]


def fetch(url, token):
    request = urllib.request.Request(url, headers={"User-Agent": "culturelens-test-data"})
    if token and "huggingface.co" in url:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=120) as response:
        return response.read()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--dest", required=True)
    parser.add_argument("--mirror", default=os.environ.get("CULTURELENS_TEST_DATA_MIRROR", ""))
    parser.add_argument("--manifest", default=os.path.join(here, "test-data-manifest.json"))
    args = parser.parse_args()

    with open(args.manifest, encoding="utf-8") as handle:
        manifest = json.load(handle)
    token = os.environ.get("HF_TOKEN", "")
    fetched = present = 0
    failures = []
    for entry in manifest["files"]:
        target = os.path.join(args.dest, entry["path"])
        if os.path.exists(target):
            with open(target, "rb") as handle:
                if sha256(handle.read()) == entry["sha256"]:
                    present += 1
                    continue
        url = source_url(entry["url"], args.mirror)
        try:
            data = fetch(url, token)
        except (urllib.error.URLError, OSError) as error:
            failures.append(f"{entry['path']}: cannot fetch {url}: {error}")
            continue
        if "transform" in entry:
            data = transform(entry["transform"], data)
        actual = sha256(data)
        if actual != entry["sha256"]:
            failures.append(f"{entry['path']}: sha256 mismatch for {url}: expected {entry['sha256']}, got {actual}")
            continue
        os.makedirs(os.path.dirname(target), exist_ok=True)
        # Written whole, then renamed: an interrupted run never leaves a half file under the final name.
        descriptor, partial = tempfile.mkstemp(dir=os.path.dirname(target), prefix=".partial-")
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(partial, target)
        fetched += 1

    print(f"test data in {args.dest}: {fetched} fetched, {present} already present, {len(failures)} failed")
    for folder, reason in sorted(manifest.get("optional", {}).items()):
        state = "present" if os.path.isdir(os.path.join(args.dest, folder)) else "not fetched"
        print(f"  optional {folder} ({state}): {reason}")
    for failure in failures:
        print(f"error: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
