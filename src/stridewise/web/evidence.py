"""The Evidence page: every metric's formula, reference and evidence grade, from the project's
own science notes (``docs/science/*.md``) or, when the package is installed without them, from
the docstrings of the science modules. One source of truth: the page never restates a formula."""

from __future__ import annotations

import importlib
import inspect
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from markdown_it import MarkdownIt
from markupsafe import Markup, escape
from starlette.responses import HTMLResponse

from stridewise.web.render import page

SCIENCE_MODULES: tuple[str, ...] = (
    "stridewise.science.screening",
    "stridewise.science.load",
    "stridewise.science.bone",
    "stridewise.science.benefits",
    "stridewise.science.pain",
    "stridewise.science.brain",
)

# src/stridewise/web/evidence.py -> repository root (present in a checkout, absent when installed).
DOCS_SCIENCE_DIR = Path(__file__).resolve().parents[3] / "docs" / "science"

_CODE_IN_BRACKETS = re.compile(r"\s*\(`[^`]*`\)")
_markdown = MarkdownIt("commonmark", {"html": False}).enable("table")


@dataclass(frozen=True)
class EvidenceSection:
    slug: str
    title: str
    body_html: Markup
    source: str


def _title_of_markdown(text: str, fallback: str) -> str:
    """The note's heading in plain words: a module name in brackets, such as
    "(`stridewise.science.bone`)", is for developers and is left out of the title."""
    for line in text.splitlines():
        if line.startswith("# "):
            title = _CODE_IN_BRACKETS.sub("", line[2:]).replace("`", "")
            return " ".join(title.split())
    return fallback


def _from_docs(docs_dir: Path) -> list[EvidenceSection]:
    sections = []
    for path in sorted(docs_dir.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        sections.append(
            EvidenceSection(
                slug=path.stem,
                title=_title_of_markdown(text, path.stem.replace("_", " ").capitalize()),
                body_html=Markup(_markdown.render(text)),
                source=f"docs/science/{path.name}",
            )
        )
    return sections


def _docstring_html(doc: str) -> str:
    return f'<div class="docstring">{escape(inspect.cleandoc(doc))}</div>'


def _from_docstrings(module_names: tuple[str, ...]) -> list[EvidenceSection]:
    sections = []
    for name in module_names:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        short = name.rsplit(".", 1)[-1]
        parts = [f"<h1>{escape(short.capitalize())}</h1>", _docstring_html(module.__doc__ or "")]
        public = getattr(module, "__all__", None) or [
            n for n, obj in vars(module).items()
            if not n.startswith("_") and inspect.isfunction(obj) and obj.__module__ == name
        ]
        for attr in public:
            obj = getattr(module, attr, None)
            if obj is None or not inspect.getdoc(obj) or not callable(obj):
                continue
            parts.append(f"<h2>{escape(attr)}</h2>{_docstring_html(inspect.getdoc(obj) or '')}")
        sections.append(
            EvidenceSection(
                slug=short, title=short.capitalize(), body_html=Markup("".join(parts)),
                source=f"{name} docstrings",
            )
        )
    return sections


@lru_cache(maxsize=4)
def evidence_sections(docs_dir: Path = DOCS_SCIENCE_DIR) -> tuple[EvidenceSection, ...]:
    """The notes from ``docs_dir`` when it has any, else the science docstrings."""
    if docs_dir.is_dir() and any(docs_dir.glob("*.md")):
        return tuple(_from_docs(docs_dir))
    return tuple(_from_docstrings(SCIENCE_MODULES))


router = APIRouter()


@router.get("/evidence", response_class=HTMLResponse, name="evidence_page")
def evidence_page(request: Request) -> HTMLResponse:
    return page(request, "evidence.html", title="Evidence", active="evidence_page",
                sections=evidence_sections())


@router.get("/evidence/{slug}", response_class=HTMLResponse, name="evidence_section")
def evidence_section(request: Request, slug: str) -> HTMLResponse:
    for section in evidence_sections():
        if section.slug == slug:
            return page(request, "evidence_section.html", title=section.title,
                        active="evidence_page", section=section)
    raise HTTPException(status_code=404, detail="No such evidence note.")
