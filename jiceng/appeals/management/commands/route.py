"""``manage.py route "ADDRESS" [--lng X --lat Y] [--json]``: which grid an address goes to.

Without ADDRESS it reads one address per line from stdin and writes one line per address
(with --lng/--lat and no ADDRESS it routes the location alone).
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from jiceng.appeals.routing import RouteResult, route

METHOD_LABELS = {
    "building": "楼栋",
    "compound": "小区",
    "alias": "别名",
    "point": "位置",
    "community": "属地兜底",
    "street": "街道",
    "none": "未匹配",
}


def as_dict(result: RouteResult) -> dict:
    return {
        "grid_code": result.grid.code if result.grid else None,
        "grid_name": result.grid.name if result.grid else None,
        "steward": result.steward.name if result.steward else None,
        "method": result.method,
        "confidence": result.confidence,
    }


def as_text(address: str, result: RouteResult) -> str:
    place = f"{result.area.name}（{result.area.code}）" if result.area else "—"
    steward = result.steward.name if result.steward else "—"
    method = METHOD_LABELS[result.method]
    return f"{address}\t{place}\t管家：{steward}\t{method} {result.confidence:.2f}"


class Command(BaseCommand):
    help = "按地址（及经纬度）匹配诉求所属网格；不给地址时从标准输入逐行读取。"
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("address", nargs="?", help="地址；省略时从标准输入每行读一个")
        parser.add_argument("--lng", type=float, help="经度（WGS-84）")
        parser.add_argument("--lat", type=float, help="纬度（WGS-84）")
        parser.add_argument("--json", action="store_true", help="每个地址输出一行 JSON")

    def handle(self, *args, **options):
        lng, lat = options["lng"], options["lat"]
        if (lng is None) != (lat is None):
            raise CommandError("--lng 和 --lat 需同时给出。")
        if options["address"] is not None:
            addresses = [options["address"]]
        elif lng is not None:
            addresses = [""]  # a location alone
        else:
            stdin = options.get("stdin") or sys.stdin
            addresses = (line.rstrip("\r\n") for line in stdin)
        for address in addresses:
            result = route(address=address, lng=lng, lat=lat)
            if options["json"]:
                line = json.dumps(as_dict(result), ensure_ascii=False)
            else:
                line = as_text(address, result)
            self.stdout.write(line)
