"""Deterministic Chinese personal names for the demo district.

Surnames are weighted roughly by their frequency in Shandong; given names follow the
fashions of the decade of birth, so a secretary born in 1968 is 王建国 or 刘秀英 and a grid
steward born in 1996 is 张子轩 or 李欣怡. Every function takes the caller's
``random.Random`` and draws nothing else, so a seed fixes every name.
"""

import random
from itertools import accumulate

# Surname and weight per mille, Shandong-leaning frequencies.
_SURNAME_TABLE = """
    王 89  张 78  李 76  刘 62  孙 32  赵 30  杨 28  陈 24  高 24  马 20  徐 18  于 18  郭 15
    朱 14  宋 14  董 12  韩 12  周 12  胡 10  吕 10  田 10  崔 10  姜 10  曹 9  魏 9  任 8
    杜 8  丁 8  许 8  郑 8  贾 7  梁 7  孔 6  袁 6  侯 6  冯 6  孟 6  秦 5  邢 5  郝 5  薛 5
    程 5  林 5  范 5  石 5  苏 5  闫 5  房 4  谢 4  牛 4  卢 4  鲁 4  尹 4  蒋 4  邵 4  武 4
    潘 3  葛 3  颜 3  曲 3  岳 3  庞 3  纪 3  毛 3  安 3  焦 3  路 3  白 3  彭 3  常 3  乔 3
    隋 2  宁 2  司 2  亓 2  商 2  殷 2  滕 2  展 1  欧阳 1
""".split()
_SURNAME_CHOICES = tuple(_SURNAME_TABLE[::2])
_SURNAME_CUM = tuple(accumulate(int(w) for w in _SURNAME_TABLE[1::2]))

# Given names by era of birth: (first characters, second characters, single names).
_MALE = {
    "old": (
        "建国志永德玉立文长庆学宝振明洪树家春",
        "华国民军平强林生明东祥刚成勇江海福山忠亮",
        "伟军强勇刚平明林华斌",
    ),
    "mid": (
        "海建志晓卫红立国文永新光宏俊利庆兆洪",
        "军伟明东峰斌涛刚强波辉勇鹏杰亮磊华平",
        "伟军强磊勇杰涛斌超刚鹏辉峰波凯亮健坤",
    ),
    "young": (
        "浩子宇晓文明俊家天嘉志鹏凯博一思云泽皓晨",
        "然轩宇杰涛鹏博飞阳豪辰航凯睿龙超磊铭昊哲",
        "浩帅鑫昊宁健凯磊鹏超杰宇航",
    ),
}
_FEMALE = {
    "old": (
        "秀桂玉淑凤春素翠爱美丽红兰",
        "英兰珍芳荣梅华霞琴云萍娥芬香",
        "英兰梅霞萍芳华红",
    ),
    "mid": (
        "丽晓海红秀燕玉美静文春彩翠",
        "娟燕红霞丽艳萍芳玲敏静梅华莉青",
        "丽静敏燕艳娟霞芳红玲萍颖莉",
    ),
    "young": (
        "欣雨思佳晓梦雪子诗文婷静家一紫心舒嘉",
        "怡婷琪悦涵瑶雪颖妍然萱宁璐月晴洁丹彤",
        "婷雪琳洁慧倩璐蕾楠颖静",
    ),
}
# Share of one-character given names, which peaked among people born in the 1970s-80s.
_SINGLE_SHARE = {"old": 0.15, "mid": 0.3, "young": 0.15}


def _era(birth_year: int) -> str:
    if birth_year < 1970:
        return "old"
    if birth_year < 1985:
        return "mid"
    return "young"


def surname(rng: random.Random) -> str:
    return rng.choices(_SURNAME_CHOICES, cum_weights=_SURNAME_CUM)[0]


def given_name(rng: random.Random, *, male: bool, birth_year: int) -> str:
    era = _era(birth_year)
    firsts, seconds, singles = (_MALE if male else _FEMALE)[era]
    if rng.random() < _SINGLE_SHARE[era]:
        return rng.choice(singles)
    first = rng.choice(firsts)
    second = rng.choice(seconds)
    # Doubled characters (婷婷, 莉莉) are a girl's name; for a man draw again.
    while male and second == first:
        second = rng.choice(seconds)
    return first + second


def person_name(rng: random.Random, *, male: bool, birth_year: int) -> str:
    return surname(rng) + given_name(rng, male=male, birth_year=birth_year)
