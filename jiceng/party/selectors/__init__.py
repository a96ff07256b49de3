"""Every read of the party app, one module per sub-domain (see ``services``). The organization
tree's selectors are the ones other apps use, so they are offered here too."""

from .orgs import (
    party_org_get_for,
    party_org_list_visible_to,
    party_org_tree_visible_to,
    party_org_visible_ids,
)

__all__ = [
    "party_org_get_for",
    "party_org_list_visible_to",
    "party_org_tree_visible_to",
    "party_org_visible_ids",
]
