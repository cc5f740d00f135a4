"""Factories shared by every app's tests."""

import factory
from django.contrib.auth import get_user_model


class UserFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@kota.example")
    password = factory.django.Password("correct horse battery staple")

    class Meta:
        model = get_user_model()
