"""Translated text for a data file: ``data/<name>.<lang>.yml`` laid over ``data/<name>.yml``.

An overlay has the English file's nesting but only its words: list items are matched by
``id`` (or by position in lists without ids), a cited cell becomes a plain string, and ids,
citations, numbers and sources stay only in the English file. The merged data is then
checked by the English file's model, so a translation can never change a fact.

An overlay names its English source in a ``translation:`` block (as a translated page does),
so the editors' gate can tell when the English file has changed since.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from macros.content.front_matter import TranslationMeta
from macros.content.yaml_files import YamlPath, format_path, line_for, validate
from macros.errors import SiteError

TRANSLATION_KEY = "translation"


@dataclass(frozen=True)
class OverlayRules:
    """Which fields an overlay may give, and whether it must give all of them."""

    #: Field names an overlay may translate; None: every text field except ``id``.
    translatable: frozenset[str] | None = None
    #: Every translatable text of the English file must be translated (data files); else
    #: the English text stays where the overlay has none (crisis lines keep English names).
    complete: bool = True
    #: Fields an overlay may add where the English item has none (glossary 'also' words).
    additions: frozenset[str] = frozenset()

    def allows(self, key: str) -> bool:
        return (
            key != "id"
            and key != "cite"
            and (self.translatable is None or key in self.translatable)
        )


@dataclass
class _Merge:
    name: str
    lines: dict[YamlPath, int]
    rules: OverlayRules
    problems: list[SiteError]

    def problem(self, path: YamlPath, text: str, hint: str = "") -> None:
        self.problems.append(
            SiteError(
                self.name,
                f"{format_path(path)}: {text}",
                line=line_for(path, self.lines),
                hint=hint or None,
            )
        )

    def value(self, english: Any, overlay: Any, path: YamlPath) -> Any:
        if (isinstance(english, dict) and set(english) == {"text", "cite"}) or (
            isinstance(english, dict) and "cite" in english and isinstance(overlay, str)
        ):
            if not isinstance(overlay, str):
                self.problem(path, "must be the translated text (a cited cell becomes text).")
                return english
            return {**english, "text": overlay}
        if isinstance(english, dict):
            return self.mapping(english, overlay, path)
        if isinstance(english, list) and english and all(isinstance(i, dict) for i in english):
            return self.items(english, overlay, path)
        if isinstance(english, list) and isinstance(overlay, list):
            return overlay  # a list of words (glossary 'also'): the translation's own list
        if isinstance(english, str) and isinstance(overlay, str):
            return overlay
        self.problem(path, f"must be {'a list' if isinstance(english, list) else 'text'}.")
        return english

    def mapping(self, english: dict, overlay: Any, path: YamlPath) -> dict:
        if not isinstance(overlay, dict):
            self.problem(path, "must be a mapping with the English file's keys.")
            return english
        merged = dict(english)
        for key, value in overlay.items():
            here = (*path, key)
            if key == "cite":
                self.problem(
                    here,
                    "citations belong in the English file only.",
                    hint="Remove cite: here; the translation keeps the English citations.",
                )
            elif key == "id" and isinstance(english.get("id"), str):
                continue  # how the item was matched
            elif key not in english and key not in self.rules.additions:
                self.problem(here, "unknown field: the English file has no such field.")
            elif not self.rules.allows(key):
                self.problem(here, "is not translated: it comes from the English file.")
            else:
                merged[key] = self.value(english.get(key, value), value, here)
        if self.rules.complete:
            for key, value in english.items():
                if key not in overlay and self.rules.allows(key) and _has_text(value):
                    self.problem((*path, key), "missing: translate it.")
        return merged

    def items(self, english: list[dict], overlay: Any, path: YamlPath) -> list[dict]:
        if not isinstance(overlay, list):
            self.problem(path, "must be a list, like the English file's.")
            return english
        if all("id" in item for item in english):
            by_id = {
                item.get("id"): (index, item)
                for index, item in enumerate(overlay)
                if isinstance(item, dict)
            }
            for index, item in enumerate(overlay):
                known = {entry["id"] for entry in english}
                if not isinstance(item, dict) or item.get("id") not in known:
                    shown = item.get("id") if isinstance(item, dict) else item
                    self.problem(
                        (*path, index, "id"),
                        f"unknown id '{shown}': data/ has no such item.",
                        hint=f"Use one of: {', '.join(sorted(known))}.",
                    )
            merged = []
            for item in english:
                if item["id"] in by_id:
                    index, translated = by_id[item["id"]]
                    merged.append(self.mapping(item, translated, (*path, index)))
                else:
                    if self.rules.complete:
                        self.problem(path, f"missing the item with id '{item['id']}'.")
                    merged.append(item)
            return merged
        if (len(overlay) != len(english) and self.rules.complete) or len(overlay) > len(english):
            self.problem(
                path,
                f"has {len(overlay)} items; the English list has {len(english)}, matched by "
                "position.",
            )
            return english
        return [
            self.value(item, translated, (*path, index))
            for index, (item, translated) in enumerate(zip(english, overlay, strict=False))
        ] + english[len(overlay) :]


def _has_text(value: Any) -> bool:
    return isinstance(value, str | list | dict) and bool(value)


def apply_overlay(
    english: Any,
    overlay: Any,
    name: str,
    lines: dict[YamlPath, int],
    rules: OverlayRules = OverlayRules(),
) -> tuple[Any, TranslationMeta | None, list[SiteError]]:
    """The English data with the overlay's text, the overlay's translation block, and
    every problem in the overlay (with its line in the overlay file)."""
    problems: list[SiteError] = []
    translation = None
    if isinstance(overlay, dict) and TRANSLATION_KEY in overlay:
        overlay = dict(overlay)
        block = overlay.pop(TRANSLATION_KEY)
        try:
            translation = validate(block, TranslationMeta, name, _under(lines, TRANSLATION_KEY))
        except SiteError as error:
            problems.extend(getattr(error, "errors", [error]))
    elif isinstance(overlay, dict):
        problems.append(
            SiteError(
                name,
                "has no translation: block (from_hash, translated_on, method).",
                line=1,
                hint="Add it as in the other translated files (see the editors' guide).",
            )
        )
    merged = _Merge(name, lines, rules, problems).value(english, overlay, ())
    return merged, translation, problems


def _under(lines: dict[YamlPath, int], key: str) -> dict[YamlPath, int]:
    """Line numbers of the block under ``key``, keyed from inside it."""
    return {path[1:]: line for path, line in lines.items() if path[:1] == (key,)}
