"""Brands and their photos: the editors' writes within their scope."""

import uuid

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from jiceng.core.audit import audit_record, changes_between
from jiceng.core.clean import clean_text
from jiceng.core.errors import PermissionDenied, ValidationFailed
from jiceng.core.images import check_image, read_upload
from jiceng.core.models import Area, AreaKind

from ..models import Brand, BrandPhoto, Campaign, Focus
from ..permissions import can

MAX_PHOTOS_PER_BRAND = 12
# Pillow's name of the format -> (extension, content type). Nothing else is accepted.


def _brand_values(*, name: str, focus: str, description: str) -> dict:
    name = clean_text(name, field="name", label="品牌名称", max_length=60)
    if focus not in Focus.values:
        raise ValidationFailed("请选择品牌方向：网格治理、物业建设或协商议事。", field="focus")
    description = clean_text(
        description, field="description", label="品牌简介", max_length=2000, required=False
    )
    return {"name": name, "focus": focus, "description": description}


def brand_create(
    *, by, campaign: Campaign, area: Area, name: str, focus: str, description: str = ""
) -> Brand:
    """The community's brand in the campaign (one per community and campaign)."""
    if area.kind != AreaKind.COMMUNITY:
        raise ValidationFailed("只有社区可以申报党建品牌。", field="area")
    if not can(by, "create_brand_in", area):
        raise PermissionDenied("您无权为该社区申报品牌。")
    values = _brand_values(name=name, focus=focus, description=description)
    try:
        with transaction.atomic():
            locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
            if not locked.accepts_entries:
                raise ValidationFailed("行动已结束，不再接受品牌申报。", field="area")
            if Brand.objects.filter(campaign=locked, area=area).exists():
                raise ValidationFailed(f"{area.name}在本次行动中已有品牌。", field="area")
            brand = Brand.objects.create(campaign=locked, area=area, **values)
            audit_record(
                actor=by,
                action="brands.brand_create",
                obj=brand,
                changes=changes_between({}, {"campaign": locked.pk, "area": area.code, **values}),
            )
    except IntegrityError:
        raise ValidationFailed(f"{area.name}在本次行动中已有品牌。", field="area") from None
    return brand


def brand_update(*, by, brand: Brand, name: str, focus: str, description: str) -> Brand:
    """Edit the brand's showcase (name, focus, description). Allowed in every status: the
    brand outlives its campaign; its scores are the panel's alone."""
    if not can(by, "edit_brand", brand):
        raise PermissionDenied("您无权修改该品牌。")
    values = _brand_values(name=name, focus=focus, description=description)
    with transaction.atomic():
        locked = Brand.objects.select_for_update().get(pk=brand.pk)
        before = {"name": locked.name, "focus": locked.focus, "description": locked.description}
        for key, value in values.items():
            setattr(locked, key, value)
        locked.save(update_fields=[*values, "updated_at"])
        audit_record(
            actor=by,
            action="brands.brand_update",
            obj=locked,
            changes=changes_between(before, values),
        )
    return locked


def checked_image(upload) -> tuple[bytes, str, str]:
    """The upload's bytes, extension and content type when its content is a photo."""
    image = check_image(read_upload(upload), field="image", label="图片")
    return image.data, image.ext, image.content_type


def brand_photo_add(*, by, brand: Brand, upload, caption: str = "") -> BrandPhoto:
    if not can(by, "edit_brand", brand):
        raise PermissionDenied("您无权为该品牌上传图片。")
    caption = clean_text(caption, field="caption", label="图片说明", max_length=100, required=False)
    data, ext, content_type = checked_image(upload)
    with transaction.atomic():
        locked = Brand.objects.select_for_update().select_related("campaign").get(pk=brand.pk)
        if locked.photos.count() >= MAX_PHOTOS_PER_BRAND:
            raise ValidationFailed(
                f"每个品牌最多上传 {MAX_PHOTOS_PER_BRAND} 张图片。", field="image"
            )
        photo = BrandPhoto(brand=locked, caption=caption, content_type=content_type, size=len(data))
        photo.image.save(f"{uuid.uuid4().hex}.{ext}", ContentFile(data), save=False)
        try:
            photo.save()
            audit_record(
                actor=by,
                action="brands.photo_add",
                obj=photo,
                changes=changes_between(
                    {},
                    {
                        "brand": locked.pk,
                        "file": photo.image.name,
                        "size": len(data),
                        "caption": caption,
                    },
                ),
            )
        except Exception:
            # A refused write must not leave the file behind.
            photo.image.storage.delete(photo.image.name)
            raise
    return photo


def brand_photo_remove(*, by, photo: BrandPhoto) -> None:
    if not can(by, "edit_photo", photo):
        raise PermissionDenied("您无权删除该图片。")
    name, storage = photo.image.name, photo.image.storage
    with transaction.atomic():
        Brand.objects.select_for_update().get(pk=photo.brand_id)
        audit_record(
            actor=by,
            action="brands.photo_remove",
            obj=photo,
            changes=changes_between({"file": name, "caption": photo.caption}, {}),
        )
        BrandPhoto.objects.filter(pk=photo.pk).delete()
        transaction.on_commit(lambda: storage.delete(name))
