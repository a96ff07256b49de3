"""Party pages, one module per sub-domain: the organization tree (``orgs``), the two-new
organizations register with coverage and demonstration points (``organizations``), and the
service centers with activities and check-in (``centers``)."""
