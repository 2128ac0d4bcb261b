"""ISO 4217 currency codes in use (active codes, 2024), for checking a code is known.

Contracts accept any well-formed three-letter code (their rule predates this list);
exchange rates and the reporting currency must name a known one, so a typo such as
"EUD" cannot create a rate nobody will ever use.
"""

from __future__ import annotations

from typing import Any

from cs_domain.base import CURRENCY_RE
from cs_domain.errors import Validator

_CODES = """
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP
BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP
GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR
KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK
MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR
SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS
UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG
"""
ISO_4217 = frozenset(_CODES.split())


def is_known_currency(code: Any) -> bool:
    return isinstance(code, str) and bool(CURRENCY_RE.match(code)) and code in ISO_4217


def check_currency(v: Validator, code: Any, field: str) -> None:
    if not (isinstance(code, str) and CURRENCY_RE.match(code)):
        v.check(False, field, "must be an ISO 4217 code of three capital letters, such as EUR")
    else:
        v.check(code in ISO_4217, field, f"{code} is not an ISO 4217 currency in use")
