#!/usr/bin/env python3
"""Regenerates the README's property table from the generated configuration metadata.

Run after `./mvnw -pl memory-guard-spring-boot-autoconfigure compile`; ReadmePropertyTableTests
fails when the table and the metadata disagree.
"""
import json
import pathlib
import re

root = pathlib.Path(__file__).resolve().parent.parent
metadata = json.loads((root / "memory-guard-spring-boot-autoconfigure/target/classes/META-INF/spring-configuration-metadata.json").read_text())
cache_rows = [
    ("memory-guard.caches.<name>.max-entries", "none", "Maximum number of entries of the cache `<name>`."),
    ("memory-guard.caches.<name>.max-size", "none", "Maximum estimated size of its entries (a DataSize such as `64MB`), weighed by an object size estimator."),
    ("memory-guard.caches.<name>.expire-after-write", "none", "Time after which an entry expires once written."),
    ("memory-guard.caches.<name>.expire-after-access", "none", "Time after which an entry expires once last read or written."),
]

def fmt_default(prop):
    value = prop.get("defaultValue")
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "`%s`" % str(value).lower()
    if isinstance(value, float):
        return "`%.2f`" % value
    return "`%s`" % value

rows = ["| property | default | description |", "|---|---|---|"]
for prop in sorted(metadata["properties"], key=lambda p: p["name"]):
    if not prop["name"].startswith("memory-guard."):
        continue
    if prop["name"] == "memory-guard.caches":
        for name, default, description in cache_rows:
            rows.append("| `%s` | %s | %s |" % (name, default, description))
        continue
    description = re.sub(r"\s+", " ", prop.get("description", "")).replace("|", "\\|")
    rows.append("| `%s` | %s | %s |" % (prop["name"], fmt_default(prop), description))

readme = (root / "README.md").read_text()
start, end = "<!-- properties:start -->", "<!-- properties:end -->"
before, rest = readme.split(start, 1)
_, after = rest.split(end, 1)
(root / "README.md").write_text(before + start + "\n" + "\n".join(rows) + "\n" + end + after)
print("README property table: %d rows" % (len(rows) - 2))
