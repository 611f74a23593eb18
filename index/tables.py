"""Tables in a framework: Markdown pipe tables and HTML ``<table>`` -> cells, and a level matrix
(one column, or one row, per level) -> one bullet per cell item, with its level and dimension.

Whether a table is a ladder is decided by :func:`layouts.level_axis` on its header row (one
column per level) or else on its first column (one row per level); any other table is not a
ladder and the parser reports it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from markdown_it.token import Token

from .layouts import LevelName, axis_numbers, dimension_name, level_axis, level_name

__all__ = ["Cell", "MatrixBullet", "Table", "html_tables", "matrix_bullets", "pipe_table"]

_BULLET = re.compile(r"^(?:[-*+]|\d+[.)])\s+")
_BR = re.compile(r"<br\s*/?>|\s•\s|^•\s", re.I)


@dataclass(slots=True)
class Cell:
    """One cell: its Markdown source, the items it lists (``<li>`` or ``<br>``-separated
    lines), whether it is all bold or all italic, and its line in the file."""

    text: str
    line: int
    items: list[tuple[str, int]] = field(default_factory=list)
    bold: bool = False
    italic: bool = False


@dataclass(slots=True)
class Table:
    header: list[Cell]
    rows: list[list[Cell]]
    line: int


@dataclass(frozen=True, slots=True)
class MatrixBullet:
    """One item of a level matrix: a bullet of ``level`` in ``dimension``."""

    level: LevelName
    level_num: float
    dimension: str
    text: str
    line: int


def _emphasis(text: str) -> tuple[bool, bool]:
    t = text.strip()
    bold = bool(re.fullmatch(r"(\*\*|__)[^*_].*?\1:?", t, re.S))
    italic = not bold and bool(re.fullmatch(r"([*_])[^*_].*?\1:?", t, re.S))
    return bold, italic


def _split_items(text: str, line: int) -> list[tuple[str, int]]:
    return [(part.strip(), line) for part in _BR.split(text) if part and part.strip()]


def pipe_table(tokens: list[Token]) -> Table:
    """A Markdown pipe table (the tokens between ``table_open`` and ``table_close``)."""
    header: list[Cell] = []
    rows: list[list[Cell]] = []
    current: list[Cell] | None = None
    in_head = False
    row_line = 0
    first = next((t.map[0] + 1 for t in tokens if t.map), 0)
    for i, tok in enumerate(tokens):
        if tok.type == "thead_open":
            in_head = True
        elif tok.type == "thead_close":
            in_head = False
        elif tok.type == "tr_open":
            current = []
            row_line = tok.map[0] + 1 if tok.map else row_line + 1
        elif tok.type == "tr_close" and current is not None:
            if in_head:
                header = current
            else:
                rows.append(current)
            current = None
        elif tok.type == "inline" and current is not None:
            bold, italic = _emphasis(tok.content)
            current.append(Cell(tok.content, row_line, _split_items(tok.content, row_line), bold, italic))
        elif tok.type in ("th_close", "td_close") and current is not None and tokens[i - 1].nesting == 1:
            current.append(Cell("", row_line))
    return Table(header, rows, first)


class _HtmlTables(HTMLParser):
    """Cells, ``<li>`` items and line numbers of every ``<table>`` in an HTML block."""

    def __init__(self, first_line: int):
        super().__init__(convert_charrefs=True)
        self.first_line = first_line
        self.tables: list[Table] = []
        self.outside: list[str] = []
        self._depth = 0
        self._row: list[Cell] | None = None
        self._row_is_head = False
        self._cell: Cell | None = None
        self._item: list[str] | None = None
        self._item_line = 0
        self._marks: list[str] = []
        self._cell_start = 0

    def _line(self) -> int:
        return self.first_line + self.getpos()[0] - 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._depth += 1
            if self._depth == 1:
                self.tables.append(Table([], [], self._line()))
        elif not self._depth:
            return
        elif tag == "tr":
            self._row, self._row_is_head = [], False
        elif tag in ("td", "th") and self._row is not None:
            self._cell = Cell("", self._line())
            self._cell_start = 0
            self._row_is_head = self._row_is_head or tag == "th"
        elif tag == "li" and self._cell is not None:
            self._end_item()
            self._item, self._item_line = [], self._line()
        elif tag == "br" and self._cell is not None:
            self._text("\n")
        elif tag in ("strong", "b", "em", "i") and self._cell is not None:
            self._marks.append(tag)
            self._text("**" if tag in ("strong", "b") else "_")

    def handle_endtag(self, tag: str) -> None:
        if not self._depth:
            return
        if tag == "table":
            self._depth -= 1
            table = self.tables[-1]
            if not self._depth and not table.header and table.rows:
                table.header = table.rows.pop(0)  # no <th>: the first row names the columns
        elif tag == "li":
            self._end_item()
        elif tag in ("strong", "b", "em", "i") and self._cell is not None:
            self._text("**" if tag in ("strong", "b") else "_")
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._end_item()
            cell = self._cell
            lines = cell.text.split("\n")
            loose = [t for t in lines if t.strip()]
            if not cell.items:  # lines of text, or a Markdown list written inside the cell
                start = self._cell_start or cell.line
                cell.items = [(_BULLET.sub("", t.strip()), start + k) for k, t in enumerate(lines) if t.strip()]
            cell.text = " ".join(t.strip() for t in loose)
            cell.bold, cell.italic = _emphasis(cell.text)
            self._row.append(cell)
            self._cell = None
        elif tag == "tr" and self._row is not None and self.tables:
            table = self.tables[-1]
            if self._row_is_head and not table.header and not table.rows:
                table.header = self._row
            else:
                table.rows.append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if not self._depth:
            if data.strip():
                self.outside.append(data)
            return
        self._text(data)

    def _text(self, data: str) -> None:
        if self._item is not None:
            self._item.append(data)
        elif self._cell is not None:
            if not self._cell.text:
                self._cell_start = self._line()  # where the cell's text begins
            self._cell.text += data

    def _end_item(self) -> None:
        if self._item is not None and self._cell is not None:
            text = " ".join("".join(self._item).split())
            if text:
                self._cell.items.append((text, self._item_line))
        self._item = None


def html_tables(raw: str, first_line: int) -> tuple[list[Table], str]:
    """The ``<table>`` elements of an HTML block, and the text found outside them."""
    parser = _HtmlTables(first_line)
    parser.feed(raw)
    parser.close()
    return parser.tables, " ".join(" ".join(parser.outside).split())


def matrix_bullets(table: Table, dimension: str) -> list[MatrixBullet] | None:
    """The bullets of a level matrix, or None when the table is not one.

    Args:
        table: the table.
        dimension: the dimension the table sits under (its heading), used when its rows
            carry no name of their own.
    """
    header = [c.text for c in table.header]
    start, axis = 1, level_axis(header[1:])
    if header and level_name(header[0]) is not None and level_axis(header) is not None:
        start, axis = 0, level_axis(header)
    if axis is not None:
        levels = [lv for lv in axis if lv is not None]
        numbers = dict(zip([id(lv) for lv in levels], axis_numbers(levels), strict=True))
        out: list[MatrixBullet] = []
        group = ""
        for row in table.rows:
            label = row[0] if row and start else None
            cells = row[start:]
            if label is not None and label.text.strip() and not any(c.text.strip() for c in cells):
                group = dimension_name(_plain(label.text))  # a row naming a group of competencies
                continue
            name = dimension_name(_plain(label.text)) if label is not None else ""
            dim = name or group or dimension
            for lv, cell in zip(axis, cells, strict=False):
                if lv is None:
                    continue
                for text, line in cell.items:
                    out.append(MatrixBullet(lv, numbers[id(lv)], dim, text, line))
        return out
    rows_axis = level_axis([r[0].text for r in table.rows if r]) if len(header) >= 2 else None
    if rows_axis is None:
        return None
    levels = [lv for lv in rows_axis if lv is not None]
    numbers = dict(zip([id(lv) for lv in levels], axis_numbers(levels), strict=True))
    dims = [dimension_name(_plain(c.text)) or dimension for c in table.header]
    out = []
    for lv, row in zip(rows_axis, [r for r in table.rows if r], strict=True):
        if lv is None:
            continue
        for dim, cell in zip(dims[1:], row[1:], strict=False):
            for text, line in cell.items:
                out.append(MatrixBullet(lv, numbers[id(lv)], dim, text, line))
    return out


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[*_`]+|<[^>]*>", " ", text).split())
