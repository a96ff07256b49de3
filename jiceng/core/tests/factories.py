import factory
from stdnum.cn import ric

from jiceng.core.crypto import blind_index, encrypt
from jiceng.core.models import Area, AreaKind, Person, Post, PostTitle, RoleAssignment, User


def valid_id_number(seq: int, region: str = "370103", born: str = "19900101") -> str:
    body = f"{region}{born}{seq % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")  # it expects a placeholder check digit


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"370103{n:03d}")
    name = factory.Sequence(lambda n: f"测试区域{n}")
    kind = AreaKind.STREET
    parent = None
    depth = factory.LazyAttribute(lambda o: (o.parent.depth + 1) if o.parent else 0)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"张{n}")
    sex = "M"
    phone = factory.Sequence(lambda n: f"138{n:08d}")
    area = factory.SubFactory(AreaFactory)

    class Params:
        id_number = None

    @factory.post_generation
    def with_id(obj, create, extracted, **kwargs):
        number = extracted or valid_id_number(obj.pk or 1)
        obj.id_number_encrypted = encrypt(number)
        obj.id_number_index = blind_index(number)
        if create:
            obj.save(update_fields=["id_number_encrypted", "id_number_index"])


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    person = factory.SubFactory(PersonFactory)
    title = PostTitle.GRID_STEWARD
    area = factory.SubFactory(AreaFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "Jiceng@2024")

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = "district_admin"
