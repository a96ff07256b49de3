"""Re-encrypting stored personal fields from one cipher to the other (Fernet <-> SM4),
e.g. after switching ``JICENG_CRYPTO_SCHEME`` to ``guomi`` for a 密评.

Restart-safe by construction: each batch is its own transaction and picks only rows still
in the old cipher, so a run that is stopped (or killed) part-way simply continues where it
was when started again, and a finished run finds nothing to do. The blind index is keyed
independently of the cipher and stays as it is, so lookups by ID number keep working
throughout."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from .audit import audit_record
from .crypto import FERNET, SM4, cipher_of, decrypt, encrypt
from .errors import ValidationFailed
from .models import Person

# (model, field) of every encrypted column; an app with its own adds it here.
ENCRYPTED_FIELDS = ((Person, "id_number_encrypted"),)
_SM4_PREFIX = "sm4:"


@dataclass(frozen=True)
class ReencryptOutcome:
    done: int
    remaining: int


def _pending(model, field: str, target: str):
    in_sm4 = Q(**{f"{field}__startswith": _SM4_PREFIX})
    qs = model.objects.exclude(**{field: ""})
    return qs.exclude(in_sm4) if target == SM4 else qs.filter(in_sm4)


def fields_pending(*, target: str) -> int:
    return sum(_pending(model, field, target).count() for model, field in ENCRYPTED_FIELDS)


def fields_reencrypt(
    *,
    target: str,
    batch_size: int = 500,
    max_rows: int | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> ReencryptOutcome:
    """Re-encrypt up to ``max_rows`` values (all when None) into ``target`` ("sm4" or
    "fernet"), ``batch_size`` rows per transaction, each row locked while it changes."""
    if target not in (SM4, FERNET):
        raise ValidationFailed("目标算法只能是 sm4 或 fernet。")
    if batch_size < 1:
        raise ValidationFailed("每批行数须为正数。")
    done = 0
    for model, field in ENCRYPTED_FIELDS:
        label = f"{model._meta.label}.{field}"
        total = _pending(model, field, target).count()
        field_done, last_pk = 0, 0
        while max_rows is None or done < max_rows:
            size = batch_size if max_rows is None else min(batch_size, max_rows - done)
            with transaction.atomic():
                rows = list(
                    _pending(model, field, target)
                    .filter(pk__gt=last_pk)
                    .select_for_update()
                    .order_by("pk")
                    .only("pk", field)[:size]
                )
                if not rows:
                    break
                for row in rows:
                    value = getattr(row, field)
                    if cipher_of(value) != target:
                        setattr(row, field, encrypt(decrypt(value), cipher=target))
                model.objects.bulk_update(rows, [field])
            last_pk = rows[-1].pk
            done += len(rows)
            field_done += len(rows)
            if progress:
                progress(label, field_done, total)
        if field_done:
            audit_record(
                actor=None,
                action="crypto.reencrypt",
                object_repr=label,
                changes={"cipher": [None, target], "rows": [None, field_done]},
            )
    return ReencryptOutcome(done, fields_pending(target=target))
