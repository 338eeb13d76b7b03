"""Rerunning one benchmark section keeps the others in docs/benchmarks.md (issue 9)."""

from __future__ import annotations

from pathlib import Path

from bench.__main__ import merge, split_sections

LEGACY = """# Benchmarks

Machine: x86_64, 2026-11-21.

## FIT decoding (records/s)

| a | b |

_bench_fit took 155 s._

## Batch import (bench_import)

1000 files.

_bench_import took 32 s._

## XML readers (GPX, TCX)

old xml numbers

_bench_xml took 37 s._
"""


def test_legacy_file_is_split_by_its_trailers() -> None:
    sections = split_sections(LEGACY)
    assert list(sections) == ["bench_fit", "bench_import", "bench_xml"]
    assert sections["bench_import"].startswith("## Batch import")
    assert sections["bench_import"].endswith("_bench_import took 32 s on 2026-11-21._")


def test_one_section_rerun_keeps_the_others(tmp_path: Path) -> None:
    doc = tmp_path / "benchmarks.md"
    doc.write_text(LEGACY)
    doc.write_text(merge(doc.read_text(), {"bench_xml": "## XML readers\n\nnew xml numbers"},
                         "# Benchmarks\n\n"))
    text = doc.read_text()
    assert "new xml numbers" in text
    assert "old xml numbers" not in text
    assert "1000 files." in text and "| a | b |" in text
    # A second rerun of another section, now on the marked format, keeps all three.
    doc.write_text(merge(doc.read_text(), {"bench_fit": "## FIT\n\nnew fit"}, "# Benchmarks\n\n"))
    sections = split_sections(doc.read_text())
    assert list(sections) == ["bench_fit", "bench_import", "bench_xml"]
    assert sections["bench_fit"] == "## FIT\n\nnew fit"
    assert sections["bench_xml"] == "## XML readers\n\nnew xml numbers"
    assert "1000 files." in sections["bench_import"]


def test_new_module_is_added_in_name_order() -> None:
    text = merge(LEGACY, {"bench_corpus": "## Corpus"}, "# B\n\n")
    assert list(split_sections(text)) == ["bench_corpus", "bench_fit", "bench_import",
                                          "bench_xml"]
