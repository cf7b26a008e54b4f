"""The one YAML reader for rule files, waiver files and column-mapping files.

It reads a file as plain data that remembers its line numbers (`YMap`, `YList`, scalars) and
refuses, with the line, whatever could crash or stall the reader: a file larger than 10 MB,
bytes that are not UTF-8, control characters, nesting deeper than 100 levels, aliases that
expand past a budget (an alias bomb), more than one document, and any tag but the standard
ones (map, seq, str, int, float, bool, null, timestamp). The document is built from the
parser's events with an explicit stack, so no depth of nesting reaches Python's recursion
limit, and no tag ever constructs a Python object.

Scalars are read either `typed` (YAML's implicit types: 12 is an int, 2026-12-31 a date) or
as text, as written (`0012` stays "0012"; blank, `~` and `null` are None).

This module needs nothing but PyYAML, so every command can read these files cheaply.
"""

from __future__ import annotations

import os
import re
from typing import Any

import yaml
import yaml.constructor
import yaml.resolver

from esg_audit.limits import MAX_ALIAS_NODES, MAX_FILE_BYTES, MAX_NESTING

MAX_BYTES = MAX_FILE_BYTES
MAX_DEPTH = MAX_NESTING
_SMALL_TEXT = 1024 * 1024  # below this, a syntax error is described by the pure-Python parser

_TAG = "tag:yaml.org,2002:"
SCALAR_TAGS = frozenset(_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp"))
MAP_TAG = _TAG + "map"
SEQ_TAG = _TAG + "seq"
STR_TAG = _TAG + "str"
NULL_TAG = _TAG + "null"
MERGE_TAG = _TAG + "merge"
_NULL_WORDS = frozenset(("", "~", "null", "Null", "NULL"))

# Characters YAML itself does not allow (C0 controls but tab, LF and CR; DEL; C1 controls but
# NEL; and the two non-characters U+FFFE and U+FFFF).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")
_CONTROL_NAMES = {
    0: "NUL", 7: "BEL", 8: "BS", 11: "VT", 12: "FF", 27: "ESC", 0x7F: "DEL",
}

# libyaml's parser where it is installed: about ten times faster than the pure-Python one.
_Parser: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlError(Exception):
    """A file is not readable as YAML, or holds something these files do not allow."""

    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.message = message
        self.line = line


class YMap(dict):  # type: ignore[type-arg]
    """A YAML mapping: a dict with the line of the mapping and of each of its keys (1-based)."""

    line: int = 1
    key_lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        return getattr(self, "key_lines", {}).get(key, self.line)


class YList(list):  # type: ignore[type-arg]
    """A YAML sequence: a list with the line of the sequence and of each item (1-based)."""

    line: int = 1
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        lines = getattr(self, "item_lines", ())
        return lines[index] if 0 <= index < len(lines) else self.line


def read_yaml_file(path: str | os.PathLike[str], what: str, typed: bool = True) -> tuple[Any, bytes]:
    """Read and parse one YAML file (`what` names it in messages, e.g. "waiver file"): the
    document and the file's bytes (for its checksum).

    Raises YamlError with the 1-based line where there is one; an unreadable file raises
    YamlError with no line."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise YamlError(f"cannot read {what}: {error.strerror or error}", None) from None
    if len(raw) > MAX_BYTES:
        line = raw.count(b"\n", 0, MAX_BYTES) + 1
        raise YamlError(f"{what} is larger than {MAX_BYTES // (1024 * 1024)} MB; it passes the limit on this line", line)
    return parse_yaml(decode(raw, what), what, typed), raw


def decode(raw: bytes, what: str) -> str:
    """UTF-8 text (a byte-order mark is dropped); YamlError with the line of the first bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise YamlError(f"a {what} must be UTF-8 text ({error.reason} at byte {error.start})", line) from None


def _refuse_control_characters(text: str, what: str) -> None:
    found = _CONTROL.search(text)
    if found:
        code = ord(found.group())
        name = _CONTROL_NAMES.get(code)
        shown = f"U+{code:04X}" + (f" ({name})" if name else "")
        line = text.count("\n", 0, found.start()) + 1
        raise YamlError(f"control character {shown} is not allowed in a {what}", line)


def parse_yaml(text: str, what: str = "rule file", typed: bool = True) -> Any:
    """Parse one YAML document into YMap/YList/scalars (None for an empty document)."""
    if len(text) > MAX_BYTES:
        raise YamlError(f"{what} is larger than {MAX_BYTES // (1024 * 1024)} MB", None)
    _refuse_control_characters(text, what)
    loader = _Parser(text)
    try:
        return _Composer(loader, what, typed).document()
    except yaml.YAMLError as error:
        raise _syntax_error(error, text, what) from None
    finally:
        loader.dispose()


def _syntax_error(error: yaml.YAMLError, text: str, what: str) -> YamlError:
    if "maximum nesting depth" in str(error):  # libyaml's own limit, met while scanning ahead
        mark = getattr(error, "problem_mark", None)
        return YamlError(f"{what} nests deeper than {MAX_DEPTH} levels", mark.line + 1 if mark else None)
    # libyaml's messages are terse; for a file of ordinary size the pure-Python parser, run
    # over the events only (it keeps no recursion), says more about what is wrong.
    if len(text) <= _SMALL_TEXT and _Parser is not yaml.SafeLoader:
        try:
            loader = yaml.SafeLoader(text)
            try:
                while loader.check_event():
                    loader.get_event()
            finally:
                loader.dispose()
        except yaml.YAMLError as slow:
            error = slow
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        problem = error.problem or str(error)
        if error.context:
            problem = f"{error.context}: {problem}"
        return YamlError(f"invalid YAML: {problem}", mark.line + 1 if mark else None)
    if isinstance(error, yaml.reader.ReaderError):
        line = text.count("\n", 0, error.position) + 1
        return YamlError(f"invalid YAML: {error.reason}", line)
    return YamlError(f"invalid YAML: {error}", None)


def _tag_name(tag: str) -> str:
    return "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag


class _Frame:
    """A mapping or sequence being built."""

    __slots__ = ("value", "is_map", "anchor", "height", "key", "key_line", "merged", "written", "nodes")

    def __init__(self, value: Any, anchor: str | None, nodes: int):
        self.value = value
        self.is_map = isinstance(value, YMap)
        self.anchor = anchor
        self.height = 1  # levels of collections in this value, itself included
        self.nodes = nodes  # the node count when it started, for the size of an anchor
        self.key: Any = _NO_KEY
        self.key_line = 0
        self.merged: set[Any] = set()  # keys that came from a merge (`<<`), which may be overridden
        self.written: set[Any] = set()


_NO_KEY = object()
_MERGE = object()


class _Composer:
    """Builds plain data from parser events, tracking lines, depth and alias expansion."""

    def __init__(self, loader: Any, what: str, typed: bool):
        self.loader = loader
        self.what = what
        self.typed = typed
        self.anchors: dict[str, tuple[Any, int, int]] = {}  # name -> (value, node count, height)
        self.nodes = 0
        self.expanded = 0
        self.resolver = yaml.resolver.Resolver() if typed else None
        self.constructor = yaml.constructor.SafeConstructor() if typed else None

    def document(self) -> Any:
        get = self.loader.get_event
        get()  # StreamStartEvent
        event = get()
        if isinstance(event, yaml.StreamEndEvent):
            return None
        result = self._content()
        get()  # DocumentEndEvent
        event = get()
        if not isinstance(event, yaml.StreamEndEvent):
            raise YamlError(
                f"a {self.what} holds one YAML document, but another starts here", event.start_mark.line + 1
            )
        return result

    def _content(self) -> Any:
        """Everything of one document, up to (not including) its DocumentEndEvent."""
        get = self.loader.get_event
        stack: list[_Frame] = []
        result: Any = None
        scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
        mapping_start, sequence_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
        typed = self.typed
        while True:
            event = get()
            kind = type(event)
            height = 0
            if kind is scalar_event and stack and event.tag is None and event.anchor is None:
                # The common case, kept short: a plain value of a mapping key.
                frame = stack[-1]
                key = frame.key
                if key is not _NO_KEY and key is not _MERGE and frame.is_map:
                    self.nodes += 1
                    value = event.value
                    if typed:
                        value = self._scalar(event, stack)
                    elif value in _NULL_WORDS and event.implicit[0]:
                        value = None
                    if key in frame.written:
                        raise YamlError(f"duplicate key '{key}'", frame.key_line)
                    frame.written.add(key)
                    frame.value[key] = value
                    frame.value.key_lines[key] = frame.key_line
                    frame.key = _NO_KEY
                    continue
                if key is _NO_KEY and frame.is_map and not typed and event.value != "<<":
                    self.nodes += 1
                    value = event.value
                    if value in _NULL_WORDS and event.implicit[0]:
                        value = None
                    frame.key = value
                    frame.key_line = event.start_mark.line + 1
                    continue
            if kind is scalar_event:
                self.nodes += 1
                value = self._scalar(event, stack)
                if event.anchor is not None:
                    self.anchors[event.anchor] = (value, 1, 0)
            elif kind is mapping_start or kind is sequence_start:
                self.nodes += 1
                line = event.start_mark.line + 1
                if len(stack) >= MAX_DEPTH:
                    raise YamlError(f"{self.what} nests deeper than {MAX_DEPTH} levels", line)
                tag = event.tag
                if kind is mapping_start:
                    if tag not in (None, "!", MAP_TAG):
                        raise self._tag_error(tag, line)
                    mapping = YMap()
                    mapping.key_lines = {}
                    collection: YMap | YList = mapping
                else:
                    if tag not in (None, "!", SEQ_TAG):
                        raise self._tag_error(tag, line)
                    sequence = YList()
                    sequence.item_lines = []
                    collection = sequence
                collection.line = line
                stack.append(_Frame(collection, event.anchor, self.nodes))
                continue
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                frame = stack.pop()
                value = frame.value
                height = frame.height
                if frame.anchor is not None:
                    self.anchors[frame.anchor] = (value, self.nodes - frame.nodes + 1, height)
            elif kind is alias_event:
                line = event.start_mark.line + 1
                if event.anchor not in self.anchors:
                    if any(frame.anchor == event.anchor for frame in stack):
                        raise YamlError(f"recursive alias *{event.anchor}: an anchored value cannot hold itself", line)
                    raise YamlError(f"unknown alias *{event.anchor}", line)
                value, size, height = self.anchors[event.anchor]
                self.nodes += size  # so that an anchor holding aliases has their size too
                self.expanded += size
                if self.expanded > MAX_ALIAS_NODES:
                    raise YamlError(
                        f"{self.what} expands to too many YAML nodes (alias bomb?)", line
                    )
                if len(stack) + height > MAX_DEPTH:
                    raise YamlError(f"{self.what} nests deeper than {MAX_DEPTH} levels through an alias", line)
            else:  # pragma: no cover - the parser sends nothing else inside a document
                raise YamlError(f"unexpected YAML event {kind.__name__}", event.start_mark.line + 1)

            if not stack:
                result = value
                break
            # a collection's line is where it starts; anything else's, where its event is
            where = value.line if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent else event.start_mark.line + 1
            self._add(stack[-1], value, height, where)
        return result

    def _add(self, frame: _Frame, value: Any, height: int, line: int) -> None:
        if height + 1 > frame.height:
            frame.height = height + 1
        target = frame.value
        if isinstance(target, YList):
            target.append(value)
            target.item_lines.append(line)
            return
        if frame.key is _NO_KEY:
            if isinstance(value, (dict, list)):
                raise YamlError("a mapping key must be a plain value", line)
            frame.key = value
            frame.key_line = line
            return
        key, key_line = frame.key, frame.key_line
        frame.key = _NO_KEY
        if key is _MERGE:
            self._merge(frame, value, key_line)
            return
        if key in frame.written:
            raise YamlError(f"duplicate key '{key}'", key_line)
        frame.written.add(key)
        target[key] = value
        target.key_lines[key] = key_line

    def _merge(self, frame: _Frame, value: Any, line: int) -> None:
        sources = value if isinstance(value, YList) else [value]
        if not all(isinstance(source, YMap) for source in sources):
            raise YamlError("a merge key (<<) needs a mapping or a list of mappings", line)
        target = frame.value
        assert isinstance(target, YMap)
        for source in sources:  # the first mapping listed wins, and keys written here win over all
            for key, item in source.items():
                if key in frame.written or key in frame.merged:
                    continue
                frame.merged.add(key)
                target[key] = item
                target.key_lines[key] = source.line_of(key)

    def _scalar(self, event: Any, stack: list[_Frame]) -> Any:
        value: str = event.value
        tag = event.tag
        plain = event.implicit[0]
        as_key = bool(stack) and isinstance(stack[-1].value, YMap) and stack[-1].key is _NO_KEY
        if tag is None or tag == "!":
            if plain and value == "<<" and as_key:
                return _MERGE
            if not self.typed:
                return None if plain and value in _NULL_WORDS else value
            if not plain:
                return value  # quoted: text
            assert self.resolver is not None
            tag = self.resolver.resolve(yaml.ScalarNode, value, event.implicit)
        if tag not in SCALAR_TAGS:
            raise self._tag_error(tag, event.start_mark.line + 1)
        if not self.typed:
            return None if tag == NULL_TAG else value
        if tag == STR_TAG:
            return value
        node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark, event.style)
        assert self.constructor is not None
        try:
            return self.constructor.yaml_constructors[tag](self.constructor, node)
        except (yaml.YAMLError, ValueError, OverflowError) as error:
            raise YamlError(f"invalid value {value!r}: {error}", event.start_mark.line + 1) from None

    def _tag_error(self, tag: str, line: int) -> YamlError:
        return YamlError(f"YAML tag {_tag_name(tag)} is not allowed in a {self.what}", line)
