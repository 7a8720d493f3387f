import factory

from keyprojects.accounts.models import Organization, Region, Role, User


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "370000"
    name = "山东省"
    kind = Region.Kind.PROVINCE


class CityRegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "371500"
    name = "聊城市"
    kind = Region.Kind.CITY
    parent = factory.SubFactory(ProvinceFactory)


class RegionFactory(factory.django.DjangoModelFactory):
    """A county; unless told otherwise, one of 聊城's, so whatever it holds has a city."""

    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{371600 + n}")
    name = factory.Sequence(lambda n: f"测试县{n}")
    kind = Region.Kind.COUNTY
    parent = factory.SubFactory(CityRegionFactory)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"测试机构{n}")
    kind = Organization.Kind.ENTERPRISE
    region = factory.SubFactory(RegionFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.CITY_ADMIN
    organization = factory.SubFactory(OrganizationFactory, kind=Organization.Kind.CITY_OFFICE)
    password = factory.PostGenerationMethodCall("set_password", "Secret-pass-1")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()
