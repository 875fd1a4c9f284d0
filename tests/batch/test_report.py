"""index.html: self-contained, escaped, links to every document; works in a real browser."""

from __future__ import annotations

import html
import importlib
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from batch_support import batch, make_account
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kamdocs.batch.report import report_html
from kamdocs.config import Settings
from kamdocs.model import RejectedAccount, RenewalStatus

NASTY = 'Müller & Söhne <script>alert("x")</script> \'quoted\''


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A run with a poisoned account, a rejected account and a name full of markup."""
    out = tmp_path_factory.mktemp("report")
    importlib.import_module("batch_fakes")  # module scope: before the autouse fixture
    accounts = [make_account(n) for n in range(8)]
    accounts += [make_account(20, NASTY), make_account(21, "POISON Pharma")]
    rejected = (RejectedAccount("001000000000030AAA", "Broken Corp",
                                ("Account.csv:5:Name: empty",)),)
    batch(out, accounts, rejected=rejected, kinds=("fakeplan", "fakepack"), jobs=2)
    return out / "index.html"


def test_report_is_self_contained_and_escaped(report: Path) -> None:
    page = report.read_text(encoding="utf-8")
    # No external asset of any kind: no src= at all, links only to relative files.
    assert "src=" not in page and "<link" not in page and "@import" not in page
    assert not re.search(r'href="(?!fake)[^"#]', page)
    # The hostile name appears only escaped.
    assert '<script>alert("x")' not in page
    assert "M&#252;ller" in page or "Müller &amp; Söhne &lt;script&gt;" in page
    # Failures and rejections are listed with their reasons.
    assert "poisoned account 001000000000021AAA" in page
    assert "Account.csv:5:Name: empty" in page
    assert page.count("<svg") == 3


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture],
          deadline=None)
@given(name=st.text(min_size=1, max_size=60))
def test_any_account_name_is_escaped_in_the_report(name: str) -> None:
    account = make_account(3, name)
    page = report_html([account], [], [], Settings(), company="Our <Co>", source="a & b",
                       as_of=account.as_of)
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    cell = re.search(r'<td data-sort="([^"]*)">([^<]*)<br>', body)
    assert cell is not None
    assert html.unescape(cell.group(1)) == name and html.unescape(cell.group(2)) == name
    assert "Our &lt;Co&gt;" in page


chromium = pytest.mark.skipif(
    not importlib.import_module("cdp").is_available(),
    reason="Chromium is not installed (apt-get install chromium)",
)


@pytest.mark.chromium
@chromium
def test_report_works_in_headless_chromium(report: Path) -> None:
    from cdp import Browser

    with Browser() as browser:
        browser.open(report.as_uri())
        assert browser.errors() == []
        # Nothing was fetched: the page and nothing else.
        assert browser.evaluate("performance.getEntriesByType('resource').length") == 0
        links = browser.evaluate("Array.from(document.querySelectorAll('a[href]'), a => a.href)")
        assert len(links) == 8 * 3 + 3  # plan + 2 pack files per good account, 3 for NASTY
        for link in links:
            path = Path(unquote(urlparse(link).path))
            assert path.is_file(), link

        column = """Array.from(document.querySelectorAll('#accounts tbody tr'),
                      r => r.cells[2].getAttribute('data-sort'))"""
        browser.evaluate("document.querySelectorAll('#accounts th button')[2].click()")
        ascending = browser.evaluate(column)
        numbers = [float(v) for v in ascending if v]
        assert numbers == sorted(numbers) and len(numbers) == 10
        assert ascending[-1] == ""  # the rejected account has no revenue: last
        browser.evaluate("document.querySelectorAll('#accounts th button')[2].click()")
        descending = [float(v) for v in browser.evaluate(column) if v]
        assert descending == sorted(numbers, reverse=True)
        header = "document.querySelectorAll('#accounts th')[2].getAttribute('aria-sort')"
        assert browser.evaluate(header) == "descending"

        shown = """(() => { const s = document.getElementById('filter-status');
            s.value = 'failed'; s.dispatchEvent(new Event('change'));
            return Array.from(document.querySelectorAll('#accounts tbody tr'))
              .filter(r => !r.hidden).map(r => r.id); })()"""
        assert sorted(browser.evaluate(shown)) == ["account-001000000000021AAA",
                                                  "account-001000000000030AAA"]
        assert browser.evaluate("document.getElementById('shown').textContent") == "2"
        assert browser.errors() == []


def test_document_links_say_what_each_file_is() -> None:
    from pathlib import PurePosixPath

    from kamdocs.batch.report import _file_label

    assert _file_label("Account plan", PurePosixPath("plan/acme_001_plan_2026-11-23.docx")) == (
        "Account plan (DOCX)")
    pack = "ebr/acme_001_ebr_2026-11-23/"
    assert _file_label("EBR", PurePosixPath(pack + "acme_ebr-deck_2026-11-23.pptx")) == (
        "EBR deck (PPTX)")
    assert _file_label("EBR", PurePosixPath(pack + "acme_ebr-briefing_2026-11-23.docx")) == (
        "EBR briefing (DOCX)")
    assert _file_label("EBR", PurePosixPath(pack + "manifest.json")) == "EBR manifest (JSON)"


def test_renewals_without_an_opportunity_are_flagged_for_the_filter() -> None:
    # make_account cycles through every renewal status: exactly the in-window and
    # past-the-window ones without a renewal opportunity carry the "renewal-missing" flag.
    accounts = [make_account(n) for n in range(len(RenewalStatus))]
    page = report_html(accounts, [], [], Settings(), company="Us", source="s",
                       as_of=accounts[0].as_of)
    flags = dict(re.findall(r'<tr id="account-([^"]+)"[^>]*data-flags="([^"]*)"', page))
    flagged = {a.renewal.status for a in accounts if "renewal-missing" in flags[a.id].split()}
    assert flagged == {RenewalStatus.MISSING, RenewalStatus.LATE}
