"""Rule files as plain data that remember their line numbers, read with a safe YAML loader.

The YAML is only *composed* into nodes; this module turns the nodes into dicts, lists and plain
scalars itself, so no tag can ever construct a Python object: anything but the standard tags
(map, seq, str, int, float, bool, null, timestamp) is refused.
"""

from __future__ import annotations

from typing import Any

import yaml

_TAG = "tag:yaml.org,2002:"
SCALAR_TAGS = frozenset(_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp"))
MAP_TAG = _TAG + "map"
SEQ_TAG = _TAG + "seq"
MAX_NODES = 200_000  # an alias bomb expands past this long before it can hurt
MAX_DEPTH = 64


class YamlError(Exception):
    """A rule file is not readable YAML, or uses a construct rule files do not allow."""

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


class _Loader(yaml.SafeLoader):
    """SafeLoader used only to compose nodes and to construct standard scalars."""


# libyaml's parser where it is installed: about ten times faster. A file it cannot read is read
# again by the pure-Python parser, whose messages say more about what is wrong.
_FastLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", _Loader)


def _tag_name(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


class _Converter:
    def __init__(self, loader: yaml.SafeLoader):
        self.loader = loader
        self.nodes = 0

    def convert(self, node: yaml.Node, depth: int = 0) -> Any:
        line = node.start_mark.line + 1
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise YamlError("rule file expands to too many YAML nodes (alias bomb?)", line)
        if depth > MAX_DEPTH:
            raise YamlError("rule file nests too deeply (recursive alias?)", line)
        if isinstance(node, yaml.MappingNode):
            if node.tag != MAP_TAG:
                raise YamlError(f"YAML tag {_tag_name(node.tag)} is not allowed in a rule file", line)
            own = sum(1 for key_node, _ in node.value if key_node.tag != _TAG + "merge")
            try:
                self.loader.flatten_mapping(node)  # `<<` merge keys, at node level only
            except yaml.MarkedYAMLError as error:
                raise YamlError(str(error.problem), line) from None
            merged = len(node.value) - own  # flatten_mapping puts merged pairs first
            result = YMap()
            result.line = line
            result.key_lines = {}
            written: set[Any] = set()
            for position, (key_node, value_node) in enumerate(node.value):
                key = self.convert(key_node, depth + 1)
                key_line = key_node.start_mark.line + 1
                if isinstance(key, (dict, list)):
                    raise YamlError("a mapping key must be a plain value", key_line)
                if position >= merged:  # a key written here, not merged in: may override
                    if key in written:
                        raise YamlError(f"duplicate key '{key}'", key_line)
                    written.add(key)
                result[key] = self.convert(value_node, depth + 1)
                result.key_lines[key] = key_line
            return result
        if isinstance(node, yaml.SequenceNode):
            if node.tag != SEQ_TAG:
                raise YamlError(f"YAML tag {_tag_name(node.tag)} is not allowed in a rule file", line)
            items = YList(self.convert(item, depth + 1) for item in node.value)
            items.line = line
            items.item_lines = [item.start_mark.line + 1 for item in node.value]
            return items
        if node.tag not in SCALAR_TAGS:
            raise YamlError(f"YAML tag {_tag_name(node.tag)} is not allowed in a rule file", line)
        try:
            return self.loader.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError) as error:
            raise YamlError(f"invalid value {node.value!r}: {error}", line) from None


def parse_yaml(text: str) -> Any:
    """Parse one YAML document into YMap/YList/scalars. Raises YamlError with a 1-based line."""
    fast = _FastLoader(text)
    try:
        node = fast.get_single_node()
    except yaml.YAMLError:
        fast.dispose()
        return _parse_slowly(text)
    try:
        return None if node is None else _Converter(fast).convert(node)
    finally:
        fast.dispose()


def _parse_slowly(text: str) -> Any:
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            problem = error.problem or str(error)
            if error.context:
                problem = f"{error.context}: {problem}"
            raise YamlError(f"invalid YAML: {problem}", mark.line + 1 if mark else None) from None
        except yaml.YAMLError as error:
            raise YamlError(f"invalid YAML: {error}", None) from None
        if node is None:
            return None
        return _Converter(loader).convert(node)
    finally:
        loader.dispose()
