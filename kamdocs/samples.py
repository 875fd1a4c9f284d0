"""Synthetic Salesforce-shaped portfolios: the demo ``samples/``, benchmarks and test scenarios.

:func:`generate` returns one DataFrame per Salesforce object, with the API column names of
:mod:`kamdocs.data.schemas` and every value a string written the way a Salesforce Data Export
writes it: 18-character Ids with a valid checksum, dates ``2026-05-31``, datetimes
``2026-05-31T14:00:00.000+0000``, booleans ``true``/``false``; a missing value is missing
(NaN in the ``str`` column, an empty cell in the CSV). :func:`write_csv_folder` turns the
frames into ``Account.csv``, ``Contact.csv``, ... (UTF-8 without BOM, LF line ends, minimal
quoting), one atomic write per file.

Everything is drawn from ``random.Random`` seeded by ``seed`` (one stream for the portfolio,
one per account), and every date is relative to ``as_of``: the same arguments give identical
bytes on every machine. People are synthetic; e-mail addresses are under example.com.

A few accounts carry planted internal-only markers (:data:`INTERNAL_MARKERS`, on the accounts
whose generation index is a multiple of :data:`MARKER_EVERY`) so tests can prove a customer
document never shows internal content.
"""

from __future__ import annotations

import io
import math
import random
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from types import MappingProxyType

import pandas as pd

from kamdocs.config import CONFIG_NAME
from kamdocs.data import schemas as sf
from kamdocs.writer import write_atomic

#: The committed demo portfolio (samples/) is ``generate(SAMPLES_ACCOUNTS, SAMPLES_SEED,
#: SAMPLES_AS_OF)``; tests regenerate it and compare bytes.
SAMPLES_SEED = 20261123
SAMPLES_ACCOUNTS = 40
SAMPLES_AS_OF = date(2026, 11, 23)
#: Our (the vendor's) company name, written to kamdocs.toml [company] name.
COMPANY_NAME = "Lumenfield Software"
OUR_DOMAIN = "lumenfield.example.com"

# --------------------------------------------------------------------------- planted markers
#: Every planted value starts with this, so a test can grep a customer document for it.
MARKER_PREFIX = "INTERNAL-ONLY"
#: Account_Risk__c.Name of a risk with Customer_Visible__c = false.
INTERNAL_RISK_MARKER = (
    "INTERNAL-ONLY: procurement is benchmarking our renewal price against Vantor BI"
)
#: Account_Risk__c.Mitigation__c of that same internal risk.
INTERNAL_MITIGATION_MARKER = (
    "INTERNAL-ONLY: walk-away price agreed with the deal desk at 12% below list"
)
#: Task.Description of a task with Customer_Visible__c = false.
INTERNAL_TASK_MARKER = "INTERNAL-ONLY: discount authority above 18% needs CFO sign-off (KD-7731)"
#: Account_Goal__c.Name of a goal with Customer_Visible__c = false.
INTERNAL_GOAL_MARKER = "INTERNAL-ONLY: lift gross margin on this account to 78% by FY2028"
#: Account_Plan__c.Strategy__c (an internal field) ends with this sentence.
INTERNAL_STRATEGY_MARKER = (
    "INTERNAL-ONLY: keep the Vantor BI pilot out of the QBR discussion until the renewal is signed."
)
#: Event.Description (internal in the model) of a QBR.
INTERNAL_MEETING_MARKER = "INTERNAL-ONLY: the CFO privately called our support 'unacceptable'"
INTERNAL_MARKERS = (
    INTERNAL_RISK_MARKER,
    INTERNAL_MITIGATION_MARKER,
    INTERNAL_TASK_MARKER,
    INTERNAL_GOAL_MARKER,
    INTERNAL_STRATEGY_MARKER,
    INTERNAL_MEETING_MARKER,
)
#: Accounts whose generation index is a multiple of this carry every marker.
MARKER_EVERY = 10

# --------------------------------------------------------------------------- Salesforce Ids

_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_CHECKSUM_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
_UPPER_BITS = MappingProxyType(str.maketrans({c: ("1" if c.isupper() else "0")
                                               for c in _BASE62}))
#: Key prefixes as a real org uses them (custom objects get a0X prefixes).
_KEY_PREFIX = MappingProxyType({
    sf.ACCOUNT: "001",
    sf.CONTACT: "003",
    sf.USER: "005",
    sf.OPPORTUNITY: "006",
    sf.TASK: "00T",
    sf.EVENT: "00U",
    sf.CONTRACT: "800",
    sf.ASSET: "02i",
    sf.PRODUCT2: "01t",
    sf.OPPORTUNITY_LINE_ITEM: "00k",
    sf.OPPORTUNITY_CONTACT_ROLE: "00K",
    sf.ACCOUNT_CONTACT_RELATION: "07k",
    sf.ACCOUNT_TEAM_MEMBER: "01M",
    sf.WHITESPACE_POTENTIAL: "a0A",
    sf.ACCOUNT_GOAL: "a0B",
    sf.ACCOUNT_RISK: "a0C",
    sf.KPI_MEASUREMENT: "a0D",
    sf.ACCOUNT_PLAN: "a0E",
})
#: Objects in the order their frames are returned and their files written.
OBJECTS = tuple(_KEY_PREFIX)
#: The two "pod" characters of an org instance, as in 001Kd0000...
_POD = "Kd"


def id_checksum(id15: str) -> str:
    """The 3-character suffix that makes a 15-character Salesforce Id case-insensitive.

    Each 5-character chunk gives one character: bit i is set when character i is upper case.
    """
    bits = id15.translate(_UPPER_BITS)
    return "".join(_CHECKSUM_CHARS[int(bits[i : i + 5][::-1], 2)] for i in (0, 5, 10))


def salesforce_id(prefix: str, number: int) -> str:
    """An 18-character Id: key prefix, pod, zero-padded base-62 ``number``, checksum."""
    digits = []
    for _ in range(6):
        number, rem = divmod(number, 62)
        digits.append(_BASE62[rem])
    if number:
        raise ValueError("Id counter overflow")
    body = f"{prefix}{_POD}0000{''.join(reversed(digits))}"
    return body + id_checksum(body)


_PAIRS = tuple(a + b for a in _BASE62 for b in _BASE62)


class _IdMaker:
    """Consecutive Ids of one object, fast (this runs for every row): the counter is written
    as three base-62 digit pairs, and the first checksum character depends on the prefix
    only."""

    def __init__(self, prefix: str, start: int) -> None:
        self.number = start
        self.head = f"{prefix}{_POD}0000"
        self.first = id_checksum(self.head + "000000")[0]

    def next(self) -> str:
        self.number += 1
        high, rest = divmod(self.number, 3844 * 3844)
        if high >= 3844:
            raise ValueError("Id counter overflow")
        middle, low = divmod(rest, 3844)
        tail = _PAIRS[high] + _PAIRS[middle] + _PAIRS[low]
        bits = tail.translate(_UPPER_BITS)
        # Chunk 2 is "0000" + tail[0]; chunk 3 is tail[1:6]; bits are read right to left.
        return (self.head + tail + self.first + _CHECKSUM_CHARS[int(bits[0], 2) << 4]
                + _CHECKSUM_CHARS[int(bits[5:0:-1], 2)])


# --------------------------------------------------------------------------- value formats


def _d(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _dt(value: date, minutes: int) -> str:
    """A Data Export datetime (UTC) at ``minutes`` after midnight."""
    return f"{value.isoformat()}T{minutes // 60:02d}:{minutes % 60:02d}:00.000+0000"


def _b(value: bool) -> str:
    return "true" if value else "false"


def _money(value: float) -> str:
    cents = round(value * 100)
    return str(cents // 100) if cents % 100 == 0 else f"{cents / 100:.2f}"


def _num(value: float, places: int) -> str:
    text = f"{value:.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, clamped to the month's last day (Jan 31 + 1 = Feb 28)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    first_next = date(year + (month == 12), month % 12 + 1, 1)
    return date(year, month, min(day.day, (first_next - timedelta(days=1)).day))


def _previous_quarter_end(day: date) -> date:
    """The last calendar quarter end on or before ``day``."""
    month = (day.month - 1) // 3 * 3 + 1  # first month of day's quarter
    start = date(day.year, month, 1)
    end_this = add_months(start, 3) - timedelta(days=1)
    return end_this if end_this <= day else start - timedelta(days=1)


# Letters NFKD does not decompose into an ASCII base letter.
_FOLD = MappingProxyType(str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ß": "ss",
                                        "ł": "l", "Ł": "L", "đ": "d", "œ": "oe"}))


def _ascii(text: str) -> str:
    """Lower-case ASCII letters and digits only: "Søren" -> "soren" (e-mail local parts)."""
    folded = unicodedata.normalize("NFKD", text.translate(_FOLD)).encode("ascii", "ignore").decode("ascii")
    return "".join(ch for ch in folded.lower() if ch.isalnum())


# --------------------------------------------------------------------------- catalogues

#: name -> (family, base annual value in USD, use cases)
_PRODUCTS: tuple[tuple[str, str, int, tuple[str, ...]], ...] = (
    ("Lumenfield Core Platform", "Platform", 180_000,
     ("Enterprise data platform", "Data governance")),
    ("Lumenfield Data Hub", "Platform", 120_000,
     ("Customer 360", "Enterprise data platform")),
    ("Insight Analytics", "Analytics", 90_000,
     ("Self-service BI", "Financial reporting", "Customer 360")),
    ("Forecast Studio", "Analytics", 110_000,
     ("Demand forecasting", "Financial planning")),
    ("Embedded Dashboards", "Analytics", 60_000,
     ("Partner reporting", "Self-service BI")),
    ("Connect API Gateway", "Integration", 70_000,
     ("System integration", "Partner reporting")),
    ("Stream Pipelines", "Integration", 95_000,
     ("Real-time monitoring", "Supply chain visibility")),
    ("Governance & Compliance Suite", "Security", 85_000,
     ("Regulatory reporting", "Data governance")),
    ("Identity Vault", "Security", 45_000,
     ("Access management", "Data governance")),
    ("Premier Support", "Services", 40_000, ("Operational resilience",)),
    ("Managed Operations", "Services", 75_000,
     ("Operational resilience", "Real-time monitoring")),
    ("Training Academy", "Services", 20_000, ("User enablement",)),
)

_REGIONS = ("North America", "EMEA", "APAC", "LATAM")

#: country -> (region, cultures of local names, legal-form suffixes, weight)
_COUNTRIES: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...], float], ...] = (
    ("United States", "North America", ("en_US",), (" Inc.", " Corp.", " LLC", ""), 10),
    ("Canada", "North America", ("en_US", "fr"), (" Inc.", " Ltd."), 2),
    ("Mexico", "LATAM", ("es_MX",), (" S.A. de C.V.",), 1),
    ("Brazil", "LATAM", ("pt_BR",), (" S.A.", " Ltda."), 1.5),
    ("United Kingdom", "EMEA", ("en_GB",), (" plc", " Ltd"), 4),
    ("Ireland", "EMEA", ("en_GB",), (" Ltd", " DAC"), 1),
    ("Germany", "EMEA", ("de",), (" GmbH", " AG", " SE"), 4),
    ("Austria", "EMEA", ("de",), (" AG", " GmbH"), 1),
    ("Switzerland", "EMEA", ("de", "fr"), (" AG", " SA"), 1.5),
    ("France", "EMEA", ("fr",), (" SA", " SAS"), 3),
    ("Belgium", "EMEA", ("nl", "fr"), (" NV", " SA"), 1),
    ("Netherlands", "EMEA", ("nl",), (" N.V.", " B.V."), 2),
    ("Spain", "EMEA", ("es",), (" S.A.", " S.L."), 2),
    ("Italy", "EMEA", ("it",), (" S.p.A.",), 2),
    ("Sweden", "EMEA", ("nordic",), (" AB",), 1.5),
    ("Denmark", "EMEA", ("nordic",), (" A/S",), 1),
    ("Norway", "EMEA", ("nordic",), (" ASA", " AS"), 1),
    ("Finland", "EMEA", ("nordic",), (" Oyj",), 1),
    ("Poland", "EMEA", ("pl",), (" S.A.",), 1),
    ("United Arab Emirates", "EMEA", ("ar", "in", "en_GB"), (" PJSC", " LLC"), 1),
    ("Japan", "APAC", ("ja",), (" K.K.", " Co., Ltd."), 2.5),
    ("Singapore", "APAC", ("zh", "in", "en_GB"), (" Pte. Ltd.",), 1.5),
    ("Australia", "APAC", ("en_AU",), (" Pty Ltd", " Limited"), 2),
    ("India", "APAC", ("in",), (" Ltd.", " Pvt. Ltd."), 2),
    ("South Korea", "APAC", ("ko",), (" Co., Ltd.",), 1),
    ("Hong Kong", "APAC", ("zh", "en_GB"), (" Limited",), 1),
)

#: industry -> (name nouns, customer business units, weight)
_INDUSTRIES: tuple[tuple[str, tuple[str, ...], tuple[str, ...], float], ...] = (
    ("Banking", ("Bank", "Financial Group", "Capital"),
     ("Retail Banking", "Corporate Banking", "Wealth Management", "Risk", "Finance"), 3),
    ("Insurance", ("Insurance", "Assurance", "Mutual"),
     ("Claims", "Underwriting", "Actuarial", "Distribution", "Finance"), 2),
    ("Healthcare", ("Health Systems", "Medical Group", "Clinics"),
     ("Clinical Operations", "Patient Services", "Finance", "Supply Chain", "IT"), 2),
    ("Manufacturing", ("Industries", "Manufacturing", "Precision"),
     ("Operations", "Supply Chain", "Finance", "Quality", "R&D", "Sales"), 3),
    ("Retail", ("Retail Group", "Stores", "Markets"),
     ("Merchandising", "Supply Chain", "E-commerce", "Store Operations", "Finance"), 2),
    ("Energy", ("Energy", "Power", "Renewables"),
     ("Generation", "Trading", "Grid Operations", "Finance", "HSE"), 1.5),
    ("Telecommunications", ("Telecom", "Communications", "Networks"),
     ("Consumer", "Enterprise", "Network Operations", "Finance", "Customer Care"), 1.5),
    ("Transportation", ("Logistics", "Freight", "Rail"),
     ("Operations", "Fleet", "Commercial", "Finance", "Customer Service"), 1.5),
    ("Biotechnology", ("Biosciences", "Therapeutics", "Pharma"),
     ("R&D", "Clinical Trials", "Manufacturing", "Commercial", "Regulatory Affairs"), 1.5),
    ("Utilities", ("Water", "Utilities", "Grid"),
     ("Network Operations", "Customer Operations", "Asset Management", "Finance"), 1),
    ("Food & Beverage", ("Foods", "Brewing", "Dairy"),
     ("Procurement", "Production", "Supply Chain", "Sales", "Finance"), 1),
    ("Electronics", ("Electronics", "Semiconductors", "Devices"),
     ("Engineering", "Manufacturing", "Supply Chain", "Sales", "Finance"), 1),
    ("Chemicals", ("Chemicals", "Materials"),
     ("Production", "Supply Chain", "HSE", "Sales", "Finance"), 1),
    ("Shipping", ("Shipping", "Maritime", "Lines"),
     ("Fleet Operations", "Chartering", "Port Operations", "Finance"), 1),
    ("Media", ("Media", "Publishing", "Broadcasting"),
     ("Advertising", "Content", "Subscriptions", "Finance"), 1),
)

#: Fictional company roots by the culture of the home country; "en" roots suit any country.
#: No root is a substring of another, so no account name contains another's.
_ROOTS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "en": ("Aldermoor", "Brightwater", "Castellan", "Dunmore", "Eastbrook", "Fairhaven",
           "Greywood", "Harrowgate", "Ironvale", "Juniper", "Kestrel", "Larkspur", "Marlowe",
           "Northgate", "Oakhurst", "Pinecrest", "Quarrystone", "Redfern", "Silverline",
           "Thornbury", "Upland", "Westmark", "Yarrowfield", "Kingsbridge", "Lakeshore",
           "Millbrook", "Newhaven", "Prairieland", "Queensport", "Rockport", "Stonebridge",
           "Tidewater", "Whitecliff", "Ashcombe", "Blackthorn", "Cedarwood", "Driftwood",
           "Elmstead", "Foxglove", "Goldcrest", "Hawthorne", "Ivybridge", "Kingfisher",
           "Maplestone", "Nightingale", "Oakridge", "Pembroke", "Sandringham", "Trelawney",
           "Wolverton", "Wessex", "Cumbria", "Harbourside", "Granite Falls", "Bluehaven"),
    "en_AU": ("Tasman", "Kimberley", "Pilbara", "Darling Downs", "Coralbay", "Southcross",
              "Barossa", "Gippsland"),
    "de": ("Albrecht", "Brandtner", "Falkenberg", "Hohenstein", "Rheinfeld", "Sonnwald",
           "Weissach", "Lindenhof", "Saxonia", "Tyrolia", "Bavaris", "Helvetia", "Donautal",
           "Eichwald", "Greifenstein", "Kronberg", "Steinhaus", "Auental"),
    "fr": ("Beaumont", "Delacroix", "Montclair", "Valmorel", "Rochefort", "Lemaire", "Gironde",
           "Quimper", "Riviera", "Ardennes", "Vercors", "Chantilly", "Morvan", "Camargue"),
    "nl": ("Zeewind", "Oosterhout", "Flanders", "Waddenzee", "Duinveld", "Kempen", "Veluwe",
           "Maasland"),
    "nordic": ("Nordvik", "Halvorsen", "Fjordline", "Skagerrak", "Lindqvist", "Jutland",
               "Karelia", "Oresund", "Lofoten", "Norrsken", "Saimaa", "Gotland"),
    "es": ("Solana", "Alcazaba", "Navarra", "Galicia", "Andalus", "Iberion", "Altamira",
           "Montserrat", "Guadalquivir", "Tramuntana"),
    "es_MX": ("Sierra Madre", "Yucatan", "Corvina", "Guadalupe", "Chapultepec", "Oaxaca"),
    "pt_BR": ("Valverde", "Rioclaro", "Ipanema", "Araucaria", "Itapoa", "Serra Azul",
              "Paraty"),
    "it": ("Bellaterra", "Castiglione", "Vespera", "Umbria", "Istria", "Meridiana",
           "Dolomiti", "Valtellina", "Maremma"),
    "pl": ("Vistula", "Pomerania", "Baltica", "Carpathia", "Mazury", "Tatra"),
    "ja": ("Takamura", "Hoshino", "Kiriyama", "Aoyama", "Asahi Kogen", "Fujisawa",
           "Kurosawa", "Matsubara", "Shinagawa", "Tsukuba", "Hakone", "Setouchi"),
    "in": ("Sundaram", "Chandrapur", "Coromandel", "Deccan", "Malabar", "Nilgiri", "Konkan",
           "Vindhya"),
    "ko": ("Hanbit", "Seoyang", "Busan Harbor", "Jeju", "Hallasan", "Namsan"),
    "zh": ("Kowloon", "Lantau", "Sentosa", "Jade River", "Pearl Delta", "Lotus Bay"),
    "ar": ("Al Noor", "Dhow Harbour", "Al Safa", "Oasis Gate", "Marjan", "Al Bayan"),
})

#: Names of the subsidiaries' home regions, used when a root is reused for a child account.
_CHILD_QUALIFIER = MappingProxyType({"North America": "Americas", "EMEA": "Europe",
                                     "APAC": "Asia Pacific", "LATAM": "Latin America"})

_FIRST_NAMES: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "en_US": ("James", "Mary", "Robert", "Patricia", "Michael", "Jennifer", "David", "Linda",
              "Daniel", "Sarah", "Kevin", "Emily", "Brian", "Ashley", "Jason", "Megan", "Tyler",
              "Rachel", "Marcus", "Dana", "Jordan", "Alicia", "Derek", "Monica", "Grant",
              "Kayla", "Trevor", "Nicole"),
    "en_GB": ("Oliver", "Charlotte", "Harry", "Amelia", "George", "Sophie", "Jack", "Emma",
              "Thomas", "Lucy", "William", "Hannah", "Callum", "Imogen", "Rhys", "Fiona",
              "Alistair", "Eleanor", "Niamh", "Declan"),
    "en_AU": ("Lachlan", "Chloe", "Mitchell", "Jessica", "Brodie", "Tahlia", "Hamish",
              "Georgia", "Cooper", "Matilda"),
    "de": ("Lukas", "Anna", "Jonas", "Lena", "Felix", "Katharina", "Maximilian", "Julia",
           "Tobias", "Sabine", "Matthias", "Claudia", "Jürgen", "Birgit", "Stefan", "Ute",
           "Florian", "Miriam", "Andreas", "Kerstin"),
    "fr": ("Camille", "Julien", "Élodie", "Mathieu", "Chloé", "Antoine", "Manon", "Nicolas",
           "Isabelle", "Théo", "Margaux", "Sébastien", "Aurélie", "Laurent", "Hélène",
           "François"),
    "nl": ("Daan", "Sanne", "Bram", "Lotte", "Joost", "Femke", "Pieter", "Maaike", "Ruben",
           "Anouk", "Sven", "Ilse"),
    "es": ("Alejandro", "Lucía", "Javier", "Carmen", "Pablo", "Marta", "Diego", "Elena",
           "Sergio", "Nuria", "Álvaro", "Beatriz"),
    "es_MX": ("Luis", "Sofía", "Carlos", "Valeria", "Jorge", "Daniela", "Ricardo", "Ximena",
              "Andrés", "Paola"),
    "it": ("Marco", "Giulia", "Luca", "Francesca", "Alessandro", "Chiara", "Matteo",
           "Federica", "Davide", "Elisa", "Lorenzo", "Silvia"),
    "pt_BR": ("João", "Ana", "Rafael", "Beatriz", "Gustavo", "Camila", "Felipe", "Larissa",
              "Thiago", "Juliana"),
    "nordic": ("Erik", "Ingrid", "Lars", "Astrid", "Magnus", "Sigrid", "Henrik", "Freja",
               "Mikkel", "Linnea", "Søren", "Maja", "Johan", "Karin"),
    "pl": ("Piotr", "Agnieszka", "Tomasz", "Katarzyna", "Łukasz", "Magdalena", "Paweł",
           "Joanna", "Michał", "Zofia"),
    "ja": ("Haruto", "Yui", "Sota", "Aoi", "Ren", "Hina", "Takumi", "Yuki", "Kenji", "Emi",
           "Daiki", "Naoko"),
    "zh": ("Wei", "Fang", "Lei", "Jing", "Hao", "Min", "Jun", "Xiaoling", "Yang", "Meilin"),
    "ko": ("Min-jun", "Seo-yeon", "Ji-ho", "Ha-eun", "Do-yun", "Ji-woo", "Hyun-woo",
           "Soo-jin"),
    "in": ("Arjun", "Priya", "Rohan", "Ananya", "Vikram", "Kavya", "Rahul", "Sneha", "Aditya",
           "Meera", "Sanjay", "Divya"),
    "ar": ("Omar", "Layla", "Khalid", "Noura", "Yousef", "Mariam", "Faisal", "Huda", "Tariq",
           "Salma"),
    # Native scripts: used by the extreme scenario (CJK and right-to-left).
    "zh_native": ("伟", "芳", "磊", "静", "浩", "敏"),
    "ja_native": ("陽翔", "結衣", "蒼", "美咲", "健二", "直子"),
    "ko_native": ("민준", "서연", "지호", "하은"),
    "ar_native": ("محمد", "فاطمة", "خالد", "ليلى", "يوسف"),
    "he_native": ("דוד", "שרה", "יוסי", "מיכל", "נועה"),
})

_LAST_NAMES: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "en_US": ("Smith", "Johnson", "Carter", "Reynolds", "Brooks", "Hayes", "Sullivan",
              "Bennett", "Foster", "Coleman", "Griffin", "Howard", "Palmer", "Whitaker",
              "Dawson", "Holloway", "Fletcher", "Mitchell", "Bishop", "Lawson", "Ramsey",
              "Pierce", "Hartman", "Caldwell", "Monroe", "Washington", "Ortiz"),
    "en_GB": ("Thompson", "Hughes", "Clarke", "Wright", "Walsh", "Edwards", "Barker",
              "Hargreaves", "Pemberton", "Ashworth", "Davies", "Fairclough", "Kendrick",
              "Whitfield", "O'Brien", "MacLeod", "Pritchard", "Gallagher"),
    "en_AU": ("Nguyen", "Kelly", "Murphy", "Campbell", "Stewart", "Robertson", "Fraser",
              "McKenzie"),
    "de": ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Becker", "Hoffmann",
           "Schäfer", "Koch", "Richter", "Wagner", "Krüger", "Hartmann", "Lange",
           "Zimmermann", "Braun", "Vogel", "Brandt", "Keller", "Neumann"),
    "fr": ("Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Girard", "Fontaine",
           "Rousseau", "Lambert", "Bonnet", "Chevalier", "Garnier", "Mercier", "Faure"),
    "nl": ("de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "de Jong",
           "Mulder", "van Dijk", "Vermeulen"),
    "es": ("García", "Fernández", "López", "Martínez", "Sánchez", "Romero", "Navarro",
           "Torres", "Domínguez", "Gil", "Ortega", "Ibáñez"),
    "es_MX": ("Hernández", "González", "Ramírez", "Flores", "Morales", "Vargas", "Castillo",
              "Jiménez", "Mendoza", "Reyes"),
    "it": ("Rossi", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco", "Bruno",
           "Gallo", "Conti", "De Luca", "Esposito"),
    "pt_BR": ("Silva", "Santos", "Oliveira", "Souza", "Pereira", "Costa", "Almeida",
              "Ferreira", "Ribeiro", "Carvalho"),
    "nordic": ("Andersson", "Johansson", "Lindqvist", "Nilsen", "Hansen", "Berg", "Lund",
               "Holm", "Eriksen", "Sørensen", "Nyström", "Dahl", "Lindgren", "Virtanen"),
    "pl": ("Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Lewandowski", "Zieliński",
           "Dąbrowski", "Mazur", "Krawczyk", "Jankowski"),
    "ja": ("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto",
           "Nakamura", "Kobayashi", "Kato", "Yoshida", "Matsumoto"),
    "zh": ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou"),
    "ko": ("Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon"),
    "in": ("Sharma", "Patel", "Iyer", "Reddy", "Nair", "Gupta", "Menon", "Krishnan",
           "Chatterjee", "Rao", "Joshi", "Kulkarni"),
    "ar": ("Al-Mansouri", "Haddad", "Khalil", "Al-Hashimi", "Nasser", "Saleh", "Farouk",
           "Al-Qassimi", "Mansour", "Aziz"),
    "zh_native": ("王", "李", "张", "刘", "陈", "杨"),
    "ja_native": ("佐藤", "鈴木", "高橋", "田中", "渡辺"),
    "ko_native": ("김", "이", "박", "최"),
    "ar_native": ("العتيبي", "الحداد", "الخليل", "المنصوري", "الهاشمي"),
    "he_native": ("כהן", "לוי", "מזרחי", "פרץ", "ביטון"),
})

#: Cultures mixed into every account's contacts (multinational staff).
_GLOBAL_CULTURES = ("en_US", "en_GB", "in", "de", "fr", "zh", "es", "nl", "it", "nordic")
_NAME_LETTERS = "ABCDEFGHJKLMNPRSTVW"

# Customer departments: (Contact.Department, C-level title, areas, individual titles)
_DEPARTMENTS: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("IT", "Chief Information Officer",
     ("IT Infrastructure", "Enterprise Architecture", "Application Services", "IT Operations"),
     ("Enterprise Architect", "Senior Systems Engineer", "Cloud Engineer", "IT Project Manager")),
    ("Data & Analytics", "Chief Data Officer",
     ("Data & Analytics", "Business Intelligence", "Data Platforms", "Data Governance"),
     ("Senior Data Engineer", "BI Analyst", "Data Scientist", "Analytics Engineer")),
    ("Finance", "Chief Financial Officer",
     ("Financial Planning & Analysis", "Finance Transformation", "Group Controlling",
      "Treasury"),
     ("Financial Analyst", "Senior FP&A Analyst", "Controller", "Finance Systems Analyst")),
    ("Operations", "Chief Operating Officer",
     ("Global Operations", "Operational Excellence", "Service Delivery", "Process Improvement"),
     ("Operations Analyst", "Process Engineer", "Continuous Improvement Lead",
      "Operations Planner")),
    ("Procurement", "Chief Procurement Officer",
     ("Strategic Sourcing", "IT Procurement", "Vendor Management"),
     ("Category Buyer", "Procurement Specialist", "Contract Analyst")),
    ("Supply Chain", "Chief Supply Chain Officer",
     ("Supply Chain Planning", "Logistics", "Demand Planning"),
     ("Demand Planner", "Supply Chain Analyst", "Logistics Coordinator")),
    ("Commercial", "Chief Commercial Officer",
     ("Commercial Excellence", "Sales Operations", "Marketing Analytics"),
     ("Sales Operations Analyst", "Pricing Analyst", "CRM Specialist")),
    ("Risk & Compliance", "Chief Risk Officer",
     ("Regulatory Reporting", "Compliance", "Information Security"),
     ("Compliance Analyst", "Security Analyst", "Risk Analyst")),
    # Last: only the CEO and their office belong here (never drawn for others).
    ("Executive Office", "Chief Executive Officer",
     ("Strategy", "Corporate Development", "Transformation Office"),
     ("Chief of Staff", "Strategy Analyst")),
)
_EXECUTIVE_OFFICE = len(_DEPARTMENTS) - 1
_CEO = "Chief Executive Officer"
_REGULATED = ("Banking", "Insurance", "Healthcare", "Biotechnology", "Energy", "Utilities")

# Reporting levels of a customer org chart: 0 = C-level ... 8 = individual contributor.
# Normal accounts use LEVELS_NORMAL; a deep org chart (extreme scenario) uses all nine.
_LEVELS_NORMAL = (0, 2, 4, 6, 8)
_LEVELS_DEEP = tuple(range(9))


def _title(level: int, department: int, rng: random.Random) -> str:
    _, c_title, areas, individuals = _DEPARTMENTS[department]
    area = rng.choice(areas)
    if level == 0:
        return c_title
    patterns = {
        1: ("SVP, {a}", "EVP {a}"),
        2: ("VP {a}", "Vice President, {a}", "VP, {a}", "SVP {a}"),
        3: ("Head of {a}", "Senior Director, {a}"),
        4: ("Director, {a}", "{a} Director", "Director of {a}"),
        5: ("Senior Manager, {a}",),
        6: ("{a} Manager", "Manager, {a}"),
        7: ("{a} Team Lead", "Lead, {a}"),
    }
    if level >= 8:
        return rng.choice(individuals)
    return rng.choice(patterns[level]).format(a=area)


# Our people (Users): team role -> titles
_TEAM_ROLES: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "Key Account Manager": ("Key Account Manager", "Senior Key Account Manager",
                            "Global Account Director"),
    "Executive Sponsor": ("Chief Revenue Officer", "VP Customer Success", "SVP Sales EMEA",
                          "Chief Product Officer", "SVP Sales Americas", "VP Sales APAC",
                          "Chief Technology Officer"),
    "Sales Engineer": ("Solutions Engineer", "Senior Sales Engineer",
                       "Principal Solutions Architect"),
    "Customer Success Manager": ("Customer Success Manager", "Senior Customer Success Manager"),
    "Renewals Manager": ("Renewals Manager",),
})
_KAM, _SPONSOR, _SE, _CSM, _RENEWALS = tuple(_TEAM_ROLES)
_USER_CULTURES = ("en_US", "en_GB", "de", "fr", "in", "es", "nl", "ja", "nordic", "it", "en_AU")

# Opportunity stages: name -> (probability, forecast category)
_OPEN_STAGES = (
    ("Prospecting", 10, "Pipeline"),
    ("Qualification", 10, "Pipeline"),
    ("Needs Analysis", 20, "Pipeline"),
    ("Value Proposition", 50, "Pipeline"),
    ("Id. Decision Makers", 60, "Pipeline"),
    ("Proposal/Price Quote", 75, "Best Case"),
    ("Negotiation/Review", 90, "Commit"),
)
_WON = ("Closed Won", 100, "Closed")
_LOST = ("Closed Lost", 0, "Omitted")

# KPI catalogue: (name, kind, unit, higher is better, target, decimals, scales with size)
_KPIS: tuple[tuple[str, str, str, bool, float, int, bool], ...] = (
    ("Forecast accuracy", "KPI", "%", True, 92, 1, False),
    ("Dashboard adoption", "KPI", "%", True, 75, 1, False),
    ("Report turnaround time", "KPI", "hours", False, 24, 1, False),
    ("Month-end close duration", "KPI", "days", False, 5, 1, False),
    ("Self-service report share", "KPI", "%", True, 60, 1, False),
    ("Data quality score", "KPI", "%", True, 95, 1, False),
    ("Automated workflows live", "KPI", "count", True, 40, 0, True),
    ("Cost per report", "KPI", "USD", False, 120, 2, False),
    ("Weekly active users", "KPI", "count", True, 400, 0, True),
    ("Manual reconciliations per month", "KPI", "count", False, 50, 0, True),
    ("Platform availability", "SLA", "%", True, 99.9, 2, False),
    ("P1 response time", "SLA", "minutes", False, 30, 0, False),
    ("P2 resolution time", "SLA", "hours", False, 24, 1, False),
    ("Support satisfaction (CSAT)", "SLA", "score", True, 4.5, 2, False),
    ("Data pipeline freshness", "SLA", "minutes", False, 15, 1, False),
    ("Scheduled reports delivered on time", "SLA", "%", True, 98, 1, False),
)

_TASK_OPEN_STATUSES = ("Not Started", "In Progress", "Waiting on someone else")

# Action templates: (subject, description, success measure, customer visible)
# Slots: {contact} {title} {product} {bu} {region} {usecase} {quarter} {year} {short}
_JOINT_TASKS: tuple[tuple[str, str, str], ...] = (
    ("Run {product} adoption workshop with {bu}",
     "Hands-on session for {bu} power users on the new {usecase} dashboards.",
     "At least 25 {bu} users active within 30 days of the workshop"),
    ("Agree {quarter} success plan with {contact}",
     "Walk through the success plan milestones and confirm owners on both sides.",
     "Success plan signed off by {contact}"),
    ("Deliver {usecase} pilot in {region}",
     "Pilot scope: two business units, four weeks, weekly check-ins with {contact}.",
     "Pilot meets the agreed accuracy target"),
    ("Complete single sign-on rollout for {region} users",
     "Coordinate the identity provider change with the customer's IT team.",
     "All {region} users sign in through the corporate identity provider"),
    ("Share {quarter} usage report with {contact}",
     "Usage by team and feature, with the adoption trend since the last review.",
     "Report reviewed at the next QBR"),
    ("Hold {product} roadmap briefing for {bu}",
     "Preview the next two releases and collect priorities from {bu}.",
     "Top three {bu} requests recorded with target releases"),
    ("Migrate legacy {bu} reports to {product}",
     "Inventory of 40 legacy reports agreed; migrate in three waves.",
     "Legacy reporting server switched off"),
    ("Resolve open P2 tickets for {region} data pipelines",
     "Joint triage with the customer's platform team twice a week.",
     "No P2 ticket older than 10 days"),
    ("Define KPI baseline for {usecase}",
     "Agree definitions and data sources before the next quarter starts.",
     "Baseline agreed and recorded in the success plan"),
    ("Prepare {year} EBR agenda with {contact}",
     "Draft agenda covering value delivered, roadmap and joint objectives.",
     "Agenda confirmed by both executive sponsors"),
    ("Train {bu} analysts on {product}",
     "Two half-day sessions plus office hours for the first month.",
     "20 analysts certified"),
    ("Review data retention settings with the compliance team",
     "Confirm retention periods per data domain against the customer's policy.",
     "Retention settings documented and approved"),
    ("Upgrade {product} to the current release",
     "Schedule the upgrade window with {contact} and run regression checks.",
     "Upgrade completed with no P1 incidents"),
    ("Set up quarterly value review for {bu}",
     "Align the measures the {bu} leadership team reports to its board.",
     "First value review held"),
    ("Publish {quarter} release notes for {bu} super-users",
     "Highlight the changes that affect the {usecase} reports.",
     "Release notes acknowledged by every {bu} super-user"),
    ("Run disaster recovery test for the {region} environment",
     "Joint failover test with the customer's operations team.",
     "Recovery within the agreed four-hour objective"),
    ("Agree data ownership for {bu} sources",
     "Name a data owner and a steward for each {bu} source system.",
     "Owners named for every source in scope"),
    ("Validate {usecase} figures with {contact}",
     "Reconcile the platform figures with the numbers {bu} reports today.",
     "Differences explained and signed off"),
    ("Plan {year} training calendar",
     "Courses per role and region, including new joiner onboarding.",
     "Calendar published on the customer's intranet"),
    ("Close out {quarter} support review actions",
     "Follow up the actions agreed in the monthly service review.",
     "All review actions closed"),
    ("Onboard new {bu} team members to {product}",
     "Accounts, roles and a short introduction session.",
     "New team members active within two weeks"),
)
_INTERNAL_TASKS: tuple[tuple[str, str, str], ...] = (
    ("Prepare renewal proposal and pricing options",
     ("Model a three-year option with price protection; check margin against the deal desk "
      "floor."),
     "Proposal approved by the deal desk"),
    ("Map the buying committee for the {year} renewal",
     "Confirm who signs, who influences and who could block; update stances in the CRM.",
     "Every key stakeholder has an owner on our side"),
    ("Brief the executive sponsor before the EBR",
     "One-page briefing: attendees, open issues, the ask.",
     "Sponsor briefed at least 5 days before the meeting"),
    ("Rebuild trust with {contact} after the support escalation",
     "{contact} ({title}) criticised our response times; set up a 1:1 with our VP Support.",
     "{contact} rates the relationship neutral or better"),
    ("Qualify {usecase} opportunity in {bu}",
     "Check budget, timing and the decision process with {contact}.",
     "Opportunity qualified with budget and timeline"),
    ("Update the account plan after the leadership change",
     "New leadership in {bu}; refresh the relationship map and the access paths.",
     "Relationship map updated"),
    ("Build the business case for {product} in {region}",
     "Use the {bu} results as the reference; quantify hours saved per month.",
     "Business case reviewed by {contact}"),
    ("Check competitive activity in {bu}",
     "Reports of a competing BI suite being evaluated; confirm with {contact}.",
     "Competitive threat assessed and logged"),
    ("Ask {contact} to act as a reference",
     "Only after the {usecase} results are published internally.",
     "Reference call approved"),
    ("Review open pipeline with sales engineering",
     "Go through every open opportunity and the next technical step.",
     "Next step and date recorded on every open opportunity"),
    ("Line up partner capacity for the {region} implementation",
     "Confirm two certified consultants for the second half of the year.",
     "Partner statement of work signed"),
    ("Resolve invoice dispute with accounts payable",
     "Disputed credit note from the last renewal; finance to confirm the amount.",
     "Dispute closed and credit note issued"),
    ("Forecast {quarter} expansion pipeline for {bu}",
     "Commit and best-case figures for the regional forecast call.",
     "Forecast submitted on time"),
    ("Introduce our CTO to {contact}",
     "{contact} ({title}) wants a technical peer on our side for the roadmap discussion.",
     "Meeting held and follow-ups agreed"),
    ("Prepare {quarter} QBR storyline",
     "Value delivered, KPIs, asks; agree the internal attendees first.",
     "Storyline approved by the executive sponsor"),
    ("Check usage against licensed volume in {region}",
     "Usage is close to the licensed limit; prepare a true-up conversation.",
     "True-up position agreed internally"),
    ("Find a new champion in {bu}",
     "Our main contact in {bu} is moving role; identify a successor with influence.",
     "New champion identified and engaged"),
)

_ESCALATIONS = (
    "{kam} -> {sponsor} (Executive Sponsor) if not resolved within 10 working days",
    "{csm} -> {kam} -> VP Customer Success",
    "Support lead -> {se} -> {sponsor}",
    "{kam} -> Regional VP Sales -> {sponsor}",
)

_MEETING_SUBJECTS = (
    ("Steering committee", "Meeting"),
    ("{product} roadmap briefing", "Meeting"),
    ("Adoption check-in with {bu}", "Call"),
    ("Architecture review", "Meeting"),
    ("Executive dinner", "Other"),
    ("Renewal planning call", "Call"),
    ("Security review", "Meeting"),
    ("{usecase} workshop", "Meeting"),
    ("Monthly service review", "Call"),
    ("Onsite visit: {region} team", "Meeting"),
)

_JOINT_GOALS = (
    ("Reach 80% weekly active use of self-service dashboards in {bu}",
     "Adoption measured from platform usage logs, reported monthly."),
    ("Reduce forecast error below 8% in {region}",
     "Measured as mean absolute percentage error over a rolling quarter."),
    ("Retire three legacy reporting tools by {year}",
     "Consolidate onto one governed platform and cut licence overlap."),
    ("Launch {usecase} in {region}",
     "First production release with the {bu} team as the pilot group."),
    ("Cut month-end close reporting from ten days to four",
     "Automate consolidation and reconciliation reports for Finance."),
    ("Give field teams mobile access to daily KPIs",
     "Dashboards for store, plant or branch managers on their phones."),
    ("Meet regulatory reporting deadlines without manual rework",
     "Automated lineage and sign-off for every submitted figure."),
    ("Bring {bu} data into the shared data platform",
     "Onboard the {bu} source systems with agreed data owners."),
)
_INTERNAL_GOALS = (
    ("Grow annual revenue from the account by 25% in {year}",
     "Expansion into {bu} and {region} is the main lever."),
    ("Build a direct relationship with the CFO before the renewal",
     "Today we reach Finance only through the IT organisation."),
    ("Land {product} in {bu}",
     "Reference the results in the current footprint."),
    ("Secure a multi-year renewal with price protection",
     "Trade term length for a capped uplift."),
)
_GOAL_STATUS_PAST = ("Achieved", "Achieved", "Missed")
_GOAL_STATUS_FUTURE = ("On Track", "On Track", "At Risk", "Not Started")

_RISKS = (
    # (name, mitigation, customer visible, severity, likelihood)
    ("Budget freeze announced for the next fiscal year",
     "Tie the renewal to measured savings; offer phased payments.", False, "High", "Medium"),
    ("Competing BI suite under evaluation in {bu}",
     "Run a value workshop with {bu} before the evaluation closes.", False, "High", "Medium"),
    ("Low adoption in {region}",
     "Joint enablement plan with local champions and monthly usage reviews.", True,
     "Medium", "High"),
    ("Security review delaying the {product} rollout",
     "Provide the security pack early and book the review board date.", True,
     "Medium", "Medium"),
    ("Executive sponsor change at the customer",
     "Introduce our executive sponsor to the successor within 30 days.", False,
     "High", "Low"),
    ("Data migration timeline at risk",
     "Add a migration sprint and weekly joint status calls.", True, "Medium", "Medium"),
    ("Procurement pushing for a price reduction at renewal",
     "Prepare value evidence; keep discount within approved bands.", False, "Medium", "High"),
    ("Relationship depends on a single contact ({contact})",
     "Build a second line into {bu} leadership this quarter.", False, "Medium", "Medium"),
    ("Repeated P1 incidents eroding confidence",
     "Root-cause review with engineering and a written service improvement plan.", False,
     "High", "Medium"),
)
_RISK_STATUSES = ("Open", "Open", "Mitigating", "Closed")


# --------------------------------------------------------------------------- account shapes


@dataclass(frozen=True)
class AccountShape:
    """What one generated account looks like; a field left None is drawn at random.

    Counts are exact when given. ``hostile_text`` puts ``& < > " '`` into names and text;
    ``long_text`` makes descriptions and narratives several paragraphs long.
    """

    name: str | None = None
    contacts: int | None = None
    actions: int | None = None
    #: Distinct KPI/SLA names (each with its quarterly history); 0 = no KPI rows.
    kpis: int | None = None
    whitespace_cells: int | None = None
    #: Months since the customer's first deal (history shown by the documents).
    history_months: int | None = None
    #: Deepest reporting line of the org chart (4 is normal; up to 8).
    org_depth: int | None = None
    #: Name cultures of the contacts (keys of the name pools), None = the country's.
    cultures: tuple[str, ...] | None = None
    #: "Tier 1" / "Tier 2" / "Tier 3" / "" (blank).
    tier: str | None = None
    #: Renewal scenario, one of :data:`RENEWAL_SCENARIOS`.
    renewal: str | None = None
    hostile_text: bool = False
    long_text: bool = False


#: not_in_window: renewal more than 9 months away; covered / missing: 6-9 months away with /
#: without a renewal opportunity; late: under 6 months away, none; late_covered: under 6
#: months with one; renewed: renewal won early; lapsed: renewal date passed, not won;
#: none: no contract and no renewal date.
RENEWAL_SCENARIOS = (
    "not_in_window", "covered", "missing", "late", "late_covered", "renewed", "lapsed", "none",
)
# Balanced so that every scenario appears in a 40-account portfolio at least three times.
_RENEWAL_PATTERN = (
    "not_in_window", "not_in_window", "not_in_window", "covered", "covered", "missing", "late",
    "late_covered", "renewed", "lapsed", "none", "not_in_window",
)


@dataclass
class _Profile:
    """An account's drawn characteristics, fixed before its records are generated."""

    index: int
    shape: AccountShape
    size: float  # 0..1
    country: int
    industry: int
    tier: str
    renewal: str
    history_months: int
    parent: int | None = None
    root: str = ""
    name: str = ""
    short: str = ""
    traits: frozenset[str] = frozenset()


@dataclass
class _Team:
    kam: str
    sponsor: str | None
    se: str | None
    csm: str | None
    renewals: str | None

    def members(self) -> list[tuple[str, str]]:
        """(user id, role) in a stable order."""
        out = [(self.kam, _KAM)]
        for user, role in ((self.sponsor, _SPONSOR), (self.se, _SE), (self.csm, _CSM),
                           (self.renewals, _RENEWALS)):
            if user is not None:
                out.append((user, role))
        return out


@dataclass
class _Contact:
    id: str
    first: str
    last: str
    title: str
    department: int
    level: int
    reports_to: str | None
    buying_role: str | None
    influence: int | None
    stance: str | None
    access_owner: str | None

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}".strip()


@dataclass
class _Asset:
    id: str
    product: int
    bu: str
    region: str
    use_case: str
    value: float
    install: date
    end: date | None  # UsageEndDate of an inactive asset

    def active_on(self, day: date) -> bool:
        return self.install <= day and (self.end is None or self.end > day)


# --------------------------------------------------------------------------- the generator


class _Generator:
    """Holds the id counters and the rows of one generation run."""

    def __init__(self, seed: int, as_of: date) -> None:
        self.as_of = as_of
        self.rng = random.Random(seed)
        # Rows are kept as tuples in schema column order and turned into (compact, Arrow
        # backed) frames every _FLUSH_EVERY accounts: a 10,000-account portfolio has two
        # million rows, which as Python objects alone would take gigabytes.
        self.columns = {name: _columns(name) for name in OBJECTS}
        self.known = {name: frozenset(columns) for name, columns in self.columns.items()}
        self.rows: dict[str, list[tuple[str | None, ...]]] = {name: [] for name in OBJECTS}
        self.chunks: dict[str, list[pd.DataFrame]] = {name: [] for name in OBJECTS}
        # Ids of one object are consecutive from a seed-dependent start, like records created
        # in one org: two seeds never share an Id, and the sort order is creation order.
        self.ids = {name: _IdMaker(_KEY_PREFIX[name], self.rng.randrange(62**4, 62**5))
                    for name in OBJECTS}
        self.used_names: set[str] = set()
        self.product_ids: list[str] = []
        self.users: dict[str, list[str]] = {role: [] for role in _TEAM_ROLES}
        self.user_names: dict[str, str] = {}

    def new_id(self, obj: str) -> str:
        return self.ids[obj].next()

    def flush(self) -> None:
        """Move the rows collected so far into frames."""
        for name, rows in self.rows.items():
            if rows or not self.chunks[name]:
                columns = self.columns[name]
                data = zip(*rows, strict=True) if rows else ([] for _ in columns)
                self.chunks[name].append(pd.DataFrame(dict(zip(columns, data, strict=True)),
                                                      columns=columns, dtype="str"))
            self.rows[name] = []

    def frames(self) -> dict[str, pd.DataFrame]:
        self.flush()
        return {name: chunks[0] if len(chunks) == 1 else pd.concat(chunks, ignore_index=True)
                for name, chunks in self.chunks.items()}

    def add(self, obj: str, row: dict[str, str | None]) -> str:
        """Append one record (column name -> value; absent = missing); returns its Id."""
        record_id = row.get(sf.ID) or self.new_id(obj)
        row[sf.ID] = record_id
        if not row.keys() <= self.known[obj]:  # a generator bug: a column schemas.py lacks
            raise KeyError(f"{obj}: columns not in kamdocs.data.schemas: "
                           f"{sorted(row.keys() - self.known[obj])}")
        self.rows[obj].append(tuple(map(row.get, self.columns[obj])))
        return record_id

    # ---------------------------------------------------------------- people names

    def person_name(self, rng: random.Random, culture: str) -> tuple[str, str]:
        """A (first, last) name not used before in this portfolio where possible.

        Unique full names let tests tell two accounts' people apart; after a few clashes a
        middle initial is added, and in a huge portfolio a repeat is finally accepted.
        """
        first_pool, last_pool = _FIRST_NAMES[culture], _LAST_NAMES[culture]
        first = last = ""
        for attempt in range(8):
            first, last = rng.choice(first_pool), rng.choice(last_pool)
            if attempt >= 4 and not culture.endswith("_native"):
                first = f"{first} {rng.choice(_NAME_LETTERS)}."
            full = f"{first} {last}"
            if full not in self.used_names:
                self.used_names.add(full)
                break
        return first, last

    # ---------------------------------------------------------------- catalogue + users

    def products(self) -> None:
        for name, family, _, _ in _PRODUCTS:
            self.product_ids.append(
                self.add(sf.PRODUCT2, {sf.NAME: name, sf.FAMILY: family})
            )

    def make_users(self, tier_counts: Mapping[str, int]) -> None:
        n1, n2, n3 = (tier_counts.get(t, 0) for t in sf.TIERS)
        total = n1 + n2 + n3
        wanted = {
            _KAM: max(2, math.ceil(n1 / 1.5 + n2 / 4 + n3 / 12)),
            _SPONSOR: max(2, math.ceil((n1 + n2) / 6)),
            _SE: max(2, math.ceil(total / 8)),
            _CSM: max(2, math.ceil(total / 6)),
            _RENEWALS: max(1, math.ceil(total / 30)),
        }
        for role, count in wanted.items():
            for _ in range(count):
                culture = self.rng.choice(_USER_CULTURES)
                first, last = self.person_name(self.rng, culture)
                title = self.rng.choice(_TEAM_ROLES[role])
                email = f"{_ascii(first)}.{_ascii(last)}@{OUR_DOMAIN}"
                user = self.add(sf.USER, {sf.NAME: f"{first} {last}", sf.TITLE: title,
                                          sf.EMAIL: email})
                self.users[role].append(user)
                self.user_names[user] = f"{first} {last}"


def generate(accounts: int, seed: int, as_of: date) -> dict[str, pd.DataFrame]:
    """A portfolio of ``accounts`` accounts: object name -> frame of strings (see module doc).

    Deterministic per (accounts, seed, as_of). Every object of :mod:`kamdocs.data.schemas`
    is present; all references resolve inside the portfolio.
    """
    if accounts < 1:
        raise ValueError("accounts must be at least 1")
    return generate_accounts([AccountShape()] * accounts, seed=seed, as_of=as_of)


def generate_accounts(
    shapes: Sequence[AccountShape], *, seed: int, as_of: date
) -> dict[str, pd.DataFrame]:
    """A portfolio with one account per shape (in order); unset shape fields are drawn."""
    gen = _Generator(seed, as_of)
    profiles = _profiles(gen, shapes)
    tier_counts = {t: sum(p.tier == t for p in profiles) for t in sf.TIERS}
    gen.products()
    gen.make_users(tier_counts)
    account_ids = [gen.new_id(sf.ACCOUNT) for _ in profiles]
    kams = _kam_assignment(gen, profiles)
    for profile in profiles:
        # One stream per account: an account's records do not shift when another changes.
        rng = random.Random(f"{seed}/{profile.index}")
        _AccountBuilder(gen, profile, rng, account_ids, kams[profile.index]).build()
        if (profile.index + 1) % _FLUSH_EVERY == 0:
            gen.flush()
    return gen.frames()


_FLUSH_EVERY = 1000


def _columns(obj: str) -> list[str]:
    """The columns written for an object: the schema's, in its order, without IsDeleted."""
    return [c.name for c in sf.TABLES[obj].columns if c.name != sf.IS_DELETED]


def _spread(rng: random.Random, count: int, share: float) -> list[bool]:
    """``count`` flags with round(share * count) set (at least one from 10 accounts up)."""
    hits = round(share * count)
    if count >= 10:
        hits = max(hits, 1)
    flags = [True] * hits + [False] * (count - hits)
    rng.shuffle(flags)
    return flags


_TRAIT_SHARES = (
    ("single_threaded", 0.10),
    ("qbr_overdue", 0.20),
    ("ebr_overdue", 0.25),
    ("no_kpis", 0.06),
    ("no_plan", 0.08),
    ("no_whitespace", 0.05),
    ("new_customer", 0.08),
    ("no_champion", 0.15),
    ("qbr_scheduled", 0.30),
)


_CALM_RENEWALS = ("not_in_window", "covered", "renewed")
_TROUBLE_TRAITS = frozenset({"single_threaded", "qbr_overdue", "ebr_overdue", "no_champion",
                             "no_kpis"})


def _profiles(gen: _Generator, shapes: Sequence[AccountShape]) -> list[_Profile]:
    rng = gen.rng
    n = len(shapes)
    country_weights = [c[4] for c in _COUNTRIES]
    industry_weights = [i[3] for i in _INDUSTRIES]
    sizes = [rng.betavariate(1.4, 2.8) for _ in range(n)]
    # Tier by size rank, as the tier review would propose, then a little drift: a real
    # Account_Tier__c lags the numbers (changes for the review to find) or is blank.
    n1 = min(n, max(5, min(20, round(0.05 * n))))
    n2 = min(n - n1, max(20, min(50, round(0.15 * n))))
    rank = sorted(range(n), key=lambda i: -sizes[i])
    tiers = [""] * n
    for position, i in enumerate(rank):
        tiers[i] = sf.TIERS[0] if position < n1 else sf.TIERS[1] if position < n1 + n2 else (
            sf.TIERS[2])
    for i in range(n):
        roll = rng.random()
        if roll < 0.06:
            tiers[i] = sf.TIERS[min(2, sf.TIERS.index(tiers[i]) + 1)]
        elif roll < 0.12:
            tiers[i] = sf.TIERS[max(0, sf.TIERS.index(tiers[i]) - 1)]
        elif roll < 0.15:
            tiers[i] = ""
    renewals = [_RENEWAL_PATTERN[i % len(_RENEWAL_PATTERN)] for i in range(n)]
    rng.shuffle(renewals)
    trait_flags = {name: _spread(rng, n, share) for name, share in _TRAIT_SHARES}
    final_renewals = [shape.renewal or renewals[i] for i, shape in enumerate(shapes)]
    # A few exemplary accounts where everything is in order (a healthy account to demo):
    # chosen among those whose renewal is not a problem.
    calm = [i for i, r in enumerate(final_renewals) if r in _CALM_RENEWALS]
    exemplary = set(rng.sample(calm, min(len(calm), max(n >= 10, round(0.12 * n)))))
    profiles = []
    for i, shape in enumerate(shapes):
        traits = frozenset(name for name, flags in trait_flags.items() if flags[i])
        if i in exemplary:
            traits = (traits - _TROUBLE_TRAITS) | {"exemplary"}
        if i % MARKER_EVERY == 0:
            traits |= {"marked"}
        if shape.history_months is not None:
            history = shape.history_months
        elif "new_customer" in traits:
            history = rng.randint(11, 14)
        else:
            history = rng.choice((rng.randint(15, 34), rng.randint(36, 120), rng.randint(40, 96)))
        profiles.append(_Profile(
            index=i,
            shape=shape,
            size=sizes[i],
            country=rng.choices(range(len(_COUNTRIES)), country_weights)[0],
            industry=rng.choices(range(len(_INDUSTRIES)), industry_weights)[0],
            tier=shape.tier if shape.tier is not None else tiers[i],
            renewal=final_renewals[i],
            history_months=history,
            traits=traits,
        ))
    _name_accounts(rng, profiles)
    return profiles


def _name_accounts(rng: random.Random, profiles: list[_Profile]) -> None:
    """Unique names; about 12% of accounts are subsidiaries of an earlier account."""
    # Each culture's roots in a seed-dependent order; a root is used once while any is left.
    free = {culture: rng.sample(roots, len(roots)) for culture, roots in _ROOTS.items()}
    used: set[str] = set()
    top_level: list[int] = []
    # Subsidiaries come after the first five accounts, so there are parents to choose from.
    is_child = [False] * min(5, len(profiles)) + _spread(rng, max(0, len(profiles) - 5), 0.12)
    for p in profiles:
        _, region, cultures, suffixes, _ = _COUNTRIES[p.country]
        if top_level and is_child[p.index] and p.shape.name is None:
            parent = profiles[rng.choice(top_level)]
            p.parent = parent.index
            p.root = parent.root
            # A subsidiary abroad: the parent's root and industry, a region qualifier.
            p.industry = parent.industry
            p.size = min(p.size, parent.size * 0.8)
            nouns = _INDUSTRIES[p.industry][1]
            core = f"{p.root} {rng.choice(nouns)} {_CHILD_QUALIFIER[region]}"
        else:
            top_level.append(p.index)
            local = cultures[0] if cultures[0] in free else "en"
            pool = free[local] if free[local] and rng.random() < 0.7 else free["en"]
            pool = pool or free[local] or next((f for f in free.values() if f), [])
            p.root = pool.pop() if pool else rng.choice(_ROOTS["en"])
            nouns = _INDUSTRIES[p.industry][1]
            core = f"{p.root} {rng.choice(nouns)}"
        name = core + rng.choice(suffixes)
        qualifiers = ("Holdings", "Group", "International", "Services")
        attempt = 0
        while name in used:
            attempt += 1
            extra = qualifiers[attempt % len(qualifiers)]
            name = f"{core} {extra}{'' if attempt < 4 else f' {attempt}'}" + rng.choice(suffixes)
        used.add(name)
        p.name = p.shape.name or name
        p.short = p.shape.name or core


def _kam_assignment(gen: _Generator, profiles: list[_Profile]) -> dict[int, str]:
    """KAM per account, dealt out in tier order: Tier 1 accounts get KAMs of their own
    first, the rest share them round-robin (a Tier 3 KAM covers many accounts)."""
    kams = gen.users[_KAM]
    order = sorted(profiles, key=lambda p: (p.tier or "Tier 4", p.index))
    return {p.index: kams[position % len(kams)] for position, p in enumerate(order)}


# --------------------------------------------------------------------------- one account


class _Slots(dict):
    """Template slots drawn on first use; one contact per text so {contact} and {title} agree."""

    def __init__(self, builder: _AccountBuilder, extra: Mapping[str, str]) -> None:
        super().__init__(extra)
        self.builder = builder
        builder._slot_contact = None

    def __missing__(self, key: str) -> str:
        value = self.builder._slot(key)
        self[key] = value
        return value


class _AccountBuilder:
    """Generates every record of one account, in dependency order."""

    def __init__(self, gen: _Generator, profile: _Profile, rng: random.Random,
                 account_ids: list[str], kam: str) -> None:
        self.gen = gen
        self.p = profile
        self.shape = profile.shape
        self.rng = rng
        self.as_of = gen.as_of
        self.id = account_ids[profile.index]
        self.parent_id = account_ids[profile.parent] if profile.parent is not None else None
        self.kam = kam
        country, region, cultures, _, _ = _COUNTRIES[profile.country]
        self.country = country
        self.region = region
        self.cultures = self.shape.cultures or cultures
        self.industry, _, self.bus, _ = _INDUSTRIES[profile.industry]
        self.since = add_months(self.as_of, -profile.history_months) - timedelta(
            days=rng.randint(0, 25))
        self.window_start = max(self.since, add_months(self.as_of, -36))
        self.marked = "marked" in profile.traits
        self.exemplary = "exemplary" in profile.traits
        self.traits = profile.traits
        self.contacts: list[_Contact] = []
        self.assets: list[_Asset] = []
        # Whitespace cell (product, BU, region, use case) -> current / potential value.
        self.cells: dict[tuple[int, str, str, str], float] = {}
        self.potential: dict[tuple[int, str, str, str], float] = {}
        self.opps: list[tuple[str, str, date]] = []  # (id, type, close)
        self.renewal_opp: str | None = None
        self.renewal_date: date | None = None
        self.health = 0.5
        self.team = self._team()
        self.email_domain = (_ascii(profile.root) or "customer") + ".example.com"
        # Drawn once, on first use by a text template (after contacts and assets exist).
        self._senior: list[_Contact] | None = None
        self._held: list[int] | None = None
        self._region_pool: list[str] | None = None
        self._slot_contact: _Contact | None = None

    # ---------------------------------------------------------------- helpers

    def _text(self, template: str, **extra: str) -> str:
        """Fill a template's slots with this account's people, products and places."""
        return self._texts(template, **extra)[0]

    def _texts(self, *templates: str, **extra: str) -> list[str]:
        """Fill several templates with the same draw: a task's subject and description name
        the same contact and business unit. Slots are drawn only when used."""
        slots = _Slots(self, extra)
        out = []
        for template in templates:
            text = template.format_map(slots) if "{" in template else template
            text = text[:1].upper() + text[1:]
            if self.shape.hostile_text:
                text = f"{text} & <R&D> \"phase 2\" O'Neil's"
            out.append(text)
        return out

    def _slot(self, key: str) -> str:
        rng = self.rng
        if key in ("contact", "title"):
            if self._slot_contact is None:
                senior = self._senior_pool()
                self._slot_contact = rng.choice(senior) if senior else None
            contact = self._slot_contact
            if key == "contact":
                return contact.name if contact else "the project lead"
            return contact.title if contact else "project lead"
        if key == "product":
            return self._product_name()
        if key == "bu":
            return rng.choice(self.bus)
        if key == "region":
            return rng.choice(self._regions())
        if key == "usecase":
            return self._use_case().lower()
        if key == "quarter":
            return f"Q{(self.as_of.month - 1) // 3 + 1}"
        if key == "year":
            return str(self.as_of.year + 1)
        if key == "short":
            return self.p.short
        names = self.gen.user_names
        fallback = {"kam": "the account manager", "sponsor": "our executive sponsor",
                    "csm": "the customer success lead", "se": "the solutions engineer"}[key]
        user = {"kam": self.team.kam, "sponsor": self.team.sponsor, "csm": self.team.csm,
                "se": self.team.se}[key]
        return names[user] if user else fallback

    def _long(self, text: str) -> str:
        """A long version of ``text`` (3 to 12 paragraphs) for the long-text scenario."""
        if not self.shape.long_text:
            return text
        paragraphs = self.rng.randint(3, 12)
        filler = (
            "The steering group reviewed scope, owners and dependencies in detail and agreed "
            "to revisit the plan at every fortnightly checkpoint until the milestone is met. "
            "Each workstream reports progress against the agreed measures, open risks and "
            "decisions needed, so that nobody is surprised at the quarterly review."
        )
        return "\n\n".join([text] + [f"{filler} ({i + 1}/{paragraphs})" for i in
                                     range(paragraphs)])

    def _regions(self) -> list[str]:
        if self._region_pool is None:
            self._region_pool = self._draw_regions()
        return self._region_pool

    def _draw_regions(self) -> list[str]:
        if self.p.size > 0.45:
            return [self.region] + [r for r in _REGIONS if r != self.region][:2]
        if self.p.size > 0.25:
            return [self.region, self.region, "North America" if self.region != "North America"
                    else "EMEA"]
        return [self.region]

    def _product_name(self) -> str:
        if self._held is None:
            self._held = sorted({a.product for a in self.assets})
        held = self._held
        index = self.rng.choice(held) if held and self.rng.random() < 0.7 else self.rng.randrange(
            len(_PRODUCTS))
        return _PRODUCTS[index][0]

    def _use_case(self) -> str:
        return self.rng.choice(_PRODUCTS[self.rng.randrange(len(_PRODUCTS))][3])

    def _senior_pool(self) -> list[_Contact]:
        if self._senior is None:
            self._senior = [c for c in self.contacts if c.level <= 4] or list(self.contacts)
        return self._senior

    def _date_between(self, start: date, end: date) -> date:
        span = (end - start).days
        return start + timedelta(days=self.rng.randint(0, max(span, 0)))

    def _acv_on(self, day: date) -> float:
        return sum(a.value for a in self.assets if a.active_on(day))

    # ---------------------------------------------------------------- build

    def build(self) -> None:
        self._account_row()
        self._team_rows()
        self._contacts()
        self._assets()
        self._whitespace()
        self._contracts_and_renewals()
        self._history_opportunities()
        self._open_opportunities()
        self._tasks()
        self._events()
        self._goals()
        self._risks()
        self._kpis()
        self._plan()
        self.gen.add(sf.ACCOUNT, self.account_row)

    def _team(self) -> _Team:
        rng, users, tier = self.rng, self.gen.users, self.p.tier or sf.TIERS[2]
        chance = {sf.TIERS[0]: (1.0, 0.95, 0.95, 0.5), sf.TIERS[1]: (0.6, 0.85, 0.9, 0.3),
                  sf.TIERS[2]: (0.1, 0.4, 0.8, 0.2)}[tier]

        def pick(role: str, p: float) -> str | None:
            return rng.choice(users[role]) if rng.random() < p else None

        return _Team(
            kam=self.kam,
            sponsor=pick(_SPONSOR, chance[0]),
            se=pick(_SE, chance[1]),
            csm=pick(_CSM, chance[2]),
            renewals=pick(_RENEWALS, chance[3]),
        )

    def _account_row(self) -> None:
        rng = self.rng
        revenue = math.exp(19.5 + self.p.size * 5.5 + rng.uniform(-0.6, 0.6))
        strategic = min(5, max(1, round(1 + self.p.size * 4 + rng.uniform(-1.2, 1.2))))
        row: dict[str, str | None] = {
            sf.ID: self.id,
            sf.NAME: self.p.name,
            sf.OWNER_ID: self.kam,
            sf.INDUSTRY: self.industry,
            sf.ANNUAL_REVENUE: str(int(round(revenue, -5))),
            sf.BILLING_COUNTRY: self.country,
            sf.PARENT_ID: self.parent_id,
            sf.ACCOUNT_TIER: self.p.tier or None,
            sf.STRATEGIC_VALUE: None if rng.random() < 0.05 else str(strategic),
        }
        # Added last (build()): the renewal step still fills Renewal_Date__c.
        self.account_row = row

    def _team_rows(self) -> None:
        for user, role in self.team.members():
            self.gen.add(sf.ACCOUNT_TEAM_MEMBER, {
                sf.ACCOUNT_ID: self.id, sf.USER_ID: user, sf.TEAM_MEMBER_ROLE: role,
            })

    # ---------------------------------------------------------------- contacts

    def _contacts(self) -> None:
        rng, shape = self.rng, self.shape
        if shape.contacts is not None:
            n = shape.contacts
        else:
            n = min(40, max(5, round(5 + self.p.size ** 0.85 * 33 + rng.uniform(-3, 4))))
        # A given org_depth is exact: no CEO above the C-levels, no unknown reporting lines.
        exact = shape.org_depth is not None
        levels = _LEVELS_NORMAL
        if shape.org_depth is not None:
            levels = (_LEVELS_DEEP if shape.org_depth > 4 else _LEVELS_NORMAL)[
                : shape.org_depth + 1]
        level_of = self._org_levels(n, levels)
        by_level: dict[int, list[_Contact]] = {}
        has_ceo = n >= 15 and not exact and rng.random() < 0.35
        # A risk office sits at regulated customers only.
        department_pool = [d for d, spec in enumerate(_DEPARTMENTS[:_EXECUTIVE_OFFICE])
                           if spec[0] != "Risk & Compliance" or self.industry in _REGULATED]
        rng.shuffle(department_pool)
        economic_buyer_given = False
        # How warm the relationship is (0..1): drives stances, access and contact recency.
        self.health = health = (rng.uniform(0.85, 0.95) if self.exemplary
                                else rng.uniform(0.25, 0.9))
        for k, level in enumerate(level_of):
            parents = self._nearest_above(by_level, level, levels)
            manager = None
            if parents:
                manager = rng.choice(parents)
                department = (manager.department if rng.random() < 0.85
                              else rng.choice(department_pool))
            else:
                department = department_pool[k % len(department_pool)]
            title = _title(level, department, rng)
            if level == 0 and has_ceo and k == 0:
                title, department = _CEO, _EXECUTIVE_OFFICE
            elif level == 0 and has_ceo:
                manager = by_level[0][0]
            culture = rng.choice(self.cultures) if rng.random() < 0.7 else rng.choice(
                _GLOBAL_CULTURES if not shape.cultures else shape.cultures)
            first, last = self.gen.person_name(rng, culture)
            reports_to = manager.id if manager is not None else None
            if reports_to is not None and not exact and rng.random() < 0.06:
                reports_to = None  # reporting line unknown in the CRM: a forest, not a tree
            role = self._buying_role(level, department, economic_buyer_given)
            economic_buyer_given = economic_buyer_given or role == "Economic Buyer"
            contact = _Contact(
                id=self.gen.new_id(sf.CONTACT), first=first, last=last, title=title,
                department=department, level=level, reports_to=reports_to,
                buying_role=role, influence=self._influence(level),
                stance=self._stance(health), access_owner=None,
            )
            by_level.setdefault(level, []).append(contact)
            self.contacts.append(contact)
        self._fix_stances()
        self._access_owners(health)
        for c in self.contacts:
            self._contact_rows(c)

    def _org_levels(self, n: int, levels: Sequence[int]) -> list[int]:
        """The reporting level of each contact, top first; with enough contacts every level
        has at least one, so the org chart reaches its full depth."""
        rng = self.rng
        c_levels = min(4, 1 + (n >= 12) + (n >= 25) + (n >= 35))
        out = [levels[0]] * c_levels
        rest = n - c_levels
        lower = levels[1:]
        if not lower:
            return out[:n]
        # Wider at the bottom: weight grows with depth.
        weights = [1.0 + i * 0.6 for i in range(len(lower))]
        counts = [1 if rest >= len(lower) else 0 for _ in lower]
        remaining = rest - sum(counts)
        for _ in range(max(remaining, 0)):
            counts[rng.choices(range(len(lower)), weights)[0]] += 1
        for level, count in zip(lower, counts, strict=True):
            out.extend([level] * count)
        return out[:n]

    @staticmethod
    def _nearest_above(by_level: dict[int, list[_Contact]], level: int,
                       levels: Sequence[int]) -> list[_Contact]:
        for above in reversed([lv for lv in levels if lv < level]):
            if by_level.get(above):
                return by_level[above]
        return []

    def _buying_role(self, level: int, department: int, economic_given: bool) -> str | None:
        rng = self.rng
        if rng.random() < 0.1:
            return None  # filled from AccountContactRelation.Roles instead
        department_name = _DEPARTMENTS[department][0]
        if department_name == "Procurement" and level >= 2:
            return "Gatekeeper"
        if level == 0:
            return "Decision Maker" if economic_given else "Economic Buyer"
        if level <= 3:
            return rng.choice(("Decision Maker", "Decision Maker", "Influencer"))
        if level <= 5:
            return "Technical Buyer" if department_name in ("IT", "Data & Analytics") else (
                "Influencer")
        return rng.choice(("User", "User", "Influencer", "Technical Buyer"))

    def _influence(self, level: int) -> int | None:
        if self.rng.random() < 0.05:
            return None
        low, high = {0: (4, 5), 1: (3, 5), 2: (3, 5), 3: (2, 4), 4: (2, 4), 5: (2, 3),
                     6: (2, 3), 7: (1, 2)}.get(level, (1, 2))
        return self.rng.randint(low, high)

    def _stance(self, health: float) -> str | None:
        rng = self.rng
        if rng.random() < 0.05:
            return None
        weights = (0.05 + 0.15 * health, 0.15 + 0.25 * health, 0.35, 0.2 - 0.1 * health,
                   0.15 - 0.1 * health)
        return rng.choices(sf.STANCES, weights)[0]

    def _fix_stances(self) -> None:
        """Most accounts have a champion; some have an executive detractor (a real risk)."""
        rng = self.rng
        if not self.contacts:
            return
        champions = [c for c in self.contacts if c.stance == "Champion"]
        if "no_champion" in self.traits:
            for c in champions:
                c.stance = "Supporter"
        elif not champions:
            candidates = [c for c in self.contacts if c.level in (2, 3, 4)] or self.contacts
            rng.choice(candidates).stance = "Champion"
        if self.exemplary:
            for c in self.contacts:
                if c.stance == "Detractor":
                    c.stance = "Neutral"
        elif rng.random() < 0.3 and len(self.contacts) >= 8:
            execs = [c for c in self.contacts if c.level <= 2 and c.stance != "Champion"]
            if execs:
                rng.choice(execs).stance = "Detractor"

    def _access_owners(self, health: float) -> None:
        """Who on our side reaches each contact directly, by seniority."""
        rng, team = self.rng, self.team
        by_level = {0: [team.sponsor or team.kam, team.kam], 1: [team.kam],
                    2: [team.kam, team.sponsor or team.kam], 3: [team.kam, team.se or team.kam],
                    4: [team.kam, team.se or team.kam], 5: [team.se or team.kam],
                    6: [team.csm or team.kam, team.se or team.kam],
                    7: [team.csm or team.kam], 8: [team.csm or team.kam, team.se or team.kam]}
        if "single_threaded" in self.traits:
            # One person holds the whole relationship: the classic single-threaded account.
            pick = min(self.contacts, key=lambda c: (abs(c.level - 4), c.id))
            pick.access_owner = team.kam
            return
        base = 0.25 + 0.45 * health
        for c in self.contacts:
            p = base * (1.1 if c.level <= 2 else 1.0 if c.level <= 4 else 0.7)
            if rng.random() < p or (self.exemplary and c.level <= 4):
                c.access_owner = rng.choice(by_level.get(c.level, [team.kam]))
        direct = [c for c in self.contacts if c.access_owner]
        for c in sorted(self.contacts, key=lambda c: (c.level, c.id))[: max(0, 2 - len(direct))]:
            c.access_owner = team.kam

    def _contact_rows(self, c: _Contact) -> None:
        rng = self.rng
        email = None
        if rng.random() < 0.92:
            local = f"{_ascii(c.first)[:1]}{_ascii(c.last)}" or f"contact{c.id[-6:].lower()}"
            email = f"{local}@{self.email_domain}"
        engagement = None
        if c.stance is not None or rng.random() < 0.5:
            warm = c.stance in ("Champion", "Supporter")
            engagement = rng.choices(sf.ENGAGEMENTS, (0.6, 0.3, 0.1) if warm else
                                     (0.15, 0.45, 0.4))[0]
        self.gen.add(sf.CONTACT, {
            sf.ID: c.id, sf.ACCOUNT_ID: self.id, sf.LAST_NAME: c.last, sf.FIRST_NAME: c.first,
            sf.TITLE: c.title, sf.DEPARTMENT: _DEPARTMENTS[c.department][0], sf.EMAIL: email,
            sf.REPORTS_TO_ID: c.reports_to,
            sf.INFLUENCE: None if c.influence is None else str(c.influence),
            sf.ACCESS_OWNER: c.access_owner, sf.STANCE: c.stance, sf.ENGAGEMENT: engagement,
            sf.BUYING_ROLE: c.buying_role,
        })
        # AccountContactRelation: Salesforce keeps one per contact and account. A contact
        # without a buying role gets one here (the loader fills the role from it); others
        # carry a matching role or none.
        if c.buying_role is None:
            role: str | None = "Influencer" if c.level > 2 else "Decision Maker"
        else:
            role = c.buying_role if rng.random() < 0.3 else None
        self.gen.add(sf.ACCOUNT_CONTACT_RELATION, {
            sf.ACCOUNT_ID: self.id, sf.CONTACT_ID: c.id, sf.ROLES: role,
        })

    # ---------------------------------------------------------------- products held

    def _assets(self) -> None:
        rng = self.rng
        acv = 25_000 * math.exp(self.p.size * 5.2) * rng.uniform(0.8, 1.25)
        n = max(1, min(16, round(2 + self.p.size * 12 + rng.uniform(-1, 2))))
        regions = self._regions()
        # Land with a platform or analytics product, then expand.
        land = rng.choice((0, 1, 2, 3))
        products = [land] + [rng.randrange(len(_PRODUCTS)) for _ in range(n - 1)]
        weights = [rng.gammavariate(2.0, 1.0) * _PRODUCTS[i][2] for i in products]
        total_weight = sum(weights)
        seen: set[tuple[int, str, str]] = set()
        expansions = sorted(self._date_between(add_months(self.since, 3),
                                               self.as_of - timedelta(days=20))
                            for _ in range(n))
        for k, product in enumerate(products):
            bu = self.bus[0] if k == 0 else rng.choice(self.bus)
            region = self.region if k == 0 else rng.choice(regions)
            if (product, bu, region) in seen:
                continue
            seen.add((product, bu, region))
            use_case = rng.choice(_PRODUCTS[product][3])
            value = max(5_000.0, round(acv * weights[k] / total_weight, -2))
            install = self.since if k < 2 else min(expansions[k], self.as_of)
            end = None
            if k > 0 and rng.random() < 0.09 and not self.exemplary:
                end_from = add_months(install, 6)
                if end_from < self.as_of - timedelta(days=30):
                    end = self._date_between(end_from, self.as_of - timedelta(days=30))
            self.assets.append(_Asset(self.gen.new_id(sf.ASSET), product, bu, region, use_case,
                                      value, install, end))
        for a in self.assets:
            name, _, base, _ = _PRODUCTS[a.product]
            if a.end is not None:
                status = "Obsolete"
            elif a.install > self.as_of - timedelta(days=45):
                status = "Purchased"
            else:
                status = rng.choice(("Installed", "Installed", "Installed", "Registered"))
            seats = rng.random() < 0.35
            quantity = max(1, round(a.value / (base / 50))) if seats else None
            price = round(a.value / quantity, 2) if quantity else None
            # Some rows carry only Price x Quantity (the loader falls back to their product).
            annual = None if seats and rng.random() < 0.3 else a.value
            if quantity and annual is None:
                a.value = round(price * quantity, 2)  # type: ignore[operator]
            self.gen.add(sf.ASSET, {
                sf.ID: a.id, sf.ACCOUNT_ID: self.id, sf.NAME: name,
                sf.PRODUCT2_ID: self.gen.product_ids[a.product], sf.STATUS: status,
                sf.ANNUAL_VALUE: None if annual is None else _money(annual),
                sf.PRICE: None if price is None else _money(price),
                sf.QUANTITY: None if quantity is None else str(quantity),
                sf.BUSINESS_UNIT: a.bu, sf.REGION: a.region, sf.USE_CASE: a.use_case,
                sf.INSTALL_DATE: _d(a.install), sf.USAGE_END_DATE: _d(a.end),
            })

    # ---------------------------------------------------------------- whitespace

    def _whitespace(self) -> None:
        rng = self.rng
        if "no_whitespace" in self.traits and self.shape.whitespace_cells is None:
            return
        for a in self.assets:
            key = (a.product, a.bu, a.region, a.use_case)
            current = self.cells.get(key, 0.0) + (a.value if a.end is None else 0.0)
            self.cells[key] = current
        potential: dict[tuple[int, str, str, str], float] = {}
        for key, current in self.cells.items():
            if current and rng.random() < 0.12:
                potential[key] = round(current * rng.uniform(0.6, 0.95), -3)  # above potential
            else:
                potential[key] = round(max(current, 10_000) * rng.uniform(1.3, 3.5), -3)
        wanted = self.shape.whitespace_cells
        if wanted is None:
            wanted = max(len(potential), round(6 + self.p.size * 40 + rng.uniform(-2, 3)))
        acv = max(self._acv_on(self.as_of), 20_000)
        regions = sorted(set(self._regions()) | ({self.region} if wanted < 30 else set(_REGIONS)))
        attempts = 0
        while len(potential) < wanted and attempts < wanted * 50:
            attempts += 1
            product = rng.randrange(len(_PRODUCTS))
            key = (product, rng.choice(self.bus), rng.choice(regions),
                   rng.choice(_PRODUCTS[product][3]))
            if key not in potential:
                potential[key] = round(acv / max(len(self.assets), 1) * rng.uniform(0.3, 2.5), -3)
                self.cells.setdefault(key, 0.0)
        keys = list(potential)[:wanted] if self.shape.whitespace_cells is not None else list(
            potential)
        self.potential = {k: max(potential[k], 1000.0) for k in keys}
        for key in keys:
            product, bu, region, use_case = key
            self.gen.add(sf.WHITESPACE_POTENTIAL, {
                sf.CUSTOM_ACCOUNT_ID: self.id, sf.PRODUCT: _PRODUCTS[product][0],
                sf.BUSINESS_UNIT: bu, sf.REGION: region, sf.USE_CASE: use_case,
                sf.POTENTIAL: _money(self.potential[key]),
            })

    # ---------------------------------------------------------------- contracts, renewals

    def _contracts_and_renewals(self) -> None:
        rng, as_of = self.rng, self.as_of
        scenario = self.p.renewal
        if scenario == "none":
            return
        day = timedelta(days=1)
        offsets = {
            "not_in_window": (300, 900), "covered": (200, 262), "missing": (200, 262),
            "late": (14, 170), "late_covered": (14, 170), "renewed": (25, 80),
            "lapsed": (-120, -10),
        }
        low, high = offsets[scenario]
        end = as_of + timedelta(days=rng.randint(low, high))
        if end <= self.since + timedelta(days=60):
            end = self.since + timedelta(days=365)
        self.renewal_date = end
        # The current contract, then earlier ones back to the first deal (at most 6 years).
        contracts: list[tuple[date, date, str]] = []
        term = rng.choice((12, 24, 36))
        start = max(self.since, add_months(end, -term) + day)
        status = "Expired" if scenario == "lapsed" else "Activated"
        contracts.append((start, end, status))
        earliest = max(self.since, add_months(as_of, -72))
        while start > earliest + timedelta(days=90):
            prev_end = start - day
            term = rng.choice((12, 12, 24, 36))
            start = max(self.since, add_months(prev_end, -term) + day)
            contracts.append((start, prev_end, "Expired"))
        if scenario == "renewed":
            contracts.append((end + day, add_months(end, rng.choice((12, 24, 36))), "Draft"))
        for start, stop, status in sorted(contracts):
            self.gen.add(sf.CONTRACT, {
                sf.ACCOUNT_ID: self.id, sf.START_DATE: _d(start), sf.END_DATE: _d(stop),
                sf.STATUS: status,
            })
        if scenario == "lapsed" or rng.random() < 0.5:
            self.account_row[sf.RENEWAL_DATE] = _d(end)
        # Past renewals inside the three-year history were won.
        for start, stop, status in contracts:
            if status == "Expired" and stop < as_of and stop >= self.window_start and (
                    stop != end):
                close = stop - timedelta(days=rng.randint(0, 30))
                amount = self._acv_on(stop) * rng.uniform(1.0, 1.08)
                if amount > 0:
                    self._opportunity("Renewal", _WON, close, amount, None, None,
                                      name=f"{self.p.short} - Renewal {stop:%Y-%m}")
        amount = self._acv_on(as_of) * rng.uniform(0.85, 1.15)
        name = f"{self.p.short} - Renewal {end:%Y-%m}"
        if scenario in ("covered", "late_covered"):
            close = max(as_of + day, end - timedelta(days=rng.randint(0, 45)))
            stage = rng.choice(_OPEN_STAGES[3:] if scenario == "late_covered" else
                               _OPEN_STAGES[1:5])
            self.renewal_opp = self._opportunity("Renewal", stage, close, amount, None, None,
                                                 name=name)
        elif scenario == "renewed":
            close = as_of - timedelta(days=rng.randint(3, 10))
            self.renewal_opp = self._opportunity("Renewal", _WON, close, amount, None, None,
                                                 name=name)
        elif scenario == "lapsed" and rng.random() < 0.6:
            close = end - timedelta(days=rng.randint(0, 20))
            self._opportunity("Renewal", _LOST, close, amount, None, None, name=name)

    # ---------------------------------------------------------------- opportunities

    def _opportunity(self, kind: str, stage: tuple[str, int, str], close: date, amount: float,
                     product: int | None, bu: str | None, *, name: str | None = None) -> str:
        rng = self.rng
        stage_name, probability, forecast = stage
        is_closed = stage_name in (_WON[0], _LOST[0])
        amount = max(1000.0, round(amount, -2))
        if name is None:
            label = _PRODUCTS[product][0] if product is not None else "Platform"
            name = f"{self.p.short} - {label}" + (f" ({bu})" if bu else "")
        if self.shape.hostile_text:
            name = f"{name} & <Co> \"Deal\" O'Neil's"
        owner = self.kam if rng.random() < 0.85 else rng.choice(self.gen.users[_KAM])
        opp = self.gen.add(sf.OPPORTUNITY, {
            sf.ACCOUNT_ID: self.id, sf.NAME: name, sf.STAGE_NAME: stage_name,
            sf.CLOSE_DATE: _d(close), sf.AMOUNT: _money(amount), sf.TYPE: kind,
            sf.IS_CLOSED: _b(is_closed), sf.IS_WON: _b(stage_name == _WON[0]),
            sf.PROBABILITY: str(probability), sf.FORECAST_CATEGORY: forecast,
            sf.OWNER_ID: owner,
            sf.PRODUCT_FAMILY: _PRODUCTS[product][1] if product is not None else None,
            sf.BUSINESS_UNIT: bu,
        })
        self.opps.append((opp, kind, close))
        self._line_items(opp, kind, amount, product, close)
        self._contact_roles(opp, kind)
        return opp

    def _line_items(self, opp: str, kind: str, amount: float, product: int | None,
                    close: date) -> None:
        if product is not None:
            parts = [(product, amount)]
        else:
            # A renewal re-sells the products active at its date, in proportion to value.
            by_product: dict[int, float] = {}
            for a in self.assets:
                if a.active_on(close):
                    by_product[a.product] = by_product.get(a.product, 0.0) + a.value
            total = sum(by_product.values())
            if not total:
                return
            parts = [(p, round(amount * v / total, 2)) for p, v in sorted(by_product.items())]
            # Cents lost to rounding go on the last line: the items sum to the Amount.
            parts[-1] = (parts[-1][0], round(amount - sum(v for _, v in parts[:-1]), 2))
        for product_index, price in parts:
            self.gen.add(sf.OPPORTUNITY_LINE_ITEM, {
                sf.OPPORTUNITY_ID: opp, sf.PRODUCT2_ID: self.gen.product_ids[product_index],
                sf.TOTAL_PRICE: _money(price),
            })

    def _contact_roles(self, opp: str, kind: str) -> None:
        rng = self.rng
        if not self.contacts or rng.random() < 0.1:
            return
        wanted = ("Economic Buyer", "Decision Maker", "Gatekeeper") if kind == "Renewal" else (
            "Decision Maker", "Technical Buyer", "Influencer")
        pool = [c for c in self.contacts if c.buying_role in wanted] or self.contacts
        chosen = rng.sample(pool, min(len(pool), rng.randint(1, 4)))
        for k, c in enumerate(chosen):
            self.gen.add(sf.OPPORTUNITY_CONTACT_ROLE, {
                sf.OPPORTUNITY_ID: opp, sf.CONTACT_ID: c.id,
                sf.ROLE: c.buying_role or "Influencer", sf.IS_PRIMARY: _b(k == 0),
            })

    def _history_opportunities(self) -> None:
        """Won deals behind the assets, lost ones beside them, over the three-year history."""
        rng = self.rng
        land = [a for a in self.assets if a.install == self.since]
        if self.since >= self.window_start and land:
            self._opportunity("New Business", _WON, self.since - timedelta(days=rng.randint(7, 30)),
                              sum(a.value for a in land), land[0].product, land[0].bu)
        held_before: set[int] = {a.product for a in land}
        for a in sorted(self.assets, key=lambda a: (a.install, a.id)):
            if a.install == self.since:
                continue
            close = a.install - timedelta(days=rng.randint(7, 30))
            if close >= self.window_start:
                kind = "Upsell" if a.product in held_before else rng.choice(
                    ("Expansion", "Cross-sell"))
                self._opportunity(kind, _WON, close, a.value, a.product, a.bu)
            held_before.add(a.product)
        lost = round(len(self.assets) * rng.uniform(0.3, 0.9))
        for _ in range(lost):
            product = rng.randrange(len(_PRODUCTS))
            close = self._date_between(self.window_start, self.as_of - timedelta(days=5))
            amount = _PRODUCTS[product][2] * rng.uniform(0.3, 1.5) * (0.5 + self.p.size)
            self._opportunity(rng.choice(("Expansion", "Cross-sell", "Upsell")), _LOST,
                              close, amount, product, rng.choice(self.bus))

    def _open_opportunities(self) -> None:
        rng = self.rng
        cells = self.potential
        room = sorted(((k, v - self.cells.get(k, 0.0)) for k, v in cells.items()),
                      key=lambda kv: (-kv[1], kv[0]))
        room = [kv for kv in room if kv[1] > 0]
        count = min(len(room), round(self.p.size * 7 + rng.uniform(0.5, 2)))
        for key, gap in room[:count]:
            product, bu, _, _ = key
            stage = rng.choice(_OPEN_STAGES)
            if rng.random() < 0.08:
                close = self.as_of - timedelta(days=rng.randint(3, 30))  # slipped, still open
            else:
                close = self.as_of + timedelta(days=rng.randint(10, 270))
            kind = "Upsell" if any(a.product == product for a in self.assets) else rng.choice(
                ("Expansion", "Cross-sell"))
            self._opportunity(kind, stage, close, gap * rng.uniform(0.3, 1.2), product, bu)

    # ---------------------------------------------------------------- actions

    def _tasks(self) -> None:
        rng, as_of = self.rng, self.as_of
        n = self.shape.actions
        if n is None:
            n = max(4, round(14 + self.p.size * 120 + rng.uniform(-4, 6)))
        start = max(self.since, add_months(as_of, -15))
        # Execution discipline: most teams close nearly everything, some let actions slip.
        slack = rng.uniform(0.0, 0.06) if rng.random() < 0.6 else rng.uniform(0.1, 0.35)
        if self.exemplary:
            slack = 0.0
        planted = self.marked
        owners = [u for u, _ in self.team.members()]
        for k in range(n):
            joint = rng.random() < 0.42
            planned = self._date_between(start, as_of + timedelta(days=120))
            subject, description, measure = self._texts(
                *rng.choice(_JOINT_TASKS if joint else _INTERNAL_TASKS),
                quarter=f"Q{(planned.month - 1) // 3 + 1} {planned.year}",
                year=str(planned.year))
            due = planned
            priority = rng.choices(("High", "Normal", "Low"), (0.2, 0.65, 0.15))[0]
            if due < as_of:
                # Old actions were mostly closed or dropped; slipped ones are recent.
                age = (as_of - due).days
                still_open = slack * (1.0 if age < 60 else 0.5 if age < 180 else 0.2)
                status = ("Completed" if rng.random() >= still_open
                          else rng.choice(_TASK_OPEN_STATUSES))
            else:
                status = "Completed" if rng.random() < 0.12 else rng.choice(_TASK_OPEN_STATUSES)
            if due >= as_of and rng.random() < 0.03:
                status = "Deferred"
            if planted:
                # The planted marker: an internal task whose description must never reach a
                # customer document.
                joint, status, planted = False, "In Progress", False
                subject = self._text("Prepare renewal pricing options")
                description = INTERNAL_TASK_MARKER
            completed = None
            if status == "Completed":
                done_on = min(as_of, due + timedelta(days=rng.randint(-10, 12)))
                completed = _dt(max(done_on, start), rng.randint(7 * 60, 19 * 60))
            # Data gaps the action review must flag: no due date, no owner.
            due_text = None if rng.random() < 0.03 else _d(due)
            owner = rng.choice(owners) if rng.random() < 0.98 else None
            who = rng.choice(self.contacts).id if self.contacts and rng.random() < 0.6 else None
            what = self.id
            if not joint and self.renewal_opp and "renewal" in subject.lower():
                what = self.renewal_opp
            elif self.opps and rng.random() < 0.1:
                what = rng.choice(self.opps)[0]
            account = None if rng.random() < 0.04 else self.id  # resolved through WhatId
            escalation = None
            if rng.random() < (0.85 if priority == "High" else 0.35):
                escalation = self._text(rng.choice(_ESCALATIONS))
            if description == INTERNAL_TASK_MARKER:
                text: str | None = description
            else:
                text = self._long(description) if rng.random() < 0.75 or k == 0 else None
            self.gen.add(sf.TASK, {
                sf.SUBJECT: subject, sf.STATUS: status, sf.ACCOUNT_ID: account,
                sf.WHAT_ID: what, sf.WHO_ID: who, sf.ACTIVITY_DATE: due_text,
                sf.PRIORITY: priority, sf.OWNER_ID: owner,
                sf.IS_CLOSED: _b(status == "Completed"),
                sf.DESCRIPTION: text,
                sf.SUCCESS_MEASURE: measure if rng.random() < (0.9 if priority == "High" else 0.7)
                else None,
                sf.ESCALATION_PATH: escalation, sf.CUSTOMER_VISIBLE: _b(joint),
                sf.COMPLETED_DATE_TIME: completed,
            })

    # ---------------------------------------------------------------- meetings

    def _events(self) -> None:
        rng, as_of = self.rng, self.as_of
        tier = self.p.tier or sf.TIERS[2]
        cadence = 3 if tier in sf.TIERS[:2] else 6
        senior = [c for c in self.contacts if c.level <= 2] or self.contacts
        first_possible = add_months(self.since, 3)
        # QBRs, newest first: the last one recent, or overdue for a few accounts.
        if "qbr_overdue" in self.traits:
            last = as_of - timedelta(days=cadence * 31 + rng.randint(20, 120))
        else:
            last = as_of - timedelta(days=rng.randint(5, cadence * 30 - 25))
        held: list[date] = []
        day = last
        while day >= max(first_possible, add_months(as_of, -36)):
            if not held or rng.random() > 0.1:  # now and then a QBR was skipped
                held.append(day)
            day = add_months(day, -cadence) + timedelta(days=rng.randint(-10, 10))
        planted = self.marked
        for meeting_day in sorted(held):
            quarter = add_months(meeting_day, -3)
            q = f"Q{(quarter.month - 1) // 3 + 1} {quarter.year}"
            if rng.random() < 0.75:
                subject, kind = f"{q} Quarterly Business Review", "QBR"
            else:
                subject, kind = f"QBR - {self.p.short} - {q}", "Meeting"
            description = None
            if rng.random() < 0.5:
                description = self._text(rng.choice((
                    ("Reviewed adoption in {bu}; {contact} asked for a roadmap update on "
                     "{usecase}."),
                    ("KPIs on track except report turnaround; agreed an action plan with "
                     "{contact}."),
                    "Discussed the {region} rollout and next quarter's priorities.",
                )))
            if planted and meeting_day == held[0]:  # the most recent QBR
                description, planted = INTERNAL_MEETING_MARKER, False
            self._event(subject, kind, meeting_day, rng.choice(senior) if senior else None,
                        description)
        if "qbr_scheduled" in self.traits:
            day = as_of + timedelta(days=rng.randint(7, 40))
            quarter = add_months(day, -3)
            self._event(f"Q{(quarter.month - 1) // 3 + 1} {quarter.year} Quarterly Business "
                        "Review", "QBR", day, rng.choice(senior) if senior else None, None)
        # EBRs: yearly for tier 1 and some tier 2 accounts.
        if tier == sf.TIERS[0] or (tier == sf.TIERS[1] and rng.random() < 0.3):
            gap = rng.randint(400, 560) if "ebr_overdue" in self.traits else rng.randint(20, 330)
            day = as_of - timedelta(days=gap)
            while day >= max(first_possible, add_months(as_of, -36)):
                self._event(f"Executive Business Review {day.year}", "EBR", day,
                            self.contacts[0] if self.contacts else None,
                            self._text("Joint objectives for {year} agreed with {contact}.",
                                       year=str(day.year + 1))
                            if rng.random() < 0.5 else None)
                day = add_months(day, -12) + timedelta(days=rng.randint(-15, 15))
        # Recent 1:1s with senior people: warm accounts keep their key stakeholders close.
        for contact in self.contacts:
            senior = contact.level <= 2 or (contact.influence or 0) >= 4 or (
                contact.buying_role in ("Economic Buyer", "Decision Maker"))
            if senior and (self.exemplary or rng.random() < 0.2 + 0.75 * self.health):
                day = as_of - timedelta(days=rng.randint(1, 85))
                self._event(self._text("Check-in with {contact}", contact=contact.name),
                            "Call", day, contact, None)
        # Other meetings over the history.
        others = round(6 + self.p.size * 40 + rng.uniform(-2, 3))
        for _ in range(max(others, 0)):
            template, kind = rng.choice(_MEETING_SUBJECTS)
            day = self._date_between(self.window_start, as_of + timedelta(days=30))
            who = rng.choice(self.contacts) if self.contacts else None
            # No QBR held yet (a new customer): the marker goes on another meeting's notes.
            notes, planted = (INTERNAL_MEETING_MARKER, False) if planted else (None, False)
            self._event(self._text(template), kind, day, who, notes)

    def _event(self, subject: str, kind: str, day: date, who: _Contact | None,
               description: str | None) -> None:
        rng = self.rng
        account = None if rng.random() < 0.04 else self.id
        if self.shape.hostile_text and description is None:
            description = self._text("Notes for {contact}")
        self.gen.add(sf.EVENT, {
            sf.ACCOUNT_ID: account, sf.WHAT_ID: self.id, sf.WHO_ID: who.id if who else None,
            sf.SUBJECT: subject, sf.TYPE: kind, sf.ACTIVITY_DATE: _d(day),
            sf.START_DATE_TIME: _dt(day, rng.choice((8, 9, 10, 13, 14, 15, 16)) * 60
                                    + rng.choice((0, 30))),
            sf.DESCRIPTION: self._long(description) if description else None,
        })

    # ---------------------------------------------------------------- plan content

    def _goals(self) -> None:
        rng, as_of = self.rng, self.as_of
        n = max(1, round(2 + self.p.size * 4 + rng.uniform(-1, 1)))
        picks = rng.sample(range(len(_JOINT_GOALS)), min(n, len(_JOINT_GOALS)))
        rows = [(_JOINT_GOALS[i], True) for i in picks]
        if rng.random() < 0.7:
            rows.append((rng.choice(_INTERNAL_GOALS), False))
        if self.marked:
            rows.append(((INTERNAL_GOAL_MARKER, "Internal target agreed with sales leadership."),
                         False))
        contacts = [c for c in self.contacts if c.level <= 4] or self.contacts
        self.goal_names: list[str] = []
        for (name, description), visible in rows:
            target = self._date_between(add_months(as_of, -9), add_months(as_of, 15))
            status = rng.choice(_GOAL_STATUS_PAST if target < as_of else _GOAL_STATUS_FUTURE)
            if visible and contacts and rng.random() < 0.6:
                owner_contact = rng.choice(contacts)
                owner = f"{owner_contact.name} ({self.p.short})"
            else:
                owner = self.gen.user_names[self.team.kam]
            if name != INTERNAL_GOAL_MARKER:
                name, description = self._texts(name, description, year=str(target.year))
            self.goal_names.append(name)
            self.gen.add(sf.ACCOUNT_GOAL, {
                sf.CUSTOM_ACCOUNT_ID: self.id, sf.NAME: name,
                sf.DESCRIPTION_C: self._long(description),
                sf.TARGET_DATE: _d(target), sf.STATUS_C: status, sf.OWNER_C: owner,
                sf.CUSTOMER_VISIBLE: _b(visible),
            })

    def _risks(self) -> None:
        rng = self.rng
        n = max(1, round(1 + self.p.size * 4 + rng.uniform(-1, 1)))
        picks = rng.sample(range(len(_RISKS)), min(n, len(_RISKS)))
        rows = [_RISKS[i] for i in picks]
        if self.marked:
            rows.append((INTERNAL_RISK_MARKER, INTERNAL_MITIGATION_MARKER, False, "High", "High"))
        owners = [self.gen.user_names[u] for u, _ in self.team.members()]
        for name, mitigation, visible, severity, likelihood in rows:
            if name != INTERNAL_RISK_MARKER:
                name, mitigation = self._texts(name, mitigation)
                mitigation = self._long(mitigation)
                # The same risk weighs differently per account: often one level lower.
                severity, likelihood = (_lower_level(level) if rng.random() < 0.3 else level
                                        for level in (severity, likelihood))
            self.gen.add(sf.ACCOUNT_RISK, {
                sf.CUSTOM_ACCOUNT_ID: self.id, sf.NAME: name, sf.SEVERITY: severity,
                sf.LIKELIHOOD: likelihood, sf.MITIGATION: mitigation,
                sf.OWNER_C: rng.choice(owners), sf.STATUS_C: rng.choice(_RISK_STATUSES),
                sf.CUSTOMER_VISIBLE: _b(visible),
            })

    def _kpis(self) -> None:
        rng, as_of = self.rng, self.as_of
        n = self.shape.kpis
        if n is None:
            n = 0 if "no_kpis" in self.traits else max(2, round(4 + self.p.size * 8
                                                                 + rng.uniform(-1, 1)))
        if n <= 0:
            return
        kpi_pool = [k for k in _KPIS if k[1] == "KPI"]
        sla_pool = [k for k in _KPIS if k[1] == "SLA"]
        slas = min(len(sla_pool), max(1, n // 3))
        chosen = rng.sample(kpi_pool, min(n - slas, len(kpi_pool))) + rng.sample(sla_pool, slas)
        names = [(spec, spec[0]) for spec in chosen]
        scopes = list(self.bus) + list(_REGIONS)
        k = 0
        while len(names) < n:  # more KPIs than the catalogue: one per business unit or region
            spec = _KPIS[k % len(_KPIS)]
            names.append((spec, f"{spec[0]} - {scopes[(k // len(_KPIS)) % len(scopes)]}"))
            k += 1
        last_end = _previous_quarter_end(as_of)
        first_end = _previous_quarter_end(add_months(self.since, 3))
        quarters = []
        end = last_end
        wanted = rng.randint(8, 12)  # two to three years of quarterly history
        while end >= first_end and len(quarters) < wanted:
            quarters.append(end)
            end = _previous_quarter_end(end.replace(day=1) - timedelta(days=1))
        quarters.reverse()
        scale = 0.5 + self.p.size * 3
        for (name, kind, unit, higher, target, places, scales), label in names:
            if self.shape.hostile_text and kind == "KPI":
                label = f"{label} <\"net\"> & 'adj.'"
            target_value = target * scale if scales else target
            # Most KPIs improve towards their target over the years; some stay short of it.
            performance = rng.uniform(0.82, 1.06)
            drift = rng.uniform(-0.005, 0.03)
            if self.exemplary:
                performance, drift = rng.uniform(1.0, 1.08), rng.uniform(0.005, 0.02)
            for q, period in enumerate(quarters):
                p = performance + drift * q + rng.uniform(-0.04, 0.04)
                actual = _kpi_actual(target_value, p, higher, unit)
                self.gen.add(sf.KPI_MEASUREMENT, {
                    sf.CUSTOM_ACCOUNT_ID: self.id, sf.NAME: label, sf.KIND_C: kind,
                    sf.PERIOD_END: _d(period), sf.TARGET: _num(target_value, places),
                    sf.ACTUAL: _num(actual, places), sf.UNIT: unit,
                    sf.HIGHER_IS_BETTER: _b(higher),
                })

    def _plan(self) -> None:
        if "no_plan" in self.traits and not self.marked:
            return
        acv = self._acv_on(self.as_of)
        products = sorted({_PRODUCTS[a.product][0] for a in self.assets if a.end is None})
        top = max(self.assets, key=lambda a: (a.value, a.id)) if self.assets else None
        # The most senior champion / detractor is the one a plan would name.
        champion = min((c for c in self.contacts if c.stance == "Champion"),
                       key=lambda c: (c.level, c.id), default=None)
        detractor = min((c for c in self.contacts if c.stance == "Detractor"),
                        key=lambda c: (c.level, c.id), default=None)
        executive = min(self.contacts, key=lambda c: (c.level, c.id)) if self.contacts else None
        tier_word = {sf.TIERS[0]: "Tier 1", sf.TIERS[1]: "Tier 2"}.get(self.p.tier, "Tier 3")
        top_bu = top.bu if top else self.bus[0]
        top_product = _PRODUCTS[top.product][0] if top else _PRODUCTS[0][0]
        summary = [
            (f"{self.p.short} is a {tier_word} {self.industry.lower()} customer in "
             f"{self.country}, spending {_short_money(acv)} a year with us across "
             f"{len(products)} product{'s' if len(products) != 1 else ''}."),
        ]
        if champion:
            summary.append(f"Adoption is strongest in {top_bu}, where {champion.name} "
                           f"({champion.title}) sponsors the {top_product} rollout.")
        else:
            summary.append(f"Usage is concentrated in {top_bu} and we have no clear champion "
                           "yet.")
        if self.renewal_date is not None and self.renewal_date >= self.as_of:
            summary.append(f"The renewal on {_long_date(self.renewal_date)} is the priority "
                           "for the coming quarters.")
        elif self.renewal_date is not None:
            summary.append(f"The renewal date of {_long_date(self.renewal_date)} has passed "
                           "without a signed renewal; recovering it comes first.")
        cells = self.potential
        gaps = sorted(((v - self.cells.get(k, 0.0), k) for k, v in cells.items()), reverse=True)
        strategy = []
        if gaps and gaps[0][0] > 0:
            gap, (product, bu, region, _) = gaps[0]
            where = (f"in {bu} ({region})" if bu == top_bu
                     else f"from {top_bu} into {bu} ({region})")
            strategy.append(f"Expand {_PRODUCTS[product][0]} {where}, where about "
                            f"{_short_money(gap)} of potential is unaddressed.")
        else:
            strategy.append(f"Protect and deepen the {top_product} footprint in {top_bu}.")
        if detractor:
            strategy.append(f"Address {detractor.name}'s concerns about support response times "
                            "before procurement engages.")
        if executive and self.team.sponsor:
            strategy.append(f"Use the next executive review to connect "
                            f"{self.gen.user_names[self.team.sponsor]} with {executive.name} "
                            f"({executive.title}).")
        if len(strategy) < 3:
            if self.renewal_date is not None and self.renewal_date < add_months(self.as_of, 12):
                strategy.append("Open the renewal conversation early and anchor it on the KPI "
                                "results of the last four quarters.")
            else:
                strategy.append(f"Broaden the relationship beyond {top_bu} before the next "
                                "budget cycle.")
        if self.marked:
            strategy.append(INTERNAL_STRATEGY_MARKER)
        use_cases = sorted({a.use_case.lower() for a in self.assets})[:2] or ["reporting"]
        verb = "gives" if len(products) == 1 else "give"
        value = [
            (f"{_and_list(products[:3]) or top_product} {verb} {self.p.short}'s {top_bu} team "
             f"one governed source for {' and '.join(use_cases)}."),
            ("Moving this work onto one platform removes manual consolidation and gives "
             "leadership figures it can act on within days rather than weeks."),
        ]
        joint = [g for g in self.goal_names if g != INTERNAL_GOAL_MARKER][:2]
        aims = " and ".join(g[0].lower() + g[1:] for g in joint) or "get more value from its data"
        objectives = [f"{self.p.short} wants to {aims}."]
        if executive:
            objectives.append(f"{executive.name} ({executive.title}) expects measurable "
                              "progress at every quarterly review.")
        self.gen.add(sf.ACCOUNT_PLAN, {
            sf.CUSTOM_ACCOUNT_ID: self.id,
            sf.EXECUTIVE_SUMMARY: self._long(" ".join(summary)),
            sf.STRATEGY: self._long(" ".join(strategy)),
            sf.VALUE_PROPOSITION: self._long(" ".join(value)),
            sf.CUSTOMER_OBJECTIVES: self._long(" ".join(objectives)),
        })


def _lower_level(level: str) -> str:
    return sf.LEVELS[min(len(sf.LEVELS) - 1, sf.LEVELS.index(level) + 1)]


def _kpi_actual(target: float, performance: float, higher: bool, unit: str) -> float:
    """An actual value performing at ``performance`` (1.0 = exactly on target)."""
    if unit == "%" and target >= 99:
        # Availability-style: performance scales the shortfall, not the value.
        return min(100.0, 100 - (100 - target) / max(performance, 0.2))
    actual = target * performance if higher else target / max(performance, 0.2)
    if unit == "%":
        actual = min(actual, 100.0)
    if unit == "score":
        actual = min(actual, 5.0)
    return actual


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _and_list(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _short_money(amount: float) -> str:
    """CRM narrative style: $1.2M, $450K (this is data text, not a document's formatting)."""
    if amount >= 1_000_000:
        return f"${amount / 1_000_000:.1f}M"
    return f"${amount / 1_000:.0f}K"


# --------------------------------------------------------------------------- writing


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """One object's CSV as a Data Export writes it: UTF-8, LF, minimal quoting, empty = missing."""
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


def write_csv_folder(frames: Mapping[str, pd.DataFrame], folder: str | Path) -> list[Path]:
    """Write ``<Object>.csv`` per frame into ``folder`` (created if needed), each atomically.

    Returns the written paths in object order. Other files in the folder are left alone.
    """
    folder = Path(folder)
    return [write_atomic(folder / f"{name}.csv", csv_bytes(frame))
            for name, frame in frames.items()]


#: The demo company's logo, written beside the config that names it.
LOGO_NAME = "logo.png"


def config_toml(company: str = COMPANY_NAME) -> str:
    """The kamdocs.toml written beside a generated portfolio (with :data:`LOGO_NAME`)."""
    return (
        "# kamdocs configuration of a generated demo portfolio (README: Configuration).\n"
        "[company]\n"
        f'name = "{company}"\n'
        'data_source = "Salesforce Data Export (synthetic demo data)"\n'
        "\n"
        "[locale]\n"
        'currency = "USD"\n'
        'locale = "en_US"\n'
        "fiscal_year_start_month = 1\n"
        "\n"
        "[templates]\n"
        f'logo = "{LOGO_NAME}"\n'
    )


def logo_png(company: str = COMPANY_NAME) -> bytes:
    """The demo company's logo: its name beside a block of the default brand's colour."""
    # Imported here: matplotlib is heavy, and generating CSVs does not need it.
    from kamdocs.render.lookup import default_brand
    from kamdocs.render.wordmark import wordmark

    brand = default_brand()
    return wordmark(company, brand.primary, brand.text)


def write_config(folder: str | Path, company: str = COMPANY_NAME) -> list[Path]:
    """Write the demo kamdocs.toml and its logo into ``folder``; returns both paths."""
    folder = Path(folder)
    return [write_atomic(folder / CONFIG_NAME, config_toml(company).encode("utf-8")),
            write_atomic(folder / LOGO_NAME, logo_png(company))]


def account_ids_with_markers(frames: Mapping[str, pd.DataFrame]) -> list[str]:
    """Ids of the accounts that carry the planted internal markers, in Id order."""
    risks = frames[sf.ACCOUNT_RISK]
    hit = risks[risks[sf.NAME] == INTERNAL_RISK_MARKER]
    return sorted(hit[sf.CUSTOM_ACCOUNT_ID].tolist())

