"""Party-mass service centers (党群服务中心) such as 梦享家: venues, activities, sign-up,
check-in by link, code or staff, and participation statistics."""
