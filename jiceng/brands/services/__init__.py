"""Every write of the brands app. Each service checks ``can``, validates, writes in a
transaction with the changed rows locked, and leaves an audit row; a refused call raises
``ApplicationError`` and changes nothing."""

from .brands import (
    MAX_PHOTOS_PER_BRAND,
    brand_create,
    brand_photo_add,
    brand_photo_remove,
    brand_update,
    checked_image,
)
from .campaigns import (
    DEFAULT_CRITERIA,
    DEFAULT_LEADING,
    DEFAULT_PIONEERING,
    campaign_create,
    campaign_set_status,
    campaign_update,
    criterion_add,
    criterion_remove,
    panel_member_add,
    panel_member_remove,
)
from .evaluation import evaluation_submit

__all__ = [
    "DEFAULT_CRITERIA",
    "DEFAULT_LEADING",
    "DEFAULT_PIONEERING",
    "MAX_PHOTOS_PER_BRAND",
    "brand_create",
    "brand_photo_add",
    "brand_photo_remove",
    "brand_update",
    "campaign_create",
    "campaign_set_status",
    "campaign_update",
    "checked_image",
    "criterion_add",
    "criterion_remove",
    "evaluation_submit",
    "panel_member_add",
    "panel_member_remove",
]
