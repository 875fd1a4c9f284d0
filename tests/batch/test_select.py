"""--tier and --accounts: which accounts a batch builds."""

from __future__ import annotations

from pathlib import Path

import pytest
from batch_support import account_id, make_account, make_portfolio
from hypothesis import given
from hypothesis import strategies as st

from kamdocs.batch.select import read_account_keys, select_accounts
from kamdocs.cli.batch import _tiers
from kamdocs.errors import AccountNotFound, UsageError
from kamdocs.model import RejectedAccount

PORTFOLIO = make_portfolio(
    [make_account(n) for n in range(6)] + [make_account(7, "Globex")],
    rejected=(RejectedAccount("001000000000099AAA", "Broken Corp", ("bad Id",)),),
)


def test_tier_filter_keeps_only_those_tiers() -> None:
    chosen, rejected = select_accounts(PORTFOLIO, (1, 3), ())
    # make_account gives account n the tier n % 3 + 1.
    assert [a.id for a in chosen] == [account_id(n) for n in (0, 2, 3, 5)]
    assert [r.id for r in rejected] == ["001000000000099AAA"]


def test_accounts_by_15_or_18_character_id_or_exact_name() -> None:
    keys = (account_id(4)[:15], account_id(1), "Globex", "001000000000099AAA")
    chosen, rejected = select_accounts(PORTFOLIO, (), keys)
    assert [a.id for a in chosen] == [account_id(1), account_id(4), account_id(7)]
    assert [r.name for r in rejected] == ["Broken Corp"]


def test_unknown_account_names_the_closest() -> None:
    with pytest.raises(AccountNotFound, match="closest: Globex"):
        select_accounts(PORTFOLIO, (), ("Globexx",))


def test_account_list_file_skips_comments_blank_lines_and_a_header(tmp_path: Path) -> None:
    listing = tmp_path / "accounts.csv"
    listing.write_text('Id,Name\n# tier 1 only\n\n"001000000000001AAA",Acme\nGlobex\n',
                       encoding="utf-8")
    assert read_account_keys(str(listing)) == ("001000000000001AAA", "Globex")
    assert read_account_keys("a, b,,a") == ("a", "b")


@given(st.text(max_size=20))
def test_any_tier_text_is_accepted_or_a_usage_error(text: str) -> None:
    try:
        tiers = _tiers(text)
    except UsageError as error:
        assert "--tier takes 1, 2 or 3" in str(error)
    else:
        assert set(tiers) <= {1, 2, 3}


@given(st.one_of(st.text(max_size=40), st.lists(
    st.text(alphabet="0123456789ABCDEFabcdef", min_size=15, max_size=18), max_size=40
).map(",".join)))
def test_any_accounts_text_gives_keys_or_a_usage_error(text: str) -> None:
    try:
        keys = read_account_keys(text)
    except UsageError:
        assert not [k for k in text.split(",") if k.strip()]
    else:
        assert keys and all(k == k.strip() and k for k in keys)
