"""Loading references.bib: errors an editor can act on, safe HTML, lazy formatting."""

from __future__ import annotations

from pathlib import Path

import pytest

from macros.citations.bibliography import Bibliography, BibliographyError

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def write_bib(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "references.bib"
    path.write_text(text, encoding="utf-8")
    return path


def load_error(tmp_path: Path, text: str) -> BibliographyError:
    with pytest.raises(BibliographyError) as caught:
        Bibliography.load(write_bib(tmp_path, text))
    return caught.value


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
    assert edge_cases.warnings == (
        f"{FIXTURES / 'edge_cases.bib'}:130: entry 'jsurl' has url 'javascript:alert(1)', which "
        "is not an http(s) address; it is printed as text, not as a link.",
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


def test_duplicate_key_names_both_lines(tmp_path: Path) -> None:
    error = load_error(
        tmp_path,
        "@book{dup, author = {A, B}, title = {T}, publisher = {P}}\n\n"
        "@book{Dup, author = {A, B}, title = {U}, publisher = {P}}\n",
    )
    assert (error.file, error.line) == (str(tmp_path / "references.bib"), 3)
    assert str(error) == (
        f"{tmp_path / 'references.bib'}:3: duplicate citation key 'Dup' (first defined on line 1)."
        " Give one of the two entries a different key, or delete the copy."
    )


def test_unclosed_brace_names_the_entry_line(tmp_path: Path) -> None:
    error = load_error(
        tmp_path,
        "@book{a, author = {A, B}, title = {T}, publisher = {P}}\n\n"
        "@book{b, author = {A, B},\n  title = {T,\n  publisher = {P}}\n",
    )
    assert error.line == 3
    assert error.problem == (
        "the file ends inside an entry: a '{' is never closed. Check the braces of the entry "
        "starting on line 3."
    )


def test_syntax_error_names_its_line(tmp_path: Path) -> None:
    error = load_error(tmp_path, "@book{a,\n  author = {A, B}\n  title = {T}}\n")
    assert error.line == 3
    assert error.problem.startswith("the .bib syntax is broken here (")


def test_missing_required_field_names_entry_line_and_field(tmp_path: Path) -> None:
    error = load_error(
        tmp_path,
        "@book{a, author = {A, B}, title = {T}, publisher = {P}}\n"
        "@article{b,\n  author = {A, B},\n  title = {T}\n}\n",
    )
    assert error.line == 2
    assert error.problem == "entry 'b' (@article) has no journal field. Add journal = {...} to it."


def test_unknown_entry_type_lists_the_supported_ones(tmp_path: Path) -> None:
    error = load_error(tmp_path, "\n@inproceedings{c, author = {A, B}, title = {T}}\n")
    assert error.line == 2
    assert error.problem == (
        "entry 'c' has the type @inproceedings, which the APA style does not support. Use one of "
        "@article, @book, @incollection, @techreport, @misc, @phdthesis, @mastersthesis (web "
        "pages are @misc with url and urldate)."
    )


def test_bad_year_is_reported(tmp_path: Path) -> None:
    error = load_error(
        tmp_path, "@book{a, author = {A, B}, title = {T}, publisher = {P}, year = {20x}}"
    )
    assert error.problem == "entry 'a': year must look like 2020 or 2020-06-30. Fix its year field."


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
