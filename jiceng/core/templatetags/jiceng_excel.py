"""Template helpers of the Excel exports."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def export_query(context, param=None, value=None) -> str:
    """The page's query string for its export: without the page number, plus ``param`` set
    to ``value`` unless the query string has it already."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else None
    if query is None:
        return ""
    query.pop("page", None)
    if param and value not in (None, "") and not query.get(param):
        query[param] = str(value)
    return query.urlencode()
