"""The Import page: upload activity files or a whole export archive; see each file's result.

Uploads are written to a private temporary folder under their own base names (never a path
from the browser) and handed to :func:`stridewise.importer.import_paths`, which reads, checks,
de-duplicates and stores them one transaction per file. The browser shows upload progress;
the answer is the per-file table.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePath

from fastapi import APIRouter, Request, UploadFile
from fastapi.responses import HTMLResponse

from stridewise.core.validation import MEASURE_CHECKS
from stridewise.importer import ImportReport, import_paths
from stridewise.web.deps import athlete_id_of, store_of
from stridewise.web.render import page

router = APIRouter()

ACCEPTED = ".fit,.gpx,.tcx,.csv,.zip,.gz,.FIT,.GPX,.TCX,.CSV,.ZIP,.GZ"
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]+")
UPLOAD_CHUNK_BYTES = 1 << 20

STATUS_WORDS = {"imported": "Imported", "duplicate": "Already there", "failed": "Could not read",
                "replaced": "Replaced by a richer copy"}


@dataclass(frozen=True)
class FileRow:
    name: str
    status: str
    status_words: str
    detail: str


def safe_name(filename: str | None, index: int) -> str:
    """The upload's base name with only harmless characters, unique by its position."""
    base = PurePath((filename or "").replace("\\", "/")).name
    cleaned = _UNSAFE_NAME.sub("_", base).strip(" .") or "upload"
    return f"{index:03d}-{cleaned}"


def display_name(source_name: str) -> str:
    """The name the person uploaded, without the temporary folder or the position prefix that
    :func:`safe_name` added (also for members of an uploaded archive)."""
    return re.sub(r"^\d{3}-", "", PurePath(source_name).name) or source_name


def report_rows(report: ImportReport) -> list[FileRow]:
    """One row per file. A file whose activity a later file of the same upload replaced (a GPX
    and a TCX of one run) is shown as replaced, so the rows count what is stored."""
    rows = []
    gone = set(report.replaced_ids)
    for result in report.files:
        name = display_name(result.source_name)
        status, detail = result.detail(gone)
        rows.append(FileRow(name, status, STATUS_WORDS.get(status, status), detail))
    return rows


def import_uploads(request: Request, uploads: list[UploadFile]) -> ImportReport:
    """Save the uploads to a temporary folder and import them."""
    with tempfile.TemporaryDirectory(prefix="stridewise-upload-") as folder:
        paths = []
        for index, upload in enumerate(uploads):
            target = Path(folder) / safe_name(upload.filename, index)
            with target.open("wb") as out:
                while chunk := upload.file.read(UPLOAD_CHUNK_BYTES):
                    out.write(chunk)
            paths.append(target)
        return import_paths(store_of(request), paths, athlete_id=athlete_id_of(request),
                            workers=1, checks=MEASURE_CHECKS)


@router.get("/import", response_class=HTMLResponse, name="import_page")
def import_page(request: Request) -> HTMLResponse:
    with store_of(request).transaction() as tx:
        history = tx.list_import_log(athlete_id_of(request))[-20:][::-1]
    return page(request, "import.html", title="Import", active="import_page", accepted=ACCEPTED,
                history=history, rows=None, status_words=STATUS_WORDS)


@router.post("/import", response_class=HTMLResponse, name="import_upload")
def import_upload(request: Request, files: list[UploadFile]) -> HTMLResponse:
    """Import the uploaded files. An HTMX request gets just the results table."""
    uploads = [f for f in files if f.filename]
    rows = report_rows(import_uploads(request, uploads)) if uploads else []
    if request.headers.get("HX-Request"):
        return page(request, "_import_results.html", title="Import results", rows=rows)
    with store_of(request).transaction() as tx:
        history = tx.list_import_log(athlete_id_of(request))[-20:][::-1]
    return page(request, "import.html", title="Import", active="import_page", accepted=ACCEPTED,
                history=history, rows=rows, status_words=STATUS_WORDS)
