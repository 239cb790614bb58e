"""Pure text formatting for the PDFs: latin-1 cleaning, IST dates, Indian money and amounts in words."""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

IST = timezone(timedelta(hours=5, minutes=30), "IST")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_PAISE = Decimal("0.01")

# The core Helvetica font only covers latin-1, so common typographic characters get
# an ASCII stand-in rather than a "?" (the rupee sign especially shows up in names).
_STAND_INS = str.maketrans(
    {
        "\u20b9": "Rs.",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2022": "*",
        "\u2026": "...",
        "\u00a0": " ",
        "\t": " ",
        "\r": " ",
        "\n": " ",
    }
)


def latin1(text: str) -> str:
    """Return `text` with every character outside latin-1 replaced, so core fonts never raise."""
    if text.isascii() and text.isprintable():
        return text
    text = text.translate(_STAND_INS)
    out = []
    for ch in text:
        if ord(ch) < 256:
            out.append(ch if ch.isprintable() else " ")
            continue
        # Accented Latin letters outside latin-1 (e.g. "a" with macron) keep their base letter.
        base = "".join(
            c for c in unicodedata.normalize("NFKD", ch) if ord(c) < 256 and not unicodedata.combining(c)
        )
        out.append(base or "?")
    return "".join(out)


def clean(value: Any) -> str:
    """Payload value as a single printable latin-1 line; None becomes an empty string."""
    if value is None:
        return ""
    return " ".join(latin1(str(value)).split())


def fmt_datetime(epoch: Any) -> str:
    """Epoch seconds as "23-Nov-2026 14:05 IST"; missing dates print as "-"."""
    if epoch is None or epoch == "":
        return "-"
    moment = datetime.fromtimestamp(int(epoch), IST)
    return f"{moment.day:02d}-{_MONTHS[moment.month - 1]}-{moment.year} {moment:%H:%M} IST"


def to_utc(epoch: Any) -> datetime:
    """Epoch seconds as an aware UTC datetime (0 when missing), used as the PDF creation date."""
    return datetime.fromtimestamp(int(epoch or 0), timezone.utc)


def to_decimal(value: Any) -> Decimal:
    if value is None or value == "":
        return Decimal(0)
    try:
        # Through str() so a float like 0.1 prints as 0.10, not its binary expansion.
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise ValueError(f"not an amount: {value!r}") from exc


def fmt_amount(value: Any) -> str:
    """Amount with two decimals and Indian digit grouping: 1,23,456.00."""
    amount = to_decimal(value).quantize(_PAISE, ROUND_HALF_UP)
    whole, frac = f"{abs(amount):.2f}".split(".")
    if len(whole) > 3:
        head, groups = whole[:-3], [whole[-3:]]
        while len(head) > 2:
            groups.insert(0, head[-2:])
            head = head[:-2]
        whole = ",".join([head, *groups]) if head else ",".join(groups)
    return f"{'-' if amount < 0 else ''}{whole}.{frac}"


def fmt_money(value: Any) -> str:
    """Amount as "Rs. 1,299.00" (core fonts have no rupee glyph)."""
    text = fmt_amount(value)
    return f"-Rs. {text[1:]}" if text.startswith("-") else f"Rs. {text}"


def fmt_number(value: Any) -> str:
    """A quantity or rate without trailing zeros: 5, 12.5, 0.25."""
    number = to_decimal(value)
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


_ONES = (
    "", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten",
    "Eleven", "Twelve", "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen",
)
_TENS = ("", "", "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety")


def _below_hundred(n: int) -> str:
    if n < 20:
        return _ONES[n]
    return f"{_TENS[n // 10]} {_ONES[n % 10]}".strip()


def _indian_words(n: int) -> str:
    if n == 0:
        return "Zero"
    parts = []
    crore, n = divmod(n, 10_000_000)
    lakh, n = divmod(n, 100_000)
    thousand, n = divmod(n, 1000)
    hundred, n = divmod(n, 100)
    if crore:
        parts.append(f"{_indian_words(crore)} Crore")
    if lakh:
        parts.append(f"{_below_hundred(lakh)} Lakh")
    if thousand:
        parts.append(f"{_below_hundred(thousand)} Thousand")
    if hundred:
        parts.append(f"{_ONES[hundred]} Hundred")
    if n:
        parts.append(_below_hundred(n))
    return " ".join(parts)


def amount_in_words(value: Any) -> str:
    """Indian invoices print the grand total in words: "Rupees One Thousand Two Hundred Only"."""
    amount = to_decimal(value).quantize(_PAISE, ROUND_HALF_UP)
    sign = "Minus " if amount < 0 else ""
    rupees, paise = divmod(int(abs(amount) * 100), 100)
    words = f"Rupees {sign}{_indian_words(rupees)}"
    if paise:
        words += f" and {_below_hundred(paise)} Paise"
    return words + " Only"


def address_lines(address: Any) -> list[str]:
    """A payload address (dict or plain string) as printable lines, skipping empty parts."""
    if not isinstance(address, dict):
        text = clean(address)
        return [text] if text else []
    lines = [clean(address.get("line1")), clean(address.get("line2"))]
    city, state, pincode = (clean(address.get(k)) for k in ("city", "state", "pincode"))
    place = ", ".join(p for p in (city, state) if p)
    if pincode:
        place = f"{place} - {pincode}" if place else pincode
    lines.append(place)
    return [line for line in lines if line]
