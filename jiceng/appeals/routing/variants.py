"""Addresses as residents would type them, generated from the area tree, each with the grid
it must route to: the accuracy check of the tests and of ``bench/routing.py``.

A variant names a building or a compound (by its name, an alias, its street address with
or without 号 and 院, or the name without 小区), spells numbers in Chinese or full-width
digits, writes 栋/幢/座/# for 号楼, adds a unit and a room, prefixes the city, district,
street or community (or its 居委会), scatters spaces and punctuation, and now and then
sits inside a sentence.
"""

import random
import re
from dataclasses import dataclass

from jiceng.core.models import Area, AreaAlias, AreaKind

CN = "零一二三四五六七八九"
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_NUMBER = re.compile(r"\d+")
# An address inside what a resident writes.
SAYINGS = (
    "我家住在{}，下水道堵了好几天",
    "{}门口的路灯不亮",
    "反映一下{}附近垃圾没人清运",
    "地址：{}。",
    "{}，电话联系",
)


@dataclass(frozen=True)
class Variant:
    address: str
    grid_code: str


def chinese(n: int) -> str:
    """十二 for 12, 一百零五 for 105: how a resident spells a house number out."""
    if n < 10:
        return CN[n]
    if n < 20:
        return "十" + (CN[n % 10] if n % 10 else "")
    if n < 100:
        return CN[n // 10] + "十" + (CN[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        head = CN[n // 100] + "百"
        if rest == 0:
            return head
        if rest < 10:
            return head + "零" + CN[rest]
        return head + (CN[rest // 10] + "十" + (CN[rest % 10] if rest % 10 else ""))
    return str(n)


def _numbers(rng: random.Random, text: str) -> str:
    """Spell the numbers of ``text`` as they are, in Chinese, or in full-width digits."""
    style = rng.choice(("ascii", "chinese", "full"))
    if style == "chinese":
        return _NUMBER.sub(lambda m: chinese(int(m.group(0))), text)
    if style == "full":
        return text.translate(FULL_WIDTH)
    return text


def _noise(rng: random.Random, text: str) -> str:
    if rng.random() < 0.5:
        return text
    chars = list(text)
    for _ in range(rng.randint(1, 3)):
        chars.insert(rng.randint(0, len(chars)), rng.choice((" ", "，", ",", "、", "  ", "（")))
    return "".join(chars)


class VariantMaker:
    """Loads the names once; ``make(n)`` draws ``n`` variants from a seeded generator."""

    def __init__(self, seed: str = "routing-variants"):
        self.seed = seed
        upper = Area.objects.filter(
            kind__in=[AreaKind.STREET, AreaKind.COMMUNITY, AreaKind.VILLAGE]
        ).values_list("code", "name")
        self.names = dict(upper)
        self.compounds = list(
            Area.objects.filter(kind=AreaKind.COMPOUND)
            .order_by("code")
            .values_list("code", "name", "address")
        )
        self.aliases: dict[str, list[str]] = {}
        for code, alias in AreaAlias.objects.filter(area__kind=AreaKind.COMPOUND).values_list(
            "area__code", "alias"
        ):
            self.aliases.setdefault(code, []).append(alias)
        self.buildings: dict[str, list[str]] = {}
        for code, name in (
            Area.objects.filter(kind=AreaKind.BUILDING).order_by("code").values_list("code", "name")
        ):
            self.buildings.setdefault(code[:-3], []).append(name)

    def _compound_names(self, code: str, name: str, address: str) -> list[str]:
        unit = self.names.get(code[:12], "")
        if unit.endswith("村"):
            return [unit + name]  # 王家窝坡村九组: a group is named with its village
        names = [name, *self.aliases.get(code, [])]
        street_address = address.removeprefix("市中区")
        if re.search(r"\d+号$", street_address):
            names += [street_address, street_address + "院", street_address[:-1]]
        if "小区" in name and len(name.replace("小区", "", 1)) >= 2:
            names.append(name.replace("小区", "", 1))
        return names

    def _building(self, rng: random.Random, name: str) -> str:
        number = name.removesuffix("号楼")
        text = number + rng.choice(("号楼", "栋", "幢", "#", "座", "号栋"))
        if rng.random() < 0.5:
            unit = rng.randint(1, 6)
            room = rng.randint(1, 18) * 100 + rng.randint(1, 4)
            text += rng.choice(
                (
                    f"{unit}单元{room}室",
                    f"{unit}单元{room}",
                    f"第{unit}单元{room}户",
                )
            )
        return text

    def _prefix(self, rng: random.Random, code: str) -> str:
        parts = []
        if rng.random() < 0.3:
            parts.append(rng.choice(("济南市", "济南", "山东省济南市")))
        if rng.random() < 0.4:
            parts.append("市中区")
        if rng.random() < 0.3:
            parts.append(self.names.get(code[:9], ""))
        unit = self.names.get(code[:12], "")
        if rng.random() < 0.3 and unit.endswith("社区"):
            parts.append(rng.choice((unit, unit[:-2] + "居委会", unit + "居委会")))
        return "".join(parts)

    def make(self, n: int) -> list[Variant]:
        rng = random.Random(self.seed)
        variants = []
        for _ in range(n):
            code, name, address = rng.choice(self.compounds)
            text = rng.choice(self._compound_names(code, name, address))
            buildings = self.buildings.get(code)
            if buildings and rng.random() < 0.7:
                if text[-1].isdigit():  # 纬二路244: a house number needs a gap or its 号
                    text += rng.choice((" ", "，", "号"))
                text += self._building(rng, rng.choice(buildings))
            text = _noise(rng, _numbers(rng, self._prefix(rng, code) + text))
            if rng.random() < 0.2:
                text = rng.choice(SAYINGS).format(text)
            variants.append(Variant(text, code[:15]))
        return variants
