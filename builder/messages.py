"""The words the builder shows a reader, in one place: gettext-ready.

The templates wrap their words in ``_()`` / ``{% trans %}`` (Jinja's i18n extension, see
:class:`builder.render.TemplateEnvironment`); the words the builder makes in Python (page titles, the
navigation's sections, durations, default block titles, the meta line's badges) come from here.
Both go through the same catalogue: :func:`use` installs one (a :class:`gettext.GNUTranslations`, or
Babel's ``Translations``, for the course language) and every later render speaks it; until then, the
English msgids are shown as they are.

A msgid is the English text itself. Words kept in tables (:data:`GROUPINGS`, :data:`BLOCK_TYPES`) are
marked with :func:`N_` so that an extractor finds them, and translated when shown.
"""

from __future__ import annotations

import contextlib
import gettext as _gettext
from collections.abc import Iterator

_catalogue: _gettext.NullTranslations = _gettext.NullTranslations()


def use(translations: _gettext.NullTranslations | None) -> None:
    """Install the catalogue the builder and the templates speak (``None``: English, the msgids as written)."""
    global _catalogue
    _catalogue = translations if translations is not None else _gettext.NullTranslations()


@contextlib.contextmanager
def using(translations: _gettext.NullTranslations | None) -> Iterator[None]:
    """The catalogue ``translations`` for the duration of a ``with`` block, then the one before."""
    before = _catalogue
    use(translations)
    try:
        yield
    finally:
        use(before)


def gettext(message: str) -> str:
    return _catalogue.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _catalogue.ngettext(singular, plural, n)


_ = gettext


def N_(message: str) -> str:
    """Marks a msgid kept in a table; it is translated where it is shown."""
    return message


# The values of a block's `grouping`, as the meta line shows them.
GROUPINGS = {
    "individual": N_("Individual"),
    "pairs": N_("Pairs"),
    "small_groups": N_("Small groups"),
    "whole_group": N_("Whole group"),
}

# A block type's name, where an untitled block is listed (agenda, facilitator guide).
BLOCK_TYPES = {
    "text": N_("Text"),
    "think_and_share": N_("Think and share"),
    "reflective_activity": N_("Reflective activity"),
    "group_discussion": N_("Group discussion"),
    "video": N_("Video"),
    "quote": N_("Quote"),
    "callout": N_("Callout"),
    "cards": N_("Cards"),
    "compare": N_("Compare"),
    "image": N_("Image"),
    "reading": N_("Reading"),
}


def label(table: dict[str, str], value: str) -> str:
    """A value's words from ``table``, translated; a value the table lacks, in readable form."""
    known = table.get(value)
    return _(known) if known is not None else value.replace("_", " ").capitalize()


def grouping(value: str) -> str:
    return label(GROUPINGS, value)


def block_type(value: str) -> str:
    return label(BLOCK_TYPES, value)


def duration(value: int | None) -> str:
    """Minutes as ``45 min``, ``1 h`` or ``1 h 05 min``; nothing for none."""
    if not value:
        return ""
    hours, mins = divmod(int(value), 60)
    if not hours:
        return _("%(minutes)d min") % {"minutes": mins}
    if not mins:
        return _("%(hours)d h") % {"hours": hours}
    return _("%(hours)d h %(minutes)02d min") % {"hours": hours, "minutes": mins}


__all__ = ["BLOCK_TYPES", "GROUPINGS", "N_", "_", "block_type", "duration", "gettext", "grouping", "ngettext", "use", "using"]
