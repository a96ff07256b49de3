"""Every write of the party app, one module per sub-domain: the organization tree (``orgs``),
the two-new organizations register and demonstration points (``organizations``), the service
centers with activities, sign-up and check-in (``centers``)."""

from .orgs import party_org_create, party_org_update

__all__ = ["party_org_create", "party_org_update"]
