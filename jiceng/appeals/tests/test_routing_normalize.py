"""Address normalisation: every spelling residents use comes out in one canonical form."""

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from jiceng.core.addresses import chinese_to_int, normalize_address


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # full-width and half-width
        ("春元里小区３号楼", "春元里小区3号楼"),
        ("ＡＢＣ１２３", "ABC123"),
        ("a座", "A号楼"),
        # Chinese numerals before a counting word, Arabic digits kept
        ("纬二路十二号院", "纬二路12号院"),
        ("纬二路12号院", "纬二路12号院"),
        ("英雄山路一百二十号", "英雄山路120号"),
        ("英雄山路二百零六号", "英雄山路206号"),
        ("二〇一室", "201室"),
        ("两单元", "2单元"),
        ("第三单元", "3单元"),
        ("第二十一网格", "21网格"),
        ("盛世新城六区", "盛世新城6区"),
        ("七一小区一期", "七一小区1期"),
        ("七一一期", "七一1期"),
        ("泉城壹号院", "泉城1号院"),
        # numerals that are part of a name stay
        ("纬十二路", "纬十二路"),
        ("十六里河街道", "十六里河街道"),
        ("二七新村南路", "二七新村南路"),
        ("铁路第一社区", "铁路第一社区"),
        # building markers
        ("3栋", "3号楼"),
        ("3幢", "3号楼"),
        ("3座", "3号楼"),
        ("3号栋", "3号楼"),
        ("3#", "3号楼"),
        ("3#楼", "3号楼"),
        ("三号楼", "3号楼"),
        ("三栋", "3号楼"),
        # unit and room
        ("2单元301", "2单元301室"),
        ("2单元301室", "2单元301室"),
        ("2单元301户", "2单元301室"),
        ("第二单元三〇一", "2单元301室"),
        ("3-2-301", "3号楼2单元301室"),
        ("3－2－301", "3号楼2单元301室"),
        ("12-301", "12号楼301室"),
        ("12-3", "12号楼3单元"),
        # a house number without its 号
        ("纬二路244", "纬二路244号"),
        ("纬二路244院", "纬二路244号院"),
        ("纬二路244栋", "纬二路244号楼"),
        ("纬二路12-3-301", "纬二路12号楼3单元301室"),
        ("纬二路244，3号楼", "纬二路244号3号楼"),
        ("梁庄大街二百二十九", "梁庄大街229号"),
        ("经七路一中宿舍", "经七路一中宿舍"),
        ("六里山路2,38号院", "六里山路238号院"),
        ("纬二路244 3-2-301", "纬二路244号3号楼2单元301室"),
        # city and district prefixes
        ("山东省济南市市中区春元里小区", "春元里小区"),
        ("济南市中区春元里小区", "春元里小区"),
        ("济南春元里小区", "春元里小区"),
        ("市中区春元里小区", "春元里小区"),
        ("济南市市中医院宿舍", "市中医院宿舍"),
        # administrative suffixes in one spelling
        ("春元里社区居民委员会", "春元里社区"),
        ("春元里社区居委会", "春元里社区"),
        ("春元里居委会", "春元里社区"),
        ("杆石桥街道办事处", "杆石桥街道"),
        ("杆石桥办事处", "杆石桥街道"),
        ("土屋村村委会", "土屋村"),
        ("土屋村民委员会", "土屋村"),
        # stray spaces and punctuation
        ("  春元里 小区，3 号楼（2单元） ", "春元里小区3号楼2单元"),
        ("春元里、小区\t3号楼。", "春元里小区3号楼"),
        ("八十四，号院", "84号院"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_normalize_address(text, expected):
    assert normalize_address(text) == expected


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一", 1),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("二十一", 21),
        ("一百零五", 105),
        ("二〇一", 201),
        ("两", 2),
        ("一千零一", 1001),
    ],
)
def test_chinese_to_int(text, value):
    assert chinese_to_int(text) == value


def test_normalizing_twice_changes_nothing():
    once = normalize_address("济南市市中区春元里小区三栋二单元301")
    assert normalize_address(once) == once == "春元里小区3号楼2单元301室"


@example("第0第0区")
@settings(max_examples=500, deadline=None, database=None)
@given(
    st.text(
        alphabet="一二三十百零〇两号楼栋幢座单元室户区期组第-#路街院济南市中社居委办处村 029A，",
        max_size=20,
    )
)
def test_normalized_text_is_a_fixed_point(text):
    once = normalize_address(text)
    assert normalize_address(once) == once
