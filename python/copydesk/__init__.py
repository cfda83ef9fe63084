"""copydesk: staged cleanup of scraped, machine-translated news text.

    import copydesk
    pipeline = copydesk.Pipeline()                 # build once (loads the dictionaries)
    result = pipeline.clean(text)                  # result.text, result.edits
    results = pipeline.clean_many(texts, threads=4)  # in order; the GIL is released

Each edit has stage, rule, kind ("change" or "flag"), reason, before, after,
id ("STAGE-N"), line, begin/end (code points: ``text[e.begin:e.end]`` is the
span of the input it touched) and begin_byte/end_byte (offsets in the UTF-8
bytes, as in the command's change log). Errors raise copydesk.Error with the
command's messages.
"""
import os
import re

from ._copydesk import Edit, Error, Result, stage_names
from ._copydesk import Pipeline as _NativePipeline

__all__ = ["Pipeline", "Result", "Edit", "Error", "stage_names"]


def _strings(value, what):
    if value is None:
        return []
    if isinstance(value, (str, bytes, re.Pattern)):
        value = [value]
    out = list(value)
    for item in out:
        if not isinstance(item, (str, re.Pattern)):
            raise TypeError(f"{what}: expected str items, got {type(item).__name__}")
    return out


class Pipeline:
    """A copydesk pipeline, built once and reused for any number of documents.

    stages: stage names to run, in order (default: every stage; see stage_names()).
    config: a TOML configuration file (``copydesk config --default`` shows every key).
    skip: stages (``"spelling"``) or rules (``"spelling/misspelling"``) to leave out.
    disable: rules (``"STAGE/RULE"``) whose edits are dropped.
    protect: words (str, whole words, case-sensitive) and patterns (compiled
        ``re.Pattern``; their source is read as an ICU regular expression) whose
        matches are never changed.
    ignore_markers: honour ``copydesk: ignore-start`` / ``copydesk: ignore-end`` lines
        (default: on, or as the config says).
    dictionaries, hunspell, names: as the command's --dictionaries, --hunspell, --names.
    lossy: replace invalid UTF-8 in bytes input with U+FFFD instead of raising.
    quality: also estimate each document's translation quality (Result.quality:
        score 0-100, band, reasons; None when off).
    """

    def __init__(self, stages=None, config=None, *, skip=None, disable=None, protect=None, ignore_markers=None,
                 dictionaries=None, hunspell=None, names=None, lossy=False, quality=False):
        protect = _strings(protect, "protect")
        words = [p for p in protect if isinstance(p, str)]
        patterns = [p.pattern for p in protect if isinstance(p, re.Pattern)]
        if any(isinstance(p, bytes) for p in patterns):
            raise TypeError("protect: patterns must be str patterns")
        self._native = _NativePipeline(
            None if stages is None else _strings(stages, "stages"),
            None if config is None else os.fspath(config),
            _strings(skip, "skip"), _strings(disable, "disable"), words, patterns, ignore_markers,
            None if dictionaries is None else os.fspath(dictionaries),
            None if hunspell is None else os.fspath(hunspell),
            [os.fspath(n) for n in (names or [])], bool(lossy), bool(quality))

    def clean(self, text):
        """Cleans one document (str, or UTF-8 bytes) and returns its Result."""
        return self._native.clean(text)

    def clean_many(self, texts, threads=None):
        """Cleans every document of an iterable on `threads` worker threads
        (default: all cores) without holding the GIL; returns the Results in
        input order. Raises Error naming the first document that failed."""
        return self._native.clean_many(texts, threads)

    @property
    def stages(self):
        """The stages this pipeline runs, in order."""
        return self._native.stages

    @property
    def dictionaries(self):
        """The folder the dictionaries were read from."""
        return self._native.dictionaries

    def __repr__(self):
        return f"copydesk.Pipeline(stages={self.stages!r})"
