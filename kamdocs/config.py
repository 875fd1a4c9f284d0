"""One typed config: ``kamdocs.toml`` beside the data, or ``--config FILE``.

Every key has a documented default (README, "Configuration"). Unknown keys and values of
the wrong type are rejected with the key's name and the file. Flags the user did not pass
arrive as ``None`` and never override the file.
"""

from __future__ import annotations

import dataclasses
import datetime
import tomllib
import types
import typing
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from kamdocs.errors import ConfigError

CONFIG_NAME = "kamdocs.toml"


@dataclass(frozen=True)
class CompanySettings:
    #: Our company, as it appears on covers and in core properties (author).
    name: str = "Northwind Analytics"
    #: Where the numbers come from, printed in footers.
    data_source: str = "Salesforce export"


@dataclass(frozen=True)
class LocaleSettings:
    #: ISO 4217 currency of every amount in the input.
    currency: str = "USD"
    #: CLDR locale for numbers and dates ("en_US", "de_DE", "en_GB").
    locale: str = "en_US"
    #: strftime format of ambiguous short dates in CSVs (e.g. "%m/%d/%y"); ISO dates always parse.
    date_format: str = "%m/%d/%y"
    #: First month of the fiscal year (1 = January).
    fiscal_year_start_month: int = 1


@dataclass(frozen=True)
class TierSettings:
    #: Fixed size of Tier 1; 0 = clamp(round(5% of accounts), 5, 20).
    tier1_count: int = 0
    #: Fixed size of Tier 2; 0 = clamp(round(15% of accounts), 20, 50).
    tier2_count: int = 0
    weight_revenue: float = 0.5
    weight_strategic: float = 0.2
    weight_growth: float = 0.3


@dataclass(frozen=True)
class OpportunitySettings:
    #: Opportunity.Type values that mean a renewal.
    renewal_types: tuple[str, ...] = ("Renewal", "Existing Business - Renewal")
    #: Opportunity.Type values that mean an expansion of an existing customer.
    expansion_types: tuple[str, ...] = ("Expansion", "Upsell", "Cross-sell", "Existing Business")
    #: StageName given to proposed (Data Loader insert) opportunities.
    new_stage: str = "Prospecting"
    #: Opportunity.Type given to proposed expansion opportunities.
    expansion_type: str = "Expansion"
    #: Opportunity.Type given to proposed renewal opportunities.
    renewal_type: str = "Renewal"


@dataclass(frozen=True)
class RenewalSettings:
    #: The renewal opportunity should exist this many months before the renewal date...
    window_open_months: int = 9
    #: ...and is late when still missing this many months before it.
    window_late_months: int = 6
    #: A renewal opportunity matches a renewal date when it closes within this many days of it.
    match_days: int = 90
    #: Renewal amount / current annual revenue that counts as retained (1.0 = 100%).
    retention_target: float = 1.0


@dataclass(frozen=True)
class CadenceSettings:
    #: Months between QBRs per tier ("1", "2", "3").
    qbr_months: dict[str, int] = field(default_factory=lambda: {"1": 3, "2": 3, "3": 6})
    #: Months between EBRs per tier; tiers not listed hold no EBR.
    ebr_months: dict[str, int] = field(default_factory=lambda: {"1": 12})
    #: Event.Type values (or words in the Subject) that mark a QBR / an EBR.
    qbr_markers: tuple[str, ...] = ("QBR", "Quarterly Business Review")
    ebr_markers: tuple[str, ...] = ("EBR", "Executive Business Review")


@dataclass(frozen=True)
class RelationshipSettings:
    #: Regular expressions (case-insensitive) for executive titles.
    executive_titles: tuple[str, ...] = (
        r"\bC[A-Z]O\b", r"\bChief\b", r"\bPresident\b", r"\bS?VP\b", r"\bVice President\b",
        r"\bHead of\b", r"\bManaging Director\b", r"\bGeneral Manager\b",
    )
    #: Buying roles that make a contact a key stakeholder.
    key_roles: tuple[str, ...] = ("Economic Buyer", "Decision Maker")
    #: Influence (1-5) from which a contact is a key stakeholder.
    key_influence: int = 4
    #: A key stakeholder with no Task/Event in this many days is flagged.
    stale_days: int = 90


@dataclass(frozen=True)
class WhitespaceSettings:
    #: How many cells become expansion candidates per account.
    candidate_count: int = 5
    #: Smallest uncovered whitespace (currency units) for a candidate.
    candidate_min: float = 25000.0


@dataclass(frozen=True)
class ColumnSettings:
    #: Extra spellings per field: {"Account.Account_Tier__c" = ["Segment"]}.
    aliases: dict[str, list[str]] = field(default_factory=dict)
    #: Other names of objects (file, sheet or table): {"Account_Goal__c" = ["Goals"]}.
    objects: dict[str, list[str]] = field(default_factory=dict)
    #: Columns to keep beyond the ones kamdocs uses, per object: {"Account" = ["Website"]}.
    #: Kept columns are internal-only unless also listed in ``customer_visible``.
    keep: dict[str, list[str]] = field(default_factory=dict)
    customer_visible: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class TemplateSettings:
    #: Our layout role -> the layout name in the brand .pptx master.
    layouts: dict[str, str] = field(default_factory=dict)
    #: Path to a logo image used on covers (relative to the config file).
    logo: str = ""


@dataclass(frozen=True)
class Settings:
    company: CompanySettings = field(default_factory=CompanySettings)
    locale: LocaleSettings = field(default_factory=LocaleSettings)
    tiers: TierSettings = field(default_factory=TierSettings)
    opportunities: OpportunitySettings = field(default_factory=OpportunitySettings)
    renewals: RenewalSettings = field(default_factory=RenewalSettings)
    cadence: CadenceSettings = field(default_factory=CadenceSettings)
    relationships: RelationshipSettings = field(default_factory=RelationshipSettings)
    whitespace: WhitespaceSettings = field(default_factory=WhitespaceSettings)
    columns: ColumnSettings = field(default_factory=ColumnSettings)
    templates: TemplateSettings = field(default_factory=TemplateSettings)
    #: The review date when ``--as-of`` is not given (TOML date: ``as_of = 2026-11-23``);
    #: without either the command line uses today's date.
    as_of: date | None = None
    #: The file these settings came from (None = defaults); relative paths resolve against it.
    path: Path | None = None


def find_config(data: str | Path | None, explicit: str | Path | None) -> Path | None:
    """The config to use: ``--config`` if given, else ``kamdocs.toml`` beside the data."""
    if explicit is not None:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"{path}: config file not found")
        return path
    if data is None or "://" in str(data):
        return None
    base = Path(data)
    folder = base if base.is_dir() else base.parent
    candidate = folder / CONFIG_NAME
    return candidate if candidate.is_file() else None


def load_settings(path: str | Path | None = None, **overrides: Any) -> Settings:
    """Read a config file (or the defaults) and apply ``section.key`` overrides that are not None.

    ``load_settings(p, **{"locale.currency": "EUR"})`` sets one key; None values are ignored
    so that flags the user did not pass never override the file.
    """
    raw: dict[str, Any] = {}
    source = "<defaults>"
    if path is not None:
        path = Path(path)
        source = str(path)
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read config ({exc})") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
    for dotted, value in overrides.items():
        if value is None:
            continue
        section, _, key = dotted.partition(".")
        raw.setdefault(section, {})[key] = value
    settings = _build(Settings, raw, source, prefix="")
    return dataclasses.replace(settings, path=Path(path) if path is not None else None)


def _build(cls: type, raw: dict[str, Any], source: str, prefix: str) -> Any:
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: [{prefix.rstrip('.')}] must be a table")
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls) if f.name != "path"}
    unknown = sorted(set(raw) - names)
    if unknown:
        raise ConfigError(
            f"{source}: unknown config key {prefix}{unknown[0]!s}"
            f" (known: {', '.join(sorted(names))})"
        )
    values = {}
    for name, value in raw.items():
        hint = hints[name]
        key = f"{prefix}{name}"
        if dataclasses.is_dataclass(hint):
            values[name] = _build(hint, value, source, prefix=f"{key}.")
        else:
            values[name] = _coerce(hint, value, source, key)
    return cls(**values)


def _coerce(hint: Any, value: Any, source: str, key: str) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)

    def wrong(expected: str) -> ConfigError:
        return ConfigError(f"{source}: {key} must be {expected}, not {value!r}")

    if hint is bool:
        if not isinstance(value, bool):
            raise wrong("true or false")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise wrong("a whole number")
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise wrong("a number")
        return float(value)
    if hint is str:
        if not isinstance(value, str):
            raise wrong("a string")
        return value
    if origin is tuple:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise wrong("a list of strings")
        return tuple(value)
    if origin is list:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise wrong("a list of strings")
        return list(value)
    if origin is dict:
        if not isinstance(value, dict):
            raise wrong("a table")
        inner = args[1]
        return {str(k): _coerce(inner, v, source, f"{key}.{k}") for k, v in value.items()}
    if origin in (types.UnionType, typing.Union) and date in args:
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                raise wrong("a date (2026-11-23)") from None
        if isinstance(value, datetime.datetime) or not isinstance(value, date):
            raise wrong("a date (2026-11-23)")
        return value
    if origin in (types.UnionType, typing.Union):
        return value
    raise wrong(str(hint))
