"""Chinese identifier checks as the standards define them (not stricter).

Resident ID (GB 11643-1999): 18 characters, digits 7-14 a real birth date not in the future, the
18th the ISO 7064 MOD 11-2 check character of the first 17. First-generation 15-digit numbers
(birth date YYMMDD at digits 7-12, no check character) are accepted with a real date. The
address code is not checked against a table: legacy, abandoned, HK (81) and Taiwan (83) codes are
legal (see docs/reference/id-vectors, where python-stdnum rejects seven valid numbers).

USCC (GB 32100-2015): 18 characters from 0-9 and A-Z without I, O, S, V, Z; the 18th the MOD 31
check character. Letter-first codes (e.g. "Y…") are valid, unlike in python-stdnum.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def ric_check_char(first17: str) -> str:
    from stdnum.cn import ric

    return ric.calc_check_digit(first17 + "0")  # stdnum reads the first 17 of an 18-character number


def ric_birth_date(number: str) -> dt.date | None:
    """The birth date a resident ID encodes, or None when it encodes no real date."""
    try:
        if len(number) == 18:
            return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        if len(number) == 15:
            return dt.date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))
    except ValueError:
        return None
    return None


def ric_problem(number: str, today: dt.date) -> str | None:
    """Why a resident ID number is not valid, or None when it is."""
    number = number.strip().upper()
    if not (re.fullmatch(r"\d{17}[\dX]", number) or re.fullmatch(r"\d{15}", number)):
        return f"{len(number)} characters; a resident ID has 18 (or 15 for first-generation cards)"
    born = ric_birth_date(number)
    if born is None:
        return "the birth date in it is not a real date"
    if born > today:
        return f"the birth date in it ({born}) is in the future"
    if len(number) == 18 and ric_check_char(number[:17]) != number[17]:
        return f"check character {number[17]} should be {ric_check_char(number[:17])} (GB 11643 MOD 11-2)"
    return None


def uscc_check_char(first17: str) -> str:
    # stdnum's check character is GB 32100's; only its validate() wrongly wants 8 leading digits
    from stdnum.cn import uscc

    return uscc.calc_check_digit(first17)


def uscc_problem(code: str) -> str | None:
    code = code.strip().upper()
    if len(code) != 18 or any(c not in _USCC_ALPHABET for c in code):
        return "not 18 characters of 0-9 and A-Z without I, O, S, V, Z"
    if uscc_check_char(code[:17]) != code[17]:
        return f"check character {code[17]} should be {uscc_check_char(code[:17])} (GB 32100 MOD 31)"
    return None


# ---------------------------------------------------------------- national ID schemes by country
#
# Which schemes a jurisdiction checks is rule-pack data (bases.national_id.schemes, with sources);
# here is only what each scheme's number looks like and what can be checked in it. The factory's
# country decides: only a clearly foreign document (a passport) is left unjudged.


@dataclass(frozen=True)
class Scheme:
    name: str
    label: str
    fits: Callable[[str], bool]
    #: (number, birth_date or None, gender "M"/"F" or None, today) → why it is invalid, or None
    problem: Callable[[str, dt.date | None, str | None, dt.date], str | None]


def _cn_ric(number: str, born: dt.date | None, gender: str | None, today: dt.date) -> str | None:
    problem = ric_problem(number, today)
    if problem is None and born is not None and ric_birth_date(number) != born:
        problem = f"its birth date {ric_birth_date(number)} differs from birth_date {born}"
    return problem


def _vn_cccd(number: str, born: dt.date | None, gender: str | None, today: dt.date) -> str | None:
    """Decree 137/2015/ND-CP Art 13, Circular 07/2016/TT-BCA Art 7: 3 digits province (or country)
    of birth registration, a digit for century and gender (0/1 = 1900s male/female, 2/3 = 2000s,
    …), the last two digits of the birth year, 6 digits at random. No check digit."""
    code = int(number[3])
    century, female = 1900 + 100 * (code // 2), code % 2 == 1
    year = century + int(number[4:6])
    if year > today.year:
        return f"it encodes birth year {year}, in the future"
    if born is not None and born.year != year:
        return f"it encodes birth year {year} (century digit {code}, year digits {number[4:6]}) but birth_date is {born}"
    if gender in ("M", "F") and female != (gender == "F"):
        return f"its century/gender digit {code} says {'female' if female else 'male'}, the roster {gender}"
    return None


def _in_aadhaar(number: str, born: dt.date | None, gender: str | None, today: dt.date) -> str | None:
    from stdnum.exceptions import ValidationError
    from stdnum.in_ import aadhaar

    try:
        aadhaar.validate(number)
    except ValidationError as exc:
        return f"not a valid Aadhaar number ({exc.message}; UIDAI: 12 digits, first not 0 or 1, Verhoeff check digit)"
    return None


_BD_RMO = set("123459")  # rural, municipality, other urban, other, cantonment, city corporation


def _bd_nid(number: str, born: dt.date | None, gender: str | None, today: dt.date) -> str | None:
    """10 digits (smart card, no published check), 13 digits (district, RMO, upazila, union,
    serial), or 17: the birth year followed by the 13."""
    if len(number) == 10:
        return None
    if len(number) == 17:
        year = int(number[:4])
        if not 1900 <= year <= today.year:
            return f"a 17-digit NID begins with the birth year; {number[:4]} is not one"
        if born is not None and born.year != year:
            return f"it begins with birth year {year} but birth_date is {born}"
    rmo = number[-11]
    if rmo not in _BD_RMO:
        return f"its area-type (RMO) digit {rmo} is none of 1, 2, 3, 4, 5, 9"
    return None


SCHEMES: dict[str, Scheme] = {s.name: s for s in [
    Scheme("cn_ric", "Chinese resident ID (GB 11643)",
           lambda n: bool(re.fullmatch(r"\d{17}[\dX]|\d{15}", n)), _cn_ric),
    Scheme("vn_cccd", "Vietnamese citizen ID (CCCD, 12 digits)", lambda n: bool(re.fullmatch(r"\d{12}", n)), _vn_cccd),
    Scheme("vn_cmnd", "Vietnamese people's ID card (CMND, 9 digits)", lambda n: bool(re.fullmatch(r"\d{9}", n)),
           lambda *_: None),
    Scheme("in_aadhaar", "Indian Aadhaar number (12 digits)", lambda n: bool(re.fullmatch(r"\d{12}", n)), _in_aadhaar),
    Scheme("bd_nid", "Bangladeshi NID (10, 13 or 17 digits)",
           lambda n: bool(re.fullmatch(r"\d{10}|\d{13}|\d{17}", n)), _bd_nid),
]}


#: a header naming a foreign identity document (the column holds passports, not the country's IDs)
FOREIGN_HEADER = re.compile(r"passport|foreign|alien|外籍|外国|護照|护照|hộ chiếu|ho chieu|পাসপোর্ট|पासपोर्ट", re.I)
#: a passport-like value: letters and digits, 6 to 20 of them, at least one letter and three digits
_PASSPORT_LIKE = re.compile(r"(?=.*[A-Z])(?=(?:.*\d){3})[A-Z0-9<]{6,20}")


def national_id_problem(number: str, schemes: list[str], born: dt.date | None, gender: str | None,
                        today: dt.date, foreign: bool = False) -> str | None:
    """Why a national ID number is invalid for a jurisdiction checking ``schemes``, or None: valid,
    a foreign document, or a jurisdiction with no check.

    The factory's country decides the scheme first: a number in its shape is judged by its rules,
    and a digit string of another length is invalid for it (in a Chinese factory a 17- or 9-digit
    number is a mistyped resident ID, not a Bangladeshi NID or a Vietnamese CMND). Only a clearly
    foreign document is not judged: a passport-like value with letters, or any value in a column
    whose header says passport / 护照 / foreign (``foreign``)."""
    number = re.sub(r"[\s\-‐-―−]", "", number).upper()
    own = [SCHEMES[s] for s in schemes]
    if not own:
        return None
    for scheme in own:
        if scheme.fits(number):
            return scheme.problem(number, born, gender, today)
    if foreign:
        return None  # the column holds foreign documents: not this country's to judge
    labels = "; ".join(s.label for s in own)
    if number.isdigit():
        return f"{len(number)} digits fit no national ID format checked here ({labels})"
    bare = re.sub(r"[()（）]", "", number)  # a Hong Kong identity card: A123456(7)
    if _PASSPORT_LIKE.fullmatch(bare) and not re.fullmatch(r"\d+X", bare):
        return None  # a passport or another foreign document's number: not this country's to judge
    return f"{len(number)} characters fit no national ID format checked here ({labels})"
