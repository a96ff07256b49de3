import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from jiceng.core import crypto
from jiceng.core.audit import audit_record, audit_verify
from jiceng.core.audit_integrity import audit_checkpoint
from jiceng.core.models import AuditEvent, Person
from jiceng.core.reencryption import fields_pending, fields_reencrypt
from jiceng.core.roles import Role
from jiceng.core.selectors import person_list_visible_to
from jiceng.core.services import person_create
from jiceng.core.tests.tamper import rewrite_and_rechain

ID_NUMBERS = ["370103198506150028", "370103199001011238", "370103198709298102"]


def test_sm3_is_the_standard_digest():
    # GB/T 32905-2016, example 1.
    assert (
        crypto.digest(b"abc", crypto.SM3)
        == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    )


def test_guomi_scheme_writes_sm4_and_both_ciphers_stay_readable(settings):
    old = crypto.encrypt("370103198506150028")
    settings.JICENG_CRYPTO_SCHEME = crypto.GUOMI
    new = crypto.encrypt("370103198506150028")
    assert new.startswith("sm4:") and crypto.cipher_of(new) == crypto.SM4
    assert crypto.cipher_of(old) == crypto.FERNET
    assert crypto.decrypt(new) == crypto.decrypt(old) == "370103198506150028"
    settings.JICENG_CRYPTO_SCHEME = crypto.STANDARD
    assert crypto.decrypt(new) == "370103198506150028"


def test_sm4_values_are_authenticated_and_keyed(settings):
    settings.JICENG_CRYPTO_SCHEME = crypto.GUOMI
    token = crypto.encrypt("370103198506150028")
    assert crypto.encrypt("370103198506150028") != token  # a fresh nonce each time
    body = bytearray(token.encode())
    body[10] = ord("A") if body[10] != ord("A") else ord("B")
    with pytest.raises(crypto.DecryptionFailed):
        crypto.decrypt(body.decode())
    settings.JICENG_FIELD_KEY = "another-key"
    with pytest.raises(crypto.DecryptionFailed):
        crypto.decrypt(token)


def test_an_unknown_scheme_is_refused(settings):
    settings.JICENG_CRYPTO_SCHEME = "rot13"
    with pytest.raises(ImproperlyConfigured, match="JICENG_CRYPTO_SCHEME"):
        crypto.encrypt("x")


@pytest.mark.django_db
def test_guomi_audit_rows_chain_with_sm3_after_sha256_rows(settings):
    audit_record(actor=None, action="test.before")
    settings.JICENG_CRYPTO_SCHEME = crypto.GUOMI
    rows = [audit_record(actor=None, action="test.after") for _ in range(2)]
    algorithms = list(AuditEvent.objects.order_by("id").values_list("hash_alg", flat=True))
    assert algorithms == ["sha256", "sm3", "sm3"]
    assert audit_verify() is None
    audit_checkpoint()
    rewrite_and_rechain(rows[0].id, actor_name="某人")
    assert audit_verify() is not None


def _people(world, n=3):
    admin = world.users[Role.DISTRICT_ADMIN]
    return [
        person_create(by=admin, name=f"加密{i}", area=world.grid_a1, phone="", id_number=number)
        for i, number in enumerate(ID_NUMBERS[:n])
    ]


def test_reencrypting_moves_every_value_to_sm4_and_keeps_the_blind_index(world):
    before = fields_pending(target=crypto.SM4)
    people = _people(world)
    indexes = {p.pk: p.id_number_index for p in people}
    assert fields_pending(target=crypto.SM4) == before + 3
    outcome = fields_reencrypt(target=crypto.SM4, batch_size=2)
    assert (outcome.done, outcome.remaining) == (before + 3, 0)
    for person in Person.objects.filter(pk__in=indexes):
        assert person.id_number_encrypted.startswith("sm4:")
        assert person.id_number_index == indexes[person.pk]
        assert person.id_number in ID_NUMBERS
    admin = world.users[Role.DISTRICT_ADMIN]
    found = person_list_visible_to(user=admin, text=ID_NUMBERS[1])
    assert [p.name for p in found] == ["加密1"]
    assert AuditEvent.objects.filter(action="crypto.reencrypt").count() == 1
    assert fields_reencrypt(target=crypto.SM4).done == 0


def test_an_interrupted_reencryption_resumes_where_it_stopped(world):
    _people(world)
    total = fields_pending(target=crypto.SM4)
    first = fields_reencrypt(target=crypto.SM4, batch_size=1, max_rows=2)
    assert (first.done, first.remaining) == (2, total - 2)
    call_command("reencrypt_fields", "--to", "sm4", "--batch", "1")
    assert fields_pending(target=crypto.SM4) == 0
    call_command("reencrypt_fields", "--to", "fernet")
    assert fields_pending(target=crypto.FERNET) == 0
    assert sorted(p.id_number for p in Person.objects.filter(name__startswith="加密")) == sorted(
        ID_NUMBERS
    )
