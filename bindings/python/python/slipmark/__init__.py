"""slipmark: receipt templates to exactly what a receipt printer needs.

Compile a template once, render it many times (from any number of threads)::

    import slipmark
    t = slipmark.Template.from_file("templates/takeaway.slip")
    job = t.render({"order": {...}}, printer="K4-WA")
    job.content      # the string for the print API
    job.preview      # what the paper will look like

Errors are :class:`SlipmarkError`, carrying the diagnostics (kind, message, file, line,
column, span, hint) of the first error and the full list in ``diagnostics``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Tuple, Union

from . import _native

__all__ = [
    "Diagnostic",
    "Job",
    "Rendered",
    "SlipmarkError",
    "Template",
    "compile",
    "printers",
]


@dataclass(frozen=True)
class Diagnostic:
    """An error or warning, with its position in the template (or an include)."""

    severity: str
    kind: str
    message: str
    file: Optional[str]
    line: Optional[int]
    column: Optional[int]
    span: Optional[Tuple[int, int]]
    hint: Optional[str]
    rendered: str

    def __str__(self) -> str:
        return self.rendered


class SlipmarkError(Exception):
    """A template, data or printer error. Its fields are those of the first diagnostic."""

    def __init__(self, diagnostics: List[Diagnostic]):
        self.diagnostics = diagnostics
        first = diagnostics[0] if diagnostics else None
        self.kind = first.kind if first else "unknown"
        self.message = first.message if first else "unknown error"
        self.file = first.file if first else None
        self.line = first.line if first else None
        self.column = first.column if first else None
        self.span = first.span if first else None
        self.hint = first.hint if first else None
        super().__init__("\n".join(d.rendered for d in diagnostics) or self.message)


def _diagnostic(d: Dict[str, Any]) -> Diagnostic:
    span = d.pop("span", None)
    return Diagnostic(span=(span["start"], span["end"]) if span else None, **d)


def _diagnostics(items: List[Dict[str, Any]]) -> List[Diagnostic]:
    return [_diagnostic(dict(d)) for d in items]


def _value(envelope: str) -> Any:
    answer = json.loads(envelope)
    if not answer["ok"]:
        raise SlipmarkError(_diagnostics(answer["diagnostics"]))
    return answer["value"]


@dataclass(frozen=True)
class Job:
    """One job for the printer: ``content`` (text) or ``data`` (bytes, e.g. ESC/POS)."""

    kind: str
    content: Optional[str] = None
    data: Optional[bytes] = None


@dataclass(frozen=True)
class Rendered:
    """A rendered receipt."""

    printer: str
    columns: int
    jobs: List[Job]
    preview: str
    warnings: List[Diagnostic]
    settings: Dict[str, Any] = field(default_factory=dict)

    @property
    def content(self) -> Optional[str]:
        """The text content of a one-job receipt (what a cloud print API takes)."""
        return self.jobs[0].content if len(self.jobs) == 1 else None


def _job(j: Dict[str, Any]) -> Job:
    import base64

    data = base64.b64decode(j["bytes_base64"]) if "bytes_base64" in j else None
    return Job(kind=j["kind"], content=j.get("content"), data=data)


class Template:
    """A compiled template: immutable and thread-safe; rendering releases the GIL."""

    __slots__ = ("_native",)

    def __init__(
        self,
        source: str,
        name: str = "template.slip",
        includes: Optional[Mapping[str, str]] = None,
        include_dir: Optional[Union[str, os.PathLike]] = None,
    ):
        request = {
            "name": name,
            "source": source,
            "includes": dict(includes) if includes is not None else None,
            "include_dir": os.fspath(include_dir) if include_dir is not None else None,
        }
        native, failure = _native.compile(json.dumps(request))
        if native is None:
            _value(failure)
        self._native = native

    @classmethod
    def from_file(
        cls, path: Union[str, os.PathLike], include_dir: Optional[Union[str, os.PathLike]] = None
    ) -> "Template":
        """Reads and compiles a template file; includes load from ``include_dir`` (default: the
        file's folder)."""
        path = os.fspath(path)
        with open(path, encoding="utf-8") as f:
            source = f.read()
        if include_dir is None:
            include_dir = os.path.dirname(os.path.abspath(path))
        return cls(source, name=path, include_dir=include_dir)

    @property
    def name(self) -> str:
        """The template's name (used in diagnostics)."""
        return self._native.name

    def render(
        self,
        data: Union[Mapping[str, Any], str, None] = None,
        printer: str = "",
        paper: Optional[str] = None,
        deny_warnings: bool = False,
    ) -> Rendered:
        """Renders with ``data`` (a mapping, or JSON text) for ``printer`` (a family id or model
        number such as ``"K4-WA"``, or ``"generic"``; default: the CLI's default printer)."""
        text = data if isinstance(data, str) else json.dumps(data if data is not None else {})
        request = {"printer": printer, "paper": paper, "deny_warnings": deny_warnings}
        v = _value(self._native.render(text, json.dumps(request)))
        return Rendered(
            printer=v["printer"],
            columns=v["columns"],
            jobs=[_job(j) for j in v["jobs"]],
            preview=v["preview"],
            warnings=_diagnostics(v["warnings"]),
            settings=v["settings"],
        )

    def schema(self) -> Dict[str, Any]:
        """The JSON Schema (2020-12) of the data this template reads."""
        return json.loads(self._native.schema())

    def check(self, data: Union[Mapping[str, Any], str, None] = None) -> List[Diagnostic]:
        """Binds to ``data`` (or ``{}``) and returns every error found (empty: it binds)."""
        text = None if data is None else data if isinstance(data, str) else json.dumps(data)
        return _diagnostics(_value(self._native.check(text)))


def compile(
    source: str,
    name: str = "template.slip",
    includes: Optional[Mapping[str, str]] = None,
    include_dir: Optional[Union[str, os.PathLike]] = None,
) -> Template:
    """Compiles a template from text (includes from ``includes``, a name → text mapping, or
    ``include_dir``; none otherwise)."""
    return Template(source, name=name, includes=includes, include_dir=include_dir)


def printers() -> List[Dict[str, Any]]:
    """The printers of the built-in catalogue, then the ``generic`` preview profile."""
    return _value(_native.printers())
