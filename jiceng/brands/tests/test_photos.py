"""Photos are checked by their content (not their name) and size, stored under MEDIA_ROOT
and served only within scope."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from jiceng.brands import services
from jiceng.brands.models import BrandPhoto
from jiceng.brands.tests.factories import BrandFactory
from jiceng.core.errors import PermissionDenied, ValidationFailed
from jiceng.core.models import AuditEvent
from jiceng.core.roles import Role


def image_bytes(fmt: str = "PNG", size=(64, 48), noise: bool = False) -> bytes:
    if noise:
        img = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        img = Image.new("RGB", size, (179, 20, 28))
    out = io.BytesIO()
    img.save(out, fmt)
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def brand(world):
    return BrandFactory(area=world.community_a1)


@pytest.fixture
def brand_b(world):
    return BrandFactory(area=world.community_b1, name="春元里测试品牌")


def test_a_real_image_is_stored_under_media_root_named_by_its_content(world, brand, media_root):
    photo = services.brand_photo_add(
        by=world.users[Role.COMMUNITY_STAFF],
        brand=brand,
        upload=upload("活动.jpg", image_bytes("PNG")),  # a PNG named .jpg
        caption="红心管家入户走访",
    )
    assert photo.content_type == "image/png"
    assert photo.image.name.startswith("brands/photos/2024/") and photo.image.name.endswith(".png")
    assert (media_root / photo.image.name).is_file()
    assert AuditEvent.objects.filter(action="brands.photo_add", object_id=str(photo.pk)).exists()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("照片.jpg", "这是一个文本文件，不是图片。\n".encode() * 20),
        ("照片.png", image_bytes("PNG", noise=True)[:2000]),  # truncated
        ("动图.gif", image_bytes("GIF")),  # an image, but not a photo format we keep
        ("空.jpg", b""),
    ],
)
def test_what_is_not_a_jpeg_png_or_webp_photo_is_refused(world, brand, media_root, name, data):
    with pytest.raises(ValidationFailed):
        services.brand_photo_add(
            by=world.users[Role.COMMUNITY_STAFF], brand=brand, upload=upload(name, data)
        )
    assert not BrandPhoto.objects.exists()
    assert not media_root.exists() or not any(media_root.rglob("*.*"))


def test_an_image_over_5_mb_is_refused(world, brand, media_root):
    data = image_bytes("PNG", size=(1400, 1400), noise=True)
    assert len(data) > 5 * 1024 * 1024
    Image.open(io.BytesIO(data)).verify()  # a valid image: refused for its size alone
    with pytest.raises(ValidationFailed, match="5 MB"):
        services.brand_photo_add(
            by=world.users[Role.COMMUNITY_STAFF], brand=brand, upload=upload("大图.png", data)
        )
    assert not BrandPhoto.objects.exists()


def test_upload_page_refuses_a_renamed_text_file_and_keeps_nothing(client, world, brand):
    client.force_login(world.users[Role.COMMUNITY_STAFF])
    response = client.post(
        reverse("brands:photo_add", args=[brand.pk]),
        {"image": upload("假图片.jpg", b"plain text, not an image"), "caption": "x"},
        follow=True,
    )
    assert "文件内容不是有效的图片" in response.content.decode()
    assert not BrandPhoto.objects.exists()


def test_out_of_scope_uploads_are_refused(world, brand_b):
    with pytest.raises(PermissionDenied):
        services.brand_photo_add(
            by=world.users[Role.STREET_STAFF], brand=brand_b, upload=upload("a.png", image_bytes())
        )
    assert not BrandPhoto.objects.exists()


def test_photo_is_served_in_scope_and_404_outside(client, world, brand, brand_b):
    admin = world.users[Role.DISTRICT_ADMIN]
    data = image_bytes("JPEG")
    photo_a = services.brand_photo_add(by=admin, brand=brand, upload=upload("a.jpg", data))
    photo_b = services.brand_photo_add(by=admin, brand=brand_b, upload=upload("b.jpg", data))

    client.force_login(world.users[Role.GRID_STEWARD])  # sees the brand of their community
    response = client.get(reverse("brands:photo", args=[photo_a.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == data
    assert client.get(reverse("brands:photo", args=[photo_b.pk])).status_code == 404


def test_photo_removal_deletes_row_and_file_within_scope_only(
    client, world, brand, brand_b, media_root, django_capture_on_commit_callbacks
):
    admin = world.users[Role.DISTRICT_ADMIN]
    photo_a = services.brand_photo_add(by=admin, brand=brand, upload=upload("a.png", image_bytes()))
    photo_b = services.brand_photo_add(
        by=admin, brand=brand_b, upload=upload("b.png", image_bytes())
    )

    client.force_login(world.users[Role.STREET_STAFF])
    assert client.post(reverse("brands:photo_remove", args=[photo_b.pk])).status_code == 404
    client.force_login(world.users[Role.GRID_STEWARD])
    assert client.post(reverse("brands:photo_remove", args=[photo_a.pk])).status_code == 403
    assert BrandPhoto.objects.count() == 2

    client.force_login(world.users[Role.COMMUNITY_STAFF])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("brands:photo_remove", args=[photo_a.pk]))
    assert response.status_code == 302
    assert list(BrandPhoto.objects.all()) == [photo_b]
    assert not (media_root / photo_a.image.name).exists()
    assert (media_root / photo_b.image.name).exists()
