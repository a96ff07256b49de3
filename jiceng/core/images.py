"""Uploaded photos are checked by their content, never by their name: a JPEG, PNG or WebP
that Pillow decodes completely, within a size and pixel limit (DESIGN §6)."""

import io
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from .errors import ValidationFailed

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
# Pillow's format name -> (content type, file extension)
FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}


@dataclass(frozen=True)
class CheckedImage:
    data: bytes
    content_type: str
    ext: str
    width: int
    height: int


def read_upload(upload, *, max_bytes: int = MAX_BYTES) -> bytes:
    """At most ``max_bytes + 1`` bytes of an upload (or the bytes themselves), so that an
    oversized file is detected without reading all of it."""
    if isinstance(upload, bytes):
        return upload
    if hasattr(upload, "seek"):
        upload.seek(0)
    return upload.read(max_bytes + 1)


def check_image(
    data: bytes, *, field: str = "photo", label: str = "照片", max_bytes: int = MAX_BYTES
) -> CheckedImage:
    """The image's facts, or ``ValidationFailed`` with a Chinese reason naming ``label``."""
    if not data:
        raise ValidationFailed(f"请选择{label}。", field=field)
    if len(data) > max_bytes:
        raise ValidationFailed(f"{label}不能超过 {max_bytes // 2**20} MB。", field=field)
    try:
        with Image.open(io.BytesIO(data)) as image:
            fmt = image.format or ""
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationFailed(f"{label}像素过大，请压缩后再上传。", field=field)
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()  # verify() skips the pixel data; a truncated file fails here
    except ValidationFailed:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        raise ValidationFailed(
            f"{label}文件内容不是有效的图片，请上传 JPG、PNG 或 WebP 格式的照片。", field=field
        ) from None
    if fmt not in FORMATS:
        raise ValidationFailed(f"{label}仅支持 JPG、PNG 或 WebP 格式。", field=field)
    content_type, ext = FORMATS[fmt]
    return CheckedImage(data, content_type, ext, width, height)
