"""Factories of the stations app."""

import factory

from jiceng.stations.models import GridAppointment, Platform, Rider, WarmStation

ALL_WEEK = ["00:00-24:00"] * 7


class StationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WarmStation

    name = factory.Sequence(lambda n: f"测试暖心驿站{n}")
    address = factory.Sequence(lambda n: f"市中区纬二路{n + 1}号")
    lng = 116.99
    lat = 36.66
    hours = factory.LazyFunction(lambda: list(ALL_WEEK))
    amenities = factory.LazyFunction(lambda: ["water", "charger"])
    host_name = "测试党群服务中心"


class RiderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rider

    name = factory.Sequence(lambda n: f"骑士{n}")
    phone = factory.Sequence(lambda n: f"177{n:08d}")
    platform = Platform.MEITUAN


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GridAppointment

    starts_on = factory.Faker("date_between", start_date="-300d", end_date="-30d")
