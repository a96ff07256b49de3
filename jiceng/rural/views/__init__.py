"""The rural pages, one module per page group."""
