"""Tests of the copydesk Python package (run by ctest with the build tree's
package on PYTHONPATH, or against an installed one)."""
import re
import subprocess
import sys
import threading

import pytest

import copydesk

DAMAGED = "Élodie said on tuesday the Linkedin page had 3 ,000 views.\nIt cost $ 40 to run."
# Non-ASCII before the edits: code-point and byte offsets differ.


@pytest.fixture(scope="module")
def pipeline():
    return copydesk.Pipeline()


def test_clean_returns_text_and_edits(pipeline):
    r = pipeline.clean(DAMAGED)
    assert "LinkedIn" in r.text and "$40" in r.text and "Tuesday" in r.text
    assert r.changes == sum(e.kind == "change" for e in r.edits) > 0
    rules = {(e.stage, e.rule) for e in r.edits}
    assert ("names", "name-table") in rules and ("spacing", "currency-space") in rules


def test_clean_text_is_unchanged(pipeline):
    clean = "The committee met on Monday. Its report is due in March.\n"
    r = pipeline.clean(clean)
    assert r.text == clean and r.edits == [] and r.changes == 0


def test_offsets_in_code_points_and_bytes(pipeline):
    r = pipeline.clean(DAMAGED)
    raw = DAMAGED.encode()
    for e in r.edits:
        # Code points index the str, bytes index its UTF-8.
        assert DAMAGED[e.begin:e.end] == raw[e.begin_byte:e.end_byte].decode()
        assert e.line == DAMAGED.count("\n", 0, e.begin) + 1
    name = next(e for e in r.edits if e.rule == "name-table")
    assert DAMAGED[name.begin:name.end] == "Linkedin" == name.before and name.after == "LinkedIn"
    assert name.begin_byte == name.begin + 1  # "É" is two bytes
    assert name.id.startswith("names-") and name.reason


def test_bytes_input_and_invalid_utf8():
    p = copydesk.Pipeline(stages=["spacing"])
    assert p.clean("a ,b".encode()).text == "a, b"
    with pytest.raises(copydesk.Error, match="invalid UTF-8 at byte offset 2"):
        p.clean(b"ab\xffcd")
    lossy = copydesk.Pipeline(stages=["spacing"], lossy=True)
    r = lossy.clean(b"ab\xffcd")
    assert r.text == "ab\ufffdcd" and r.edits[0].stage == "input"


def test_errors_have_the_command_messages(tmp_path):
    with pytest.raises(copydesk.Error, match="unknown stage 'spellling'"):
        copydesk.Pipeline(stages=["spellling"])
    with pytest.raises(copydesk.Error, match="cannot read dictionary file"):
        copydesk.Pipeline(dictionaries=tmp_path)
    with pytest.raises(copydesk.Error, match="names file .*given with --names"):
        copydesk.Pipeline(names=[tmp_path / "missing.txt"])
    with pytest.raises(copydesk.Error, match="binary"):
        copydesk.Pipeline(stages=["spacing"]).clean("a\0b")
    with pytest.raises(TypeError):
        copydesk.Pipeline(stages=["spacing"]).clean(42)


def test_stage_selection_and_skip():
    assert copydesk.Pipeline(stages=["names", "spacing"]).stages == ["names", "spacing"]
    p = copydesk.Pipeline(skip=["spelling", "casing/month-weekday"])
    assert "spelling" not in p.stages
    r = p.clean("They met on tuesday with Paypal staff.")
    assert "tuesday" in r.text and "PayPal" in r.text


def test_protect_words_and_patterns():
    text = "Youtube clip cost $ 15 and Paypal fee $ 2."
    plain = copydesk.Pipeline().clean(text).text
    assert "YouTube" in plain and "$15" in plain
    kept = copydesk.Pipeline(protect=["Youtube", re.compile(r"\$ 15")]).clean(text).text
    assert "Youtube clip" in kept and "$ 15" in kept
    assert "PayPal" in kept and "$2" in kept  # what is not protected is still cleaned
    # Patterns are ICU regular expressions: Python's own (?P<name>...) is not one.
    with pytest.raises(copydesk.Error, match="protect pattern"):
        copydesk.Pipeline(protect=[re.compile("(?P<n>x)")])


def test_disable_rule():
    p = copydesk.Pipeline(disable=["spacing/currency-space"])
    assert "$ 15" in p.clean("It cost $ 15 ,they said.").text
    with pytest.raises(copydesk.Error, match="has no rule"):
        copydesk.Pipeline(disable=["spacing/no-such-rule"])


def test_ignore_markers(pipeline):
    doc = "Prices rose ,then fell.\n# copydesk: ignore-start\nQuoted ,verbatim.\n# copydesk: ignore-end\n"
    out = pipeline.clean(doc).text
    assert "rose, then" in out and "Quoted ,verbatim." in out


def test_config_file(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('[pipeline]\nstages = ["spacing"]\n[rules]\nprotect = ["Paypal"]\n')
    p = copydesk.Pipeline(config=cfg)
    assert p.stages == ["spacing"]
    cfg.write_text("[rules]\nbogus = 1\n")
    with pytest.raises(copydesk.Error, match="c.toml:2: unknown key 'rules.bogus'"):
        copydesk.Pipeline(config=cfg)


def test_clean_many_keeps_order_and_matches_clean(pipeline):
    docs = [f"Item {i} cost $ {i} ,said the Youtube seller on friday." for i in range(300)]
    many = pipeline.clean_many(iter(docs), threads=2)
    assert [r.text for r in many] == [pipeline.clean(d).text for d in docs]
    assert pipeline.clean_many([], threads=3) == []


def test_clean_many_error_names_the_document(pipeline):
    with pytest.raises(copydesk.Error, match="document 2: .*binary"):
        pipeline.clean_many(["a", "b", "c\0", "d"], threads=2)


def test_clean_releases_the_gil(pipeline):
    # Python threads sharing one pipeline are serialised safely; other
    # threads keep running while a document is cleaned.
    results = {}

    def work(i):
        results[i] = pipeline.clean(f"Doc {i} ,with Linkedin.").text

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert results == {i: f"Doc {i}, with LinkedIn." for i in range(8)}


def test_same_output_as_the_command(pipeline):
    binary = pytest.importorskip("os").environ.get("COPYDESK_BINARY")
    if not binary:
        pytest.skip("COPYDESK_BINARY not set")
    out = subprocess.run([binary, "clean", "-q", "-"], input=DAMAGED.encode(), capture_output=True, check=True)
    assert out.stdout.decode() == pipeline.clean(DAMAGED).text


def test_stage_names():
    assert copydesk.stage_names()[0] == "unicode" and "spelling" in copydesk.stage_names()


def test_readme_datatrove_example():
    """The README's datatrove-style step runs as printed, on stand-in documents."""
    import os
    readme = open(os.path.join(os.path.dirname(__file__), "..", "..", "README.md"), encoding="utf-8").read()
    start = readme.index("A datatrove-style step")
    code = readme[readme.index("```python\n", start) + 10:readme.index("```\n", readme.index("```python\n", start))]
    scope = {}
    exec(code, scope)

    class Document:
        def __init__(self, text):
            self.text, self.metadata = text, {}

    docs = list(scope["copydesk_clean"]([Document("Staff of Linkedin left ,it said."), Document("Plain text.")]))
    assert [d.text for d in docs] == ["Staff of LinkedIn left, it said.", "Plain text."]
    edits = docs[0].metadata["copydesk_edits"]
    assert {"rule": "names/name-table", "begin": 9, "end": 17, "after": "LinkedIn"} in edits
    assert docs[1].metadata["copydesk_edits"] == []


def test_quality_is_off_unless_asked(pipeline):
    assert pipeline.clean("The museum opened a new wing last month.").quality is None


def test_quality_orders_fluent_above_broken():
    scored = copydesk.Pipeline(quality=True)
    fluent = "The museum opened a new wing for modern sculpture last month, and visitors queued outside."
    broken = "Museum the the opened wing wing new for for sculpture sculpture the month last last."
    a, b = scored.clean(fluent).quality, scored.clean(broken).quality
    assert 0 <= b.score < a.score <= 100
    assert a.band in ("good", "fair", "poor") and isinstance(b.reasons, list) and b.reasons
    # The same scores from clean_many on two threads, whatever the order.
    many = scored.clean_many([broken, fluent] * 3, threads=2)
    assert [r.quality.score for r in many] == [b.score, a.score] * 3
