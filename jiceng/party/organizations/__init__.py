"""Two-new organizations and property companies (红色物业, 两新组织), their party coverage,
and the demonstration points of the 红色引擎 programme with their plans."""
