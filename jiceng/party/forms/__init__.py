"""Party forms, one module per sub-domain (see ``views``)."""
