#!/usr/bin/env python3
"""Assembles README.md feature sections from docs/readme/*.md and docs/benchmarks.md from
docs/benchmarks/*.md, in a fixed reading order. Run after editing any of those parts."""
import pathlib

root = pathlib.Path(__file__).resolve().parent.parent
readme_order = ["jobs", "web", "observe", "container", "caches", "jdbc", "leak", "dashboard", "aot", "test-support", "how-it-measures", "safety"]
bench_order = ["core", "jobs", "caches", "jdbc"]

def ordered(folder, order):
    parts = {p.stem: p for p in (root / folder).glob("*.md")}
    names = [n for n in order if n in parts] + sorted(n for n in parts if n not in order)
    return [parts[n].read_text().strip() + "\n" for n in names]

readme = (root / "README.md").read_text()
start, end = "<!-- sections:start -->", "<!-- sections:end -->"
if start not in readme:
    readme = readme.replace("<!-- sections -->", start + "\n" + end)
before, rest = readme.split(start, 1)
_, after = rest.split(end, 1)
body = "\n".join(ordered("docs/readme", readme_order))
(root / "README.md").write_text(before + start + "\n" + body + end + after)

bench = ["# Benchmarks\n",
         "Figures measured on the project's machine kind (2 cores, shared and noisy): every table"
         " compares alternatives side by side in one run and quotes ratios; each section gives the"
         " command that reproduces it.\n"]
(root / "docs/benchmarks.md").write_text("\n".join(bench + ordered("docs/benchmarks", bench_order)))
print("stitched README sections and docs/benchmarks.md")
