"""Chinese identifier checks as the standards define them (not stricter).

Resident ID (GB 11643-1999): 18 characters, digits 7-14 a real birth date not in the future, the
18th the ISO 7064 MOD 11-2 check character of the first 17. First-generation 15-digit numbers
(birth date YYMMDD at digits 7-12, no check character) are accepted with a real date. The
address code is not checked against a table: legacy, abandoned, HK (81) and Taiwan (83) codes are
legal (see ../shared/realdocs/id-vectors, where python-stdnum rejects seven valid numbers).

USCC (GB 32100-2015): 18 characters from 0-9 and A-Z without I, O, S, V, Z; the 18th the MOD 31
check character. Letter-first codes (e.g. "Y…") are valid, unlike in python-stdnum.
"""
from __future__ import annotations

import datetime as dt
import re

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
