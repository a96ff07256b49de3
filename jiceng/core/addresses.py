"""Address text as residents type it → one canonical form, so that index keys and queries
compare equal. Pure Python, no Django: the demo loader and the index both call it.

The canonical form: half-width, upper-case Latin letters, Arabic numerals before counting
words (十二号院 → 12号院, 二〇一室 → 201室, 第三单元 → 3单元), every building marker as 号楼
(3栋, 3幢, 3座, 3#, 3号栋 → 3号楼), rooms as 室, ``3-2-301`` as 3号楼2单元301室, the fixed
province/city/district prefix removed, administrative suffixes in one spelling
(居委会 → 社区, 办事处 → 街道, 村委会 → 村), no spaces or punctuation.
"""

import re
import unicodedata

# Prefixes every address of the deployment may carry; they say nothing about the grid.
# Longest first: 济南市中区 is 济南 + 市中区, not 济南市 + 中区.
ADMIN_PREFIXES = ("山东省", "山东", "济南市中区", "济南市", "济南", "市中区")

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "贰": 2,
    "两": 2,
    "三": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
_CN_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_CHARS = "".join(_CN_DIGITS) + "".join(_CN_UNITS)

# A Chinese numeral counts something (and becomes digits) only before one of these words;
# elsewhere it is part of a name (十六里河, 纬二路, 七一小区, 二七新村) and stays.
_COUNTED = "号|楼|栋|幢|座|单元|室|户|层|区|期|组|网格|排|门|#"
_CN_NUMBER = re.compile(rf"([{_CN_CHARS}]+)(?=({_COUNTED}))")
# Words that count small things: 七一一期 is 七一 + 1期, not 711期.
_SMALL = frozenset({"区", "期", "组", "单元", "网格", "排", "门", "栋", "幢", "座"})
_ZEROS = frozenset("零〇")
# A house number spelt out after its road without 号 (梁庄大街二百二十九); one bare digit
# is left alone, it may start a name (经七路一中).
_CN_HOUSE_NUMBER = re.compile(
    rf"([路街巷])([{_CN_CHARS}]*[十百千拾佰仟〇零][{_CN_CHARS}]*|[{_CN_CHARS}]{{2,}})"
)
# A room number spelt out after the unit, without 室: 二单元三〇一.
_ROOM_AFTER_UNIT = re.compile(rf"(单元)([{_CN_CHARS}]{{3,5}})")
_ORDINAL = re.compile(rf"第+(\d+)(?={_COUNTED})")
_ADMIN = re.compile(
    r"(?:社区居民委员会|社区居委会|居民委员会|居委会)"
    r"|(?:街道办事处|街道办|办事处)"
    r"|(?:村{1,2}民委员会|村{1,2}委会)"
)
_ADMIN_REPLACEMENT = {"社": "社区", "居": "社区", "街": "街道", "办": "街道", "村": "村"}
_DASHED = re.compile(r"(\d+)[-—–~_](\d+)(?:[-—–~_](\d+))?")
_HASH = re.compile(r"(\d+|[A-Z])#(?:楼|栋)?")
_BUILDING = re.compile(r"(\d+|[A-Z])(?:号楼|号栋|号幢|号座|栋楼|栋|幢|座)")
# A house number typed without its 号 (纬二路244 → 纬二路244号), unless a building or room
# marker follows.
_HOUSE_NUMBER = re.compile(r"([路街巷]\d+)(?![\d号楼栋幢座单室户#A-Z])")
_ROOM = re.compile(r"(\d+)(?:室|户|号房)")
_UNIT_ROOM = re.compile(r"(\d+单元)(\d{3,4})(?!\d|室)")
_NOISE = re.compile(r"[^0-9A-Z\u3007\u3400-\u9fff#~_\-—–]+")
# 纬二路244，3号楼: a gap between a house number and a building number ends the house
# number (a gap inside one number, 2,38号院, is a slip and closes up).
_GAP = r"[^0-9A-Z\u3007\u3400-\u9fff#~_\-—–]"
_NUMBER_GAP = re.compile(
    rf"([路街巷][\d{_CN_CHARS}]+){_GAP}+"
    rf"(?=[\d{_CN_CHARS}]+{_GAP}*(?:号?楼|号?栋|幢|座|#|-))"
)
_MARKS = re.compile(r"[#~_\-—–]+")
_PREFIX = re.compile("^(?:" + "|".join(ADMIN_PREFIXES) + ")+")
_PREFIX_STARTS = tuple({p[:2] for p in ADMIN_PREFIXES})
_CN_SET = frozenset(_CN_CHARS)
_MARK_SET = frozenset("#~_-—–")
_ADMIN_SET = frozenset("会处办")
_BUILDING_SET = frozenset("栋幢座")
_ROAD_SET = frozenset("路街巷")


def chinese_to_int(text: str) -> int:
    """12 for 十二, 201 for 二〇一 or 二百零一, 2 for 两.

    Digit-by-digit when there is no 十/百/千 (二〇一), positional otherwise.
    """
    if not any(c in _CN_UNITS for c in text):
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    total, digit = 0, 0
    for c in text:
        if c in _CN_UNITS:
            total += (digit or 1) * _CN_UNITS[c]
            digit = 0
        else:
            digit = _CN_DIGITS[c]
    return total + digit


def _numeral(match: re.Match) -> str:
    run, word = match.group(1), match.group(2)
    digit_by_digit = not any(c in _CN_UNITS or c in _ZEROS for c in run)
    if len(run) > 1 and digit_by_digit and word in _SMALL:
        return run[:-1] + str(_CN_DIGITS[run[-1]])
    return str(chinese_to_int(run))


def _spelt_number(match: re.Match) -> str:
    """The word before the number, then the number in digits."""
    return match.group(1) + str(chinese_to_int(match.group(2)))


def _admin(match: re.Match) -> str:
    return _ADMIN_REPLACEMENT[match.group(0)[0]]


def _dashed(match: re.Match) -> str:
    first, second, third = match.groups()
    if third is not None:
        return f"{first}号楼{second}单元{third}室"
    if len(second) >= 3:
        return f"{first}号楼{second}室"
    return f"{first}号楼{second}单元"


def _digits(s: str) -> str:
    """Chinese numerals that count something, in Arabic digits."""
    s = _CN_NUMBER.sub(_numeral, s)
    if "单元" in s:
        s = _ROOM_AFTER_UNIT.sub(_spelt_number, s)
    if not _ROAD_SET.isdisjoint(s):
        s = _CN_HOUSE_NUMBER.sub(_spelt_number, s)
    return s


def normalize_address(text: str) -> str:
    """The canonical form of an address (see the module docstring); "" for blank input."""
    if not text:
        return ""
    s = unicodedata.normalize("NFKC", text).upper()
    if not s.isalnum():  # CJK characters and digits are alphanumeric; punctuation is not
        if not _ROAD_SET.isdisjoint(s):
            s = _NUMBER_GAP.sub(r"\1号", s)
        s = _NOISE.sub("", s)
    # Each rewrite runs only when its trigger is present: most addresses need few of them.
    if not _CN_SET.isdisjoint(s):
        s = _digits(s)
    if "#" in s:
        s = _HASH.sub(r"\1号楼", s)
    if not _MARK_SET.isdisjoint(s):
        s = _MARKS.sub("", _DASHED.sub(_dashed, s))
        if not _CN_SET.isdisjoint(s):  # 一-幢: the numeral now stands before its word
            s = _digits(s)
    while "第" in s:  # dropping one 第 may put another before its number: 第0第0区
        s, dropped = _ORDINAL.subn(r"\1", s)
        if not dropped:
            break
    if s.startswith(_PREFIX_STARTS):
        s = _PREFIX.sub("", s)
    if not _ADMIN_SET.isdisjoint(s):
        s = _ADMIN.sub(_admin, s)
    if not _ROAD_SET.isdisjoint(s):
        s = _HOUSE_NUMBER.sub(r"\1号", s)
    if not _BUILDING_SET.isdisjoint(s):
        s = _BUILDING.sub(r"\1号楼", s)
    if "室" in s or "户" in s or "房" in s:
        s = _ROOM.sub(r"\1室", s)
    if "单元" in s:
        s = _UNIT_ROOM.sub(r"\1\2室", s)
    return s
