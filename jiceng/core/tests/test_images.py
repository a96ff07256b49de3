import io

import pytest
from PIL import Image

from jiceng.core.errors import ValidationFailed
from jiceng.core.images import check_image


def _image(fmt: str, size=(8, 6)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "red").save(out, format=fmt)
    return out.getvalue()


def test_a_png_is_accepted_with_its_facts():
    checked = check_image(_image("PNG"))
    assert (checked.content_type, checked.ext, checked.width, checked.height) == (
        "image/png",
        "png",
        8,
        6,
    )


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "请选择"),
        (b"just text named photo.jpg", "不是有效的图片"),
        (_image("PNG")[:40], "不是有效的图片"),  # truncated
        (_image("GIF"), "仅支持"),
        (b"\0" * (5 * 1024 * 1024 + 1), "5 MB"),
    ],
)
def test_bad_uploads_are_refused_with_a_chinese_reason(data, reason):
    with pytest.raises(ValidationFailed, match=reason) as err:
        check_image(data, label="照片")
    assert err.value.message.startswith(("照片", "请选择"))
