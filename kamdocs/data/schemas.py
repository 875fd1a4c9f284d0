"""Every object and column kamdocs reads, in one place.

Inputs arrive with Salesforce API names (``AccountId``, ``Account_Tier__c``), lower-cased
by a warehouse sync (``account_id``, ``account_tier_c``) or as report labels
(``ACCOUNT TIER``). All resolve through :func:`normalise`: lower-case, drop ``_`` and spaces.

After loading, every table is a DataFrame whose columns are exactly the canonical names
below (a field absent from the input is absent from the frame, never filled with junk),
plus the provenance columns ``ROW`` (spreadsheet row number, header = 1) and ``FILE``.
Types after loading: ``ID``/``REF`` -> 18-character str (15-character inputs expanded),
``TEXT``/``PICK`` -> str, ``DATE`` -> ``datetime64`` (date part), ``BOOL`` -> bool,
``INT`` -> nullable ``Int64``, ``NUM`` -> float64. Missing values are ``pd.NA``/``NaT``/NaN.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum


class Kind(str, Enum):
    ID = "id"  # the record's own Salesforce Id
    REF = "ref"  # a Salesforce Id pointing at another record
    TEXT = "text"
    PICK = "picklist"
    DATE = "date"  # dates and datetimes; kept as the date part
    BOOL = "bool"
    INT = "int"
    NUM = "number"


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind = Kind.TEXT
    required: bool = False
    #: For PICK: the allowed values (others are a warning listing these).
    allowed: tuple[str, ...] = ()
    #: For REF: the object it points at ("Account", "Contact", "User", ...).
    target: str | None = None
    #: Inclusive bounds for INT/NUM (values outside are a warning).
    low: float | None = None
    high: float | None = None
    #: Other spellings (the normalised canonical name always matches).
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    #: Other names of the object (files, sheets, tables), besides the canonical one.
    aliases: tuple[str, ...] = ()
    #: The column that ties a row to an account (directly), if any.
    account_column: str | None = None
    extra: dict = field(default_factory=dict)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)


# --------------------------------------------------------------------------- names

ROW = "ROW"  # provenance: spreadsheet row number (header = 1)
FILE = "FILE"  # provenance: file (or workbook:sheet, or table) the row came from

ID = "Id"
NAME = "Name"
ACCOUNT_ID = "AccountId"
OWNER_ID = "OwnerId"
IS_DELETED = "IsDeleted"

TIERS = ("Tier 1", "Tier 2", "Tier 3")
STANCES = ("Champion", "Supporter", "Neutral", "Skeptic", "Detractor")
ENGAGEMENTS = ("High", "Medium", "Low")
BUYING_ROLES = (
    "Economic Buyer", "Decision Maker", "Technical Buyer", "Influencer", "User", "Gatekeeper",
)
LEVELS = ("High", "Medium", "Low")
KPI_KINDS = ("KPI", "SLA")

# Rows a warehouse sync marks as deleted; dropped and counted at load.
DELETED_FLAGS = ("IsDeleted", "_fivetran_deleted")

# Objects and linking columns the loader's cross-table checks name.
ACCOUNT = "Account"
USER = "User"
CONTACT = "Contact"
OPPORTUNITY = "Opportunity"
PRODUCT2 = "Product2"
TASK = "Task"
EVENT = "Event"
OPPORTUNITY_CONTACT_ROLE = "OpportunityContactRole"
CUSTOM_ACCOUNT_ID = "Account__c"
WHAT_ID = "WhatId"
WHO_ID = "WhoId"
REPORTS_TO_ID = "ReportsToId"
PARENT_ID = "ParentId"
OPPORTUNITY_ID = "OpportunityId"
CONTACT_ID = "ContactId"
#: Salesforce key prefixes (the first 3 Id characters) a WhatId/WhoId is recognised by.
KEY_PREFIXES = {ACCOUNT: "001", CONTACT: "003", OPPORTUNITY: "006", USER: "005"}
#: Objects a reference may point at outside the export (inactive users, unsold products):
#: an unknown target is a warning, not an error.
SOFT_TARGETS = (USER, PRODUCT2)
#: References whose unknown target is a warning: a parent account outside the export, a
#: WhoId that names a Lead.
SOFT_REFERENCES = ((ACCOUNT, PARENT_ID), (TASK, WHO_ID), ("Event", WHO_ID))
#: Objects whose rows reach their account through an Opportunity (OpportunityId).
VIA_OPPORTUNITY = (OPPORTUNITY_CONTACT_ROLE, "OpportunityLineItem")
#: Objects whose rows reach their account through AccountId, else WhatId, else WhoId.
ACTIVITIES = (TASK, EVENT)

_ACCOUNT_REF = Column(ACCOUNT_ID, Kind.REF, required=True, target="Account")
_CUSTOM_ACCOUNT_REF = Column("Account__c", Kind.REF, required=True, target="Account",
                             aliases=("AccountId",))

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "Account",
            (
                Column(ID, Kind.ID, required=True),
                Column(NAME, Kind.TEXT, required=True),
                Column(OWNER_ID, Kind.REF, target="User"),
                Column("Industry"),
                Column("AnnualRevenue", Kind.NUM, low=0),
                Column("BillingCountry"),
                Column("ParentId", Kind.REF, target="Account"),
                Column("Account_Tier__c", Kind.PICK, allowed=TIERS, aliases=("Tier",)),
                Column("Strategic_Value__c", Kind.INT, low=1, high=5),
                Column("Renewal_Date__c", Kind.DATE),
                Column(IS_DELETED, Kind.BOOL),
            ),
            aliases=("Accounts",),
        ),
        Table(
            "User",
            (
                Column(ID, Kind.ID, required=True),
                Column(NAME, Kind.TEXT, required=True),
                Column("Title"),
                Column("Email"),
                Column(IS_DELETED, Kind.BOOL),
            ),
            aliases=("Users",),
        ),
        Table(
            "AccountTeamMember",
            (
                Column(ID, Kind.ID),
                _ACCOUNT_REF,
                Column("UserId", Kind.REF, required=True, target="User"),
                Column("TeamMemberRole", Kind.TEXT, required=True),
                Column(IS_DELETED, Kind.BOOL),
            ),
            account_column=ACCOUNT_ID,
        ),
        Table(
            "Contact",
            (
                Column(ID, Kind.ID, required=True),
                _ACCOUNT_REF,
                Column("LastName", Kind.TEXT, required=True),
                Column("FirstName"),
                Column("Title"),
                Column("Department"),
                Column("Email"),
                Column("ReportsToId", Kind.REF, target="Contact"),
                Column("Influence__c", Kind.INT, low=1, high=5),
                Column("Access_Owner__c", Kind.REF, target="User"),
                Column("Stance__c", Kind.PICK, allowed=STANCES),
                Column("Engagement__c", Kind.PICK, allowed=ENGAGEMENTS),
                Column("Buying_Role__c", Kind.PICK, allowed=BUYING_ROLES),
                Column(IS_DELETED, Kind.BOOL),
            ),
            aliases=("Contacts",),
            account_column=ACCOUNT_ID,
        ),
        Table(
            "AccountContactRelation",
            (
                Column(ID, Kind.ID),
                _ACCOUNT_REF,
                Column("ContactId", Kind.REF, required=True, target="Contact"),
                Column("Roles"),
                Column(IS_DELETED, Kind.BOOL),
            ),
            account_column=ACCOUNT_ID,
        ),
        Table(
            "Opportunity",
            (
                Column(ID, Kind.ID, required=True),
                _ACCOUNT_REF,
                Column(NAME, Kind.TEXT, required=True),
                Column("StageName", Kind.TEXT, required=True),
                Column("CloseDate", Kind.DATE, required=True),
                Column("Amount", Kind.NUM, low=0),
                Column("Type"),
                Column("IsClosed", Kind.BOOL),
                Column("IsWon", Kind.BOOL),
                Column("Probability", Kind.NUM, low=0, high=100),
                Column("ForecastCategoryName"),
                Column(OWNER_ID, Kind.REF, target="User"),
                Column("Product_Family__c"),
                Column("Business_Unit__c"),
                Column(IS_DELETED, Kind.BOOL),
            ),
            aliases=("Opportunities",),
            account_column=ACCOUNT_ID,
        ),
        Table(
            "OpportunityContactRole",
            (
                Column(ID, Kind.ID),
                Column("OpportunityId", Kind.REF, required=True, target="Opportunity"),
                Column("ContactId", Kind.REF, required=True, target="Contact"),
                Column("Role"),
                Column("IsPrimary", Kind.BOOL),
                Column(IS_DELETED, Kind.BOOL),
            ),
        ),
        Table(
            "OpportunityLineItem",
            (
                Column(ID, Kind.ID),
                Column("OpportunityId", Kind.REF, required=True, target="Opportunity"),
                Column("Product2Id", Kind.REF, target="Product2"),
                Column("TotalPrice", Kind.NUM, low=0),
                Column(IS_DELETED, Kind.BOOL),
            ),
        ),
        Table(
            "Product2",
            (
                Column(ID, Kind.ID, required=True),
                Column(NAME, Kind.TEXT, required=True),
                Column("Family"),
                Column(IS_DELETED, Kind.BOOL),
            ),
            aliases=("Product", "Products"),
        ),
        Table(
            "Task",
            (
                Column(ID, Kind.ID, required=True),
                Column("Subject", Kind.TEXT, required=True),
                Column("Status", Kind.TEXT, required=True),
                Column(ACCOUNT_ID, Kind.REF, target="Account"),
                # WhatId points at an Account or an Opportunity of it (resolved at load).
                Column("WhatId", Kind.REF),
                Column("WhoId", Kind.REF, target="Contact"),
                Column("ActivityDate", Kind.DATE),
                Column("Priority"),
                Column(OWNER_ID, Kind.REF, target="User"),
                Column("IsClosed", Kind.BOOL),
                Column("Description"),
                Column("Success_Measure__c"),
                Column("Escalation_Path__c"),
                Column("Customer_Visible__c", Kind.BOOL),
                Column("CompletedDateTime", Kind.DATE),
                Column(IS_DELETED, Kind.BOOL),
            ),
            aliases=("Tasks",),
            account_column=ACCOUNT_ID,
        ),
        Table(
            "Event",
            (
                Column(ID, Kind.ID, required=True),
                Column(ACCOUNT_ID, Kind.REF, target="Account"),
                Column("WhatId", Kind.REF),
                Column("WhoId", Kind.REF, target="Contact"),
                Column("Subject"),
                Column("Type"),
                Column("ActivityDate", Kind.DATE),
                Column("StartDateTime", Kind.DATE),
                Column("Description"),
                Column(IS_DELETED, Kind.BOOL),
            ),
            aliases=("Events",),
            account_column=ACCOUNT_ID,
        ),
        Table(
            "Contract",
            (
                Column(ID, Kind.ID, required=True),
                _ACCOUNT_REF,
                Column("StartDate", Kind.DATE),
                Column("EndDate", Kind.DATE),
                Column("Status"),
                Column(IS_DELETED, Kind.BOOL),
            ),
            aliases=("Contracts",),
            account_column=ACCOUNT_ID,
        ),
        Table(
            "Asset",
            (
                Column(ID, Kind.ID, required=True),
                _ACCOUNT_REF,
                Column(NAME),
                Column("Product2Id", Kind.REF, target="Product2"),
                Column("Status"),
                Column("Annual_Value__c", Kind.NUM, low=0),
                Column("Price", Kind.NUM, low=0),
                Column("Quantity", Kind.NUM, low=0),
                Column("Business_Unit__c"),
                Column("Region__c"),
                Column("Use_Case__c"),
                Column("InstallDate", Kind.DATE),
                Column("UsageEndDate", Kind.DATE),
                Column(IS_DELETED, Kind.BOOL),
            ),
            aliases=("Assets",),
            account_column=ACCOUNT_ID,
        ),
        Table(
            "Whitespace_Potential__c",
            (
                Column(ID, Kind.ID),
                _CUSTOM_ACCOUNT_REF,
                Column("Product__c", Kind.TEXT, required=True),
                Column("Business_Unit__c"),
                Column("Region__c"),
                Column("Use_Case__c"),
                Column("Potential__c", Kind.NUM, required=True, low=0),
                Column(IS_DELETED, Kind.BOOL),
            ),
            aliases=("Whitespace", "WhitespacePotential"),
            account_column="Account__c",
        ),
        Table(
            "Account_Goal__c",
            (
                Column(ID, Kind.ID),
                _CUSTOM_ACCOUNT_REF,
                Column(NAME, Kind.TEXT, required=True),
                Column("Description__c"),
                Column("Target_Date__c", Kind.DATE),
                Column("Status__c"),
                Column("Owner__c"),
                Column("Customer_Visible__c", Kind.BOOL),
                Column(IS_DELETED, Kind.BOOL),
            ),
            aliases=("Goals", "AccountGoal"),
            account_column="Account__c",
        ),
        Table(
            "Account_Risk__c",
            (
                Column(ID, Kind.ID),
                _CUSTOM_ACCOUNT_REF,
                Column(NAME, Kind.TEXT, required=True),
                Column("Severity__c", Kind.PICK, allowed=LEVELS),
                Column("Likelihood__c", Kind.PICK, allowed=LEVELS),
                Column("Mitigation__c"),
                Column("Owner__c"),
                Column("Status__c"),
                Column("Customer_Visible__c", Kind.BOOL),
                Column(IS_DELETED, Kind.BOOL),
            ),
            aliases=("Risks", "AccountRisk"),
            account_column="Account__c",
        ),
        Table(
            "KPI_Measurement__c",
            (
                Column(ID, Kind.ID),
                _CUSTOM_ACCOUNT_REF,
                Column(NAME, Kind.TEXT, required=True),
                Column("Kind__c", Kind.PICK, allowed=KPI_KINDS),
                Column("Period_End__c", Kind.DATE, required=True),
                Column("Target__c", Kind.NUM),
                Column("Actual__c", Kind.NUM),
                Column("Unit__c"),
                Column("Higher_Is_Better__c", Kind.BOOL),
                Column(IS_DELETED, Kind.BOOL),
            ),
            aliases=("KPIs", "KPI_Measurements", "KpiMeasurement"),
            account_column="Account__c",
        ),
        Table(
            "Account_Plan__c",
            (
                Column(ID, Kind.ID),
                _CUSTOM_ACCOUNT_REF,
                Column("Executive_Summary__c"),
                Column("Strategy__c"),
                Column("Value_Proposition__c"),
                Column("Customer_Objectives__c"),
                Column(IS_DELETED, Kind.BOOL),
            ),
            aliases=("AccountPlan", "Plans"),
            account_column="Account__c",
        ),
    )
}


def normalise(name: str) -> str:
    """The key two spellings of a column or object name share:
    ``Account_Tier__c``, ``account_tier_c`` and ``ACCOUNT TIER`` all give ``accounttierc``
    or ``accounttier``; callers try both (see :func:`name_keys`)."""
    return re.sub(r"[\s_\-]+", "", name.strip().lstrip("\ufeff")).lower()


def name_keys(name: str) -> tuple[str, ...]:
    """Every normalised key a canonical name answers to: ``Account_Tier__c`` ->
    (``accounttierc``, ``accounttier``): a warehouse keeps the ``c``, a report drops it."""
    key = normalise(name)
    keys = [key]
    if name.endswith("__c"):
        keys.append(key[: -1])
    return tuple(dict.fromkeys(keys))


# --------------------------------------------------------------------------- field names
# One constant per canonical name that code outside this module reads (data/derive,
# data/assemble, exports): no other module spells an object or a column.
ACCOUNT_TEAM_MEMBER = "AccountTeamMember"
ACCOUNT_CONTACT_RELATION = "AccountContactRelation"
OPPORTUNITY_LINE_ITEM = "OpportunityLineItem"
CONTRACT = "Contract"
ASSET = "Asset"
WHITESPACE_POTENTIAL = "Whitespace_Potential__c"
ACCOUNT_GOAL = "Account_Goal__c"
ACCOUNT_RISK = "Account_Risk__c"
KPI_MEASUREMENT = "KPI_Measurement__c"
ACCOUNT_PLAN = "Account_Plan__c"

INDUSTRY = "Industry"
ANNUAL_REVENUE = "AnnualRevenue"
BILLING_COUNTRY = "BillingCountry"
ACCOUNT_TIER = "Account_Tier__c"
STRATEGIC_VALUE = "Strategic_Value__c"
RENEWAL_DATE = "Renewal_Date__c"
TITLE = "Title"
EMAIL = "Email"
USER_ID = "UserId"
TEAM_MEMBER_ROLE = "TeamMemberRole"
FIRST_NAME = "FirstName"
LAST_NAME = "LastName"
DEPARTMENT = "Department"
INFLUENCE = "Influence__c"
ACCESS_OWNER = "Access_Owner__c"
STANCE = "Stance__c"
ENGAGEMENT = "Engagement__c"
BUYING_ROLE = "Buying_Role__c"
ROLES = "Roles"
ROLE = "Role"
IS_PRIMARY = "IsPrimary"
STAGE_NAME = "StageName"
CLOSE_DATE = "CloseDate"
AMOUNT = "Amount"
TYPE = "Type"
IS_CLOSED = "IsClosed"
IS_WON = "IsWon"
PROBABILITY = "Probability"
FORECAST_CATEGORY = "ForecastCategoryName"
PRODUCT_FAMILY = "Product_Family__c"
BUSINESS_UNIT = "Business_Unit__c"
PRODUCT2_ID = "Product2Id"
TOTAL_PRICE = "TotalPrice"
FAMILY = "Family"
SUBJECT = "Subject"
STATUS = "Status"
ACTIVITY_DATE = "ActivityDate"
START_DATE_TIME = "StartDateTime"
COMPLETED_DATE_TIME = "CompletedDateTime"
PRIORITY = "Priority"
DESCRIPTION = "Description"
SUCCESS_MEASURE = "Success_Measure__c"
ESCALATION_PATH = "Escalation_Path__c"
CUSTOMER_VISIBLE = "Customer_Visible__c"
START_DATE = "StartDate"
END_DATE = "EndDate"
ANNUAL_VALUE = "Annual_Value__c"
PRICE = "Price"
QUANTITY = "Quantity"
REGION = "Region__c"
USE_CASE = "Use_Case__c"
INSTALL_DATE = "InstallDate"
USAGE_END_DATE = "UsageEndDate"
PRODUCT = "Product__c"
POTENTIAL = "Potential__c"
DESCRIPTION_C = "Description__c"
TARGET_DATE = "Target_Date__c"
STATUS_C = "Status__c"
OWNER_C = "Owner__c"
SEVERITY = "Severity__c"
LIKELIHOOD = "Likelihood__c"
MITIGATION = "Mitigation__c"
KIND_C = "Kind__c"
PERIOD_END = "Period_End__c"
TARGET = "Target__c"
ACTUAL = "Actual__c"
UNIT = "Unit__c"
HIGHER_IS_BETTER = "Higher_Is_Better__c"
EXECUTIVE_SUMMARY = "Executive_Summary__c"
STRATEGY = "Strategy__c"
VALUE_PROPOSITION = "Value_Proposition__c"
CUSTOMER_OBJECTIVES = "Customer_Objectives__c"
