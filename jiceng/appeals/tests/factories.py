import factory

from jiceng.appeals.models import Appeal, Category, SlaPolicy, SlaUnit, Urgency


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("path",)

    name = factory.Sequence(lambda n: f"分类{n}")
    path = factory.Sequence(lambda n: f"{n + 1:03d}")


class SlaPolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SlaPolicy

    category = None
    urgency = Urgency.NORMAL
    unit = SlaUnit.HOURS
    response_limit = 2
    resolve_limit = 48


class AppealFactory(factory.django.DjangoModelFactory):
    """A bare row for selector and page tests; services build real ones."""

    class Meta:
        model = Appeal

    kind = "help"
    channel = "web"
    description = factory.Sequence(lambda n: f"楼道灯不亮了，麻烦尽快修理{n}")
    title = factory.Sequence(lambda n: f"楼道灯不亮{n}")
