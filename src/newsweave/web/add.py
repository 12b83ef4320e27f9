"""Adding articles: the ``/add`` page (upload files or paste text, then a progress page) and
``POST /api/articles`` for programs. Both go through :mod:`newsweave.web.guard` (who may write, how much)
and :class:`newsweave.web.writes.Writer` (the one writer, the library pipeline)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsweave.model import Rejected
from newsweave.web.guard import check_form_secret, check_write, read_body, replay, same_origin
from newsweave.web.writes import (
    BODY_NAME,
    PASTED_NAME,
    UPLOAD_PREFIX,
    Job,
    WriteOptions,
    WriterClosed,
    upload_name,
    upload_refusal,
)

router = APIRouter()
Blobs = list[tuple[str, bytes]]
# Form fields besides the files: text, source, prepare, token, the form secret (a margin for browsers' extras).
MAX_FORM_FIELDS = 16
BODY_FORMATS = {"application/json": "json", "application/x-ndjson": "jsonl", "text/plain": "text"}


async def _parse_upload(request: Request, wo: WriteOptions) -> tuple[Blobs, list[Rejected], dict[str, str]]:
    """The files and fields of a multipart/form-data body (read within the limits)."""
    body = await read_body(request, wo.max_request_bytes)
    try:
        form = await replay(request, body).form(
            max_files=wo.max_files, max_fields=MAX_FORM_FIELDS, max_part_size=wo.max_paste_bytes
        )
    except Exception as e:  # the parser's own refusals (too many files or fields, broken multipart)
        cause = e.detail if isinstance(e, StarletteHTTPException) else str(e)
        raise HTTPException(400, f"cannot read the form: {cause} (limits: {wo.max_files} files, "
                                 f"{wo.max_paste_bytes} bytes of text in a field)") from e  # fmt: skip
    blobs: Blobs = []
    refused: list[Rejected] = []
    fields: dict[str, str] = {}
    index = 0
    for key, value in form.multi_items():
        if isinstance(value, UploadFile):
            if not value.filename and not value.size:
                continue  # the browser's empty file field
            index += 1
            name = upload_name(value.filename, index)
            data = await value.read(wo.max_file_bytes + 1)
            why = upload_refusal(name.removeprefix(UPLOAD_PREFIX), len(data), wo)
            if why:
                refused.append(Rejected(name, "", why))
            else:
                blobs.append((name, data))
        else:
            fields[key] = value
    await form.close()
    text = fields.get("text", "")
    if text.strip():
        blobs.append(_pasted(text, wo))
    return blobs, refused, fields


def _pasted(text: str, wo: WriteOptions) -> tuple[str, bytes]:
    data = text.replace("\r\n", "\n").encode("utf-8")
    if len(data) > wo.max_paste_bytes:
        raise HTTPException(
            413, f"pasted text of {len(data)} bytes is over the limit of {wo.max_paste_bytes} bytes"
        )
    return PASTED_NAME, data


def _source(value: str | None) -> str | None:
    value = (value or "").strip()
    if len(value) > 200:
        raise HTTPException(400, "source: an outlet name of at most 200 characters")
    return value or None


def _prepare(value: str | None) -> bool | None:
    """The form's ``prepare`` field: on, off, or None (not sent: the server's choice, ``serve --prepare``)."""
    if value is None or not value.strip():
        return None
    choice = value.strip().lower()
    if choice in ("1", "true", "on", "yes"):
        return True
    if choice in ("0", "false", "off", "no"):
        return False
    raise HTTPException(400, f"prepare: one of 1/true/on or 0/false/off, not {value[:40]!r}")


def _submit(
    request: Request,
    blobs: Blobs,
    refused: list[Rejected],
    source: str | None,
    fmt: str | None = None,
    prepare: bool | None = None,
) -> Job:
    if not blobs and not refused:
        raise HTTPException(400, "nothing to add: upload files or paste the text of an article")
    try:
        job: Job = request.app.state.writer.submit(blobs, refused, source, fmt, prepare)
    except WriterClosed as e:  # a request that came in while the server stops: try again later
        raise HTTPException(503, str(e), headers={"Retry-After": "30"}) from e
    return job


@router.get("/add", response_class=HTMLResponse, include_in_schema=False)
def add_page(request: Request) -> HTMLResponse:
    from newsweave.web.pages import render

    state = request.app.state
    return render("add.html.j2", secret=state.form_secret, wo=state.write_options, prepare=state.write_options.prepare,
                  writable=state.options.writable, needs_token=bool(state.write_options.token),
                  refused=None if state.write_options.token or state.write_options.loopback else
                  "this server is bound to a non-loopback address without a token: adding articles is off")  # fmt: skip


@router.post("/add", include_in_schema=False)
async def add_form(request: Request) -> Response:
    state = request.app.state
    if not state.write_options.token:
        check_write(request)  # complete without a token: refuse before reading the body
    elif not same_origin(request) or not state.options.writable:
        check_write(request)
    blobs, refused, fields = await _parse_upload(request, state.write_options)
    check_form_secret(request, fields.get("csrf"))
    check_write(request, fields.get("token") or None)
    job = _submit(
        request, blobs, refused, _source(fields.get("source")), prepare=_prepare(fields.get("prepare"))
    )
    return RedirectResponse(f"/add/{job.id}", status_code=303)


@router.get("/add/{job_id}", response_class=HTMLResponse, include_in_schema=False)
def job_page(job_id: str, request: Request) -> HTMLResponse:
    from newsweave.web.pages import render

    job = _job(request, job_id)
    return render("job.html.j2", job=job.to_dict(), running=job.state in ("queued", "running"))


@router.post(
    "/api/articles",
    tags=["api"],
    summary="Add articles: files (multipart, field 'files'), pasted text (field 'text'), a JSON export "
    "(application/json) or one text article (text/plain); as newsweave add does",
    status_code=201,
    responses={
        202: {"description": "Queued (wait=false): poll the job's url"},
        400: {"description": "Nothing to add, or a form that cannot be read"},
        401: {"description": "A token is needed, or the one given is wrong"},
        403: {"description": "Read-only server, cross-site request, or no token on a non-loopback bind"},
        413: {"description": "Body, file or pasted text over the limit"},
        415: {"description": "A content type the API does not read"},
    },  # fmt: skip
)
async def add_api(
    request: Request,
    source: str | None = Query(None, description="Outlet name forced on every article (as add --source)."),
    wait: bool = Query(True, description="Answer when the articles are stored, analysed and in stories."),
    prepare: bool | None = Query(
        None,
        description="Then compare the stories touched and store their comparisons, as add --prepare does "
        "(default: the server's serve --prepare).",
    ),
) -> JSONResponse:
    state = request.app.state
    wo: WriteOptions = state.write_options
    check_write(request)
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    fmt = None
    if kind in ("multipart/form-data", "application/x-www-form-urlencoded"):
        blobs, refused, fields = await _parse_upload(request, wo)
        source = source or fields.get("source")
        prepare = _prepare(fields.get("prepare")) if prepare is None else prepare
    elif kind in BODY_FORMATS:
        body = await read_body(request, min(wo.max_request_bytes, wo.max_file_bytes))
        blobs, refused = [(BODY_NAME, body)], []
        fmt = BODY_FORMATS[kind]
        if kind == "application/json":
            _check_json(body)
    else:
        raise HTTPException(415, "send multipart/form-data (files, text), application/json, "
                                 "application/x-ndjson or text/plain")  # fmt: skip
    job = _submit(request, blobs, refused, _source(source), fmt, prepare)
    url = str(request.url_for("job_api", job_id=job.id))
    if not wait:
        return JSONResponse(job.to_dict() | {"url": url}, status_code=202, headers={"Location": url})
    assert job.future is not None
    await asyncio.wrap_future(job.future)
    status = 500 if job.state == "failed" else 201 if job.added else 200
    return JSONResponse(job.to_dict() | {"url": url}, status_code=status)


def _check_json(body: bytes) -> None:
    """A JSON body that does not parse is refused at once (400) rather than as a rejected upload."""
    try:
        json.loads(body)
    except ValueError as e:
        raise HTTPException(400, f"the JSON body does not parse: {e}") from e
    except RecursionError as e:
        raise HTTPException(400, "the JSON body is nested too deeply to read") from e


@router.get(
    "/api/jobs/{job_id}", tags=["api"], name="job_api", summary="An add job: progress and what it added"
)
def job_api(job_id: str, request: Request) -> dict[str, Any]:
    return _job(request, job_id).to_dict()


def _job(request: Request, job_id: str) -> Job:
    writer = getattr(request.app.state, "writer", None)
    job = writer.get(job_id) if writer is not None else None
    if job is None:
        raise HTTPException(404, f"no job {job_id} (jobs are kept while the server runs, the last 100)")
    return job
