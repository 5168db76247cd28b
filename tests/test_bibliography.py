"""Loading references.bib: errors an editor can act on, safe HTML, lazy formatting."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from macros.citations.bibliography import Bibliography, BibliographyError
from macros.errors import SiteErrors
from tests.conftest import ROOT, parse_html, run_build, text_of

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def write_bib(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "references.bib"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def edge_cases() -> Bibliography:
    return Bibliography.load(FIXTURES / "edge_cases.bib")


def test_javascript_url_is_text_not_a_link_and_is_reported(edge_cases: Bibliography) -> None:
    reference = edge_cases.reference("jsurl")
    assert reference.html == (
        "Evil, E. (2001). Bad &lt;script&gt;alert(1)&lt;/script&gt; link. <em>J</em>. "
        "javascript:alert(1)"
    )
    assert (
        reference.text
        == "Evil, E. (2001). Bad <script>alert(1)</script> link. J. javascript:alert(1)"
    )
    problems = edge_cases.problems("jsurl")
    assert problems is not None and problems.line == 130
    assert problems.warnings == (
        "its url 'javascript:alert(1)' is not an http(s) address, so it is not a link.",
    )


def test_links_and_markdown_characters_are_escaped(tmp_path: Path) -> None:
    bibliography = Bibliography.load(
        write_bib(
            tmp_path,
            "@misc{page, author = {Doe, Jane}, title = {Stars * and _under_ [x]},\n"
            "  howpublished = {Site}, year = {2020}, url = {https://x.org/a_b?c=1&d=2}}\n",
        )
    )
    reference = bibliography.reference("page")
    assert reference.html == (
        "Doe, J. (2020). <em>Stars &#42; and &#95;under&#95; &#91;x&#93;</em>. Site. "
        '<a href="https://x.org/a&#95;b?c=1&amp;d=2">https://x.org/a&#95;b?c=1&amp;d=2</a>'
    )


#: One file with one mistake of each kind an entry can have, each in its own entry.
BROKEN = """@book{good, author = {A, B}, title = {Fine}, publisher = {P}, year = {2001}}

@book{dup, author = {A, B}, title = {T}, publisher = {P}}

@book{Dup, author = {A, B}, title = {U}, publisher = {P}}

@book{commas, author = {A, B}
  title = {T}}

@article{notitle,
  author = {A, B},
  journal = {J}
}

@inproceedings{c, author = {A, B}, title = {T}, booktitle = {Proc}, year = {20x}}

@frobnicate{weird, title = {T}}

@misc{latex, title = {A \\frobnicate{word} title}, year = {2002}, title = {Again}}

@book{open, author = {A, B}, title = {T {x, publisher = {P}}

@book{after, author = {C, D}, title = {After the broken one}, publisher = {P}, year = {2003}}
"""


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Bibliography:
    return Bibliography.load(write_bib(tmp_path_factory.mktemp("broken"), BROKEN))


def test_every_entry_problem_is_kept_with_its_entry_and_line(broken: Bibliography) -> None:
    """Nothing stops loading; each entry carries its own problems, at the line it starts."""
    found = {key: broken.problems(key) for key in sorted(broken.keys)}
    assert found["good"] is None and found["after"] is None
    described = {
        key: (problems.line, problems.describe()) for key, problems in found.items() if problems
    }
    assert described == {
        "dup": (3, "entry 'dup': its key is used again on line 5. Give one of the two entries "
                   "a different key, or delete the copy."),
        "commas": (7, "entry 'commas': its .bib syntax is broken ('}' expected on line 8). "
                      "Check its braces and the commas between fields: @type{key, name = "
                      "{value}, ...}."),
        "notitle": (10, "entry 'notitle': it has no title. Add title = {...}."),
        "c": (15, "entry 'c': year must look like 2020, 2020-06, 2020-06-30 or a range a/b. "
                  "Fix its year field."),
        "weird": (17, "entry 'weird': the type @frobnicate is not supported. Use one of "
                      "@article, @book, @collection, @proceedings, @reference, @manual, "
                      "@incollection, @inbook, @inreference, @inproceedings, @conference, "
                      "@techreport, @report, @misc, @online, @www, @electronic, @phdthesis, "
                      "@mastersthesis, @thesis, @unpublished, @dataset, @software (a web page "
                      "is @online, or @misc with url and urldate)."),
        "latex": (19, "entry 'latex' has 2 problems: (1) the field title is given twice; the "
                      "first one is used. (2) the LaTeX command \\frobnicate in its "
                      "title is not known, so it was left out."),
        "open": (21, "entry 'open': a '{' in it is never closed. Close the brace where its "
                     "value ends."),
    }  # fmt: skip
    assert broken.reference("latex").text == "A word title. (2002)."
    assert broken.reference("after").text == "C, D. (2003). After the broken one. P."


def test_a_build_fails_only_for_cited_entries_and_lists_them_all(broken: Bibliography) -> None:
    broken.check_cited({"good": ["docs/a.md"], "after": ["docs/a.md"]})  # nothing to report
    with pytest.raises(SiteErrors) as caught:
        broken.check_cited({"good": ["docs/a.md"], "c": ["docs/b.md"], "dup": ["docs/a.md"]})
    messages = [str(error) for error in caught.value.errors]
    name = str(broken.path)
    assert messages == [
        f"{name}:3: entry 'dup': its key is used again on line 5. Give one of the two entries a "
        "different key, or delete the copy. (cited in docs/a.md)",
        f"{name}:15: entry 'c': year must look like 2020, 2020-06, 2020-06-30 or a range a/b. "
        "Fix its year field. (cited in docs/b.md)",
    ]
    assert broken.reference("c").text == "[c]"  # a stand-in until the build stops


def test_a_non_utf8_file_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "references.bib"
    path.write_bytes(b"@misc{a, title = {ok}}\n\n@misc{b, title = {caf\xe9}}\n")
    error = load_error_of(path)
    assert (error.line, error.problem) == (
        3,
        "this line is not UTF-8 (byte 0xE9). Save or export the file as UTF-8 (Zotero, JabRef "
        "and Citavi have an encoding option when exporting).",
    )


def test_a_string_bomb_fails_fast_at_its_line(tmp_path: Path) -> None:
    """Each macro is ten copies of the one before: 10**12 characters if nothing stopped it."""
    lines = ["@string{m0 = {xxxxxxxxxx}}"]
    lines += [f"@string{{m{n} = " + " # ".join([f"m{n - 1}"] * 10) + "}" for n in range(1, 12)]
    lines.append("@misc{bomb, title = m11}")
    started = time.monotonic()
    error = load_error_of(write_bib(tmp_path, "\n".join(lines)))
    assert time.monotonic() - started < 2
    assert error.line == 6
    assert error.problem.startswith("a value here is longer than 100,000 characters.")


def test_many_small_expansions_hit_the_total_limit(tmp_path: Path) -> None:
    """Values under the per-value cap, but together more than the file may expand to."""
    lines = ["@string{big = {" + "x" * 50_000 + "}}"]
    lines += [f"@misc{{e{n}, title = big # big}}" for n in range(30)]
    error = load_error_of(write_bib(tmp_path, "\n".join(lines)))
    assert error.line == 22  # the 21st entry (line 22) passes 2,000,000
    assert "expand to more than 2,000,000 characters" in error.problem


def load_error_of(path: Path) -> BibliographyError:
    with pytest.raises(BibliographyError) as caught:
        Bibliography.load(path)
    return caught.value


def test_suggestions_and_lines(edge_cases: Bibliography) -> None:
    assert sorted(edge_cases.suggestions("smith2020")) == ["smith2020a", "smith2020b", "smith2020c"]
    assert edge_cases.suggestions("BOOK3ED") == ["book3ed"]
    assert edge_cases.suggestions("zzzz") == []
    assert edge_cases.line_of("smith2020a") == 13
    assert "smith2020a" in edge_cases and "nope" not in edge_cases


def test_each_entry_is_formatted_once(edge_cases: Bibliography) -> None:
    assert edge_cases.reference("book3ed") is edge_cases.reference("book3ed")


def test_year_suffixes_follow_title_order_in_list_and_text(edge_cases: Bibliography) -> None:
    """ "An orange…" < "The apple…" < "Zebra…": apa.csl sorts titles without dropping articles."""
    years = {
        key: edge_cases.reference(key).label.year
        for key in ("smith2020a", "smith2020b", "smith2020c")
    }
    assert years == {"smith2020c": "2020a", "smith2020a": "2020b", "smith2020b": "2020c"}
    assert edge_cases.reference("smith2020c").text.startswith("Smith, J., & Doe, J. (2020a).")


def test_undated_works_get_nd_with_suffixes(edge_cases: Bibliography) -> None:
    assert edge_cases.reference("nodate2").text == (
        "Nobody, A. (n.d.-a). Another undated book. Some Press."
    )
    assert edge_cases.reference("nodate").label.year == "n.d.-b"


def test_21_authors_list_19_then_ellipsis_and_the_last(edge_cases: Bibliography) -> None:
    text = edge_cases.reference("many21").text
    assert text.startswith("A1, A., A2, B., ")
    assert "A18, S., A19, T., … A21, P. (2021)." in text
    assert "A20" not in text


EXPORTS = {  # one export per reference manager, pasted whole, and the entry a page cites
    "citavi_fixer.bib": "Angelov.2012",
    "zotero_lakens.bib": "ben-shachar_effectsize_2020",  # Zotero with Better BibTeX
    "scholar_harrer.bib": "meta",  # Google Scholar
}


def add_to(project: Path, bib_text: str, citation: str) -> None:
    bib = project / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + "\n" + bib_text, encoding="utf-8")
    page = project / "docs" / "about" / "index.md"
    text = page.read_text(encoding="utf-8").replace(
        "\n---\n", "\ncitation_style: author-date\n---\n", 1
    )
    page.write_text(text + f"\n\nMore reading {citation}.\n", "utf-8")


def test_exports_from_three_reference_managers_build_as_pasted(project: Path) -> None:
    """Citavi, Zotero (Better BibTeX) and Google Scholar exports, unedited, in one build."""
    exports = "\n".join(
        (FIXTURES / "realworld" / name).read_text(encoding="utf-8-sig") for name in EXPORTS
    )
    add_to(project, exports, "[" + "; ".join(f"@{key}" for key in EXPORTS.values()) + "]")
    build = run_build(project, project / "site")
    assert build.returncode == 0, build.output
    page = text_of(parse_html((project / "site" / "about" / "index.html").read_text("utf-8")))
    assert "(Angelov et al., 2012; Balduzzi et al., 2019; Ben-Shachar et al., 2020)" in page
    assert "Ben-Shachar, M. S., Lüdecke, D., & Makowski, D. (2020)." in page
    assert "How to perform a meta-analysis with R: A practical tutorial." in page


def test_one_build_reports_every_problem_of_the_cited_entries(project: Path) -> None:
    broken = (
        "@article{cited_one, author = {A, B}, journal = {J}, year = {2020}}\n"
        "@book{cited_two, author = {C, D}, title = {T \\frobnicate{x}}, year = {20x}}\n"
        "@book{uncited, title = {Never cited}, year = {nope}}\n"
    )
    add_to(project, broken, "[@cited_one; @cited_two]")
    build = run_build(project, project / "site")
    start = sum(1 for _ in (ROOT / "references.bib").open(encoding="utf-8")) + 2
    assert build.returncode != 0
    assert f"references.bib:{start}: entry 'cited_one': it has no title." in build.output
    assert (
        f"references.bib:{start + 1}: entry 'cited_two' has 2 problems: (1) year must look like "
        "2020, 2020-06, 2020-06-30 or a range a/b. Fix its year field. (2) the LaTeX command "
        "\\frobnicate in its title is not known, so it was left out. (cited in docs/about/index.md)"
    ) in build.output, build.output
    assert "uncited" not in build.output and "Traceback" not in build.output
    assert not (project / "site" / "about" / "index.html").exists()
