"""What makes the audit chain trustworthy beyond its own hashes: checkpoints of its head,
archive segments past retention, and the verification that checks the chain against both.

A hash chain alone proves only that its rows fit each other: whoever can write the table
can delete the last rows, or rewrite a row and recompute every hash after it, and the
chain still fits. So at intervals the head (last row, row count, hash) is **checkpointed**:
sealed with a key derived from ``JICENG_FIELD_KEY`` (which the database does not hold),
stored in ``AuditCheckpoint`` (append-only by trigger on PostgreSQL) and appended to a file
under ``JICENG_AUDIT_DIR`` that an auditor can copy away. ``chain_verify`` then catches
a truncated tail (a checkpoint names a row beyond the end) and a rewrite (a checkpointed
row's hash or count differs).

Rows past retention (at least 180 days) leave the live table in **archive segments**:
gzip files of JSON lines whose SHA-256 is recorded in ``AuditArchiveSegment``; the chain
goes on from the last archived hash, and ``chain_verify(archive_dir=...)`` re-reads the
files and walks the whole chain from the genesis.
"""

import gzip
import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from .audit import GENESIS, ChainBreak, lock_chain, row_hash
from .crypto import mac
from .errors import ValidationFailed
from .models import AuditArchiveSegment, AuditCheckpoint, AuditEvent

MIN_RETENTION_DAYS = 180
CHECKPOINT_FILE = "checkpoints.jsonl"
_ROW_FIELDS = (
    "id",
    "actor_id",
    "actor_name",
    "ip",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "changes",
    "prev_hash",
    "hash",
    "hash_alg",
)


class AuditChainBroken(Exception):
    def __init__(self, broken: ChainBreak):
        super().__init__(f"第 {broken.row_id} 条：{broken.reason}")
        self.broken = broken


@dataclass(frozen=True)
class Head:
    last_id: int
    row_count: int
    last_hash: str


def audit_dir() -> Path | None:
    """Where checkpoints are appended and archives written by default; None: no file store."""
    value = getattr(settings, "JICENG_AUDIT_DIR", None)
    return Path(value) if value else None


def retention_days() -> int:
    return max(MIN_RETENTION_DAYS, int(getattr(settings, "JICENG_AUDIT_RETENTION_DAYS", 365)))


def archived_head() -> Head:
    """Where the archive ends: the last archived row and how many rows were archived."""
    last = AuditArchiveSegment.objects.order_by("-last_id").first()
    if last is None:
        return Head(0, 0, GENESIS)
    total = AuditArchiveSegment.objects.aggregate(n=Sum("row_count"))["n"] or 0
    return Head(last.last_id, total, last.last_hash)


# --- seals -------------------------------------------------------------------------------


def _checkpoint_seal(*, at: str, last_id: int, row_count: int, head_hash: str) -> str:
    return mac(b"audit-checkpoint", f"{at}|{last_id}|{row_count}|{head_hash}".encode())


def _segment_seal(seg: AuditArchiveSegment) -> str:
    text = (
        f"{seg.first_id}|{seg.last_id}|{seg.row_count}|{seg.first_prev_hash}|"
        f"{seg.last_hash}|{seg.file_name}|{seg.file_sha256}"
    )
    return mac(b"audit-archive", text.encode())


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


# --- walking -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Checkpoint:
    at: str
    last_id: int
    row_count: int
    head_hash: str
    source: str  # "数据库" or the file


def _walk(rows: Iterable[AuditEvent], *, prev: str, count: int, checkpoints: dict):
    """Check each row's links and hash, and every checkpoint met on the way.

    Returns (break or None, last row id, last hash, count). ``checkpoints`` maps a row id to
    the checkpoints naming it; the ones met are removed."""
    last_id = None
    for row in rows:
        if row.prev_hash != prev:
            return (
                ChainBreak(row.id, "前一哈希与上一行不符（其前的行被删除或篡改）"),
                last_id,
                prev,
                count,
            )
        if row_hash(row) != row.hash:
            return ChainBreak(row.id, "本行内容与其哈希不符（本行被篡改）"), last_id, prev, count
        prev, last_id, count = row.hash, row.id, count + 1
        for cp in checkpoints.pop(row.id, ()):
            if cp.head_hash != row.hash:
                reason = (
                    f"与{cp.source}检查点（{cp.at[:19]}）记录的哈希不符："
                    "本行或其前的记录被改写后重算了哈希"
                )
                return ChainBreak(row.id, reason), last_id, prev, count
            if cp.row_count != count:
                reason = (
                    f"{cp.source}检查点（{cp.at[:19]}）记录至此共 {cp.row_count} 条，"
                    f"现为 {count} 条：有记录被删除或插入"
                )
                return ChainBreak(row.id, reason), last_id, prev, count
    return None, last_id, prev, count


def _unmet(checkpoints: dict, *, after: int, last_id: int | None) -> ChainBreak | None:
    """A checkpoint never met while walking: the row it names is gone."""
    pending = [cp for cps in checkpoints.values() for cp in cps if cp.last_id > after]
    if not pending:
        return None
    cp = max(pending, key=lambda c: c.last_id)
    end = last_id if last_id is not None else after
    if cp.last_id > end:
        reason = (
            f"{cp.source}检查点（{cp.at[:19]}）记录日志至第 {cp.last_id} 条、共 {cp.row_count} 条，"
            f"现只到第 {end} 条：末尾的记录被删除"
        )
    else:
        reason = f"{cp.source}检查点（{cp.at[:19]}）所记的这条记录已不存在：记录被删除"
    return ChainBreak(cp.last_id, reason)


def _load_checkpoints() -> tuple[dict, ChainBreak | None]:
    found: dict[int, list[_Checkpoint]] = {}
    seen = set()

    def add(cp: _Checkpoint, seal: str):
        expected = _checkpoint_seal(
            at=cp.at, last_id=cp.last_id, row_count=cp.row_count, head_hash=cp.head_hash
        )
        if seal != expected:
            return ChainBreak(
                cp.last_id, f"{cp.source}检查点（{cp.at[:19]}）的校验码不符：检查点被伪造或改动"
            )
        key = (cp.last_id, cp.row_count, cp.head_hash)
        if key not in seen:
            seen.add(key)
            found.setdefault(cp.last_id, []).append(cp)
        return None

    for row in AuditCheckpoint.objects.order_by("id").iterator(2000):
        cp = _Checkpoint(_iso(row.at), row.last_id, row.row_count, row.head_hash, "数据库")
        if broken := add(cp, row.seal):
            return found, broken
    root = audit_dir()
    path = root / CHECKPOINT_FILE if root else None
    if path and path.exists():
        with path.open(encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    data = json.loads(line)
                    cp = _Checkpoint(
                        data["at"],
                        int(data["last_id"]),
                        int(data["row_count"]),
                        data["head_hash"],
                        "文件",
                    )
                    seal = data["seal"]
                except (ValueError, KeyError, TypeError):
                    return found, ChainBreak(0, f"检查点文件第 {n} 行无法读取：文件被改动")
                if broken := add(cp, seal):
                    return found, broken
    return found, None


# --- archive files -----------------------------------------------------------------------


def _row_to_json(row: AuditEvent) -> str:
    data = {f: getattr(row, f) for f in _ROW_FIELDS}
    data["at"] = _iso(row.at)
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def _row_from_json(line: str) -> AuditEvent:
    data = json.loads(line)
    data["at"] = datetime.fromisoformat(data["at"])
    return AuditEvent(**data)


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class _ArchiveUnreadable(Exception):
    def __init__(self, broken: ChainBreak):
        self.broken = broken


def _archived_rows(segments, archive_dir: Path) -> Iterator[AuditEvent]:
    for seg in segments:
        path = archive_dir / seg.file_name
        if not path.is_file():
            raise _ArchiveUnreadable(ChainBreak(seg.first_id, f"归档文件 {seg.file_name} 缺失"))
        if _file_sha256(path) != seg.file_sha256:
            raise _ArchiveUnreadable(
                ChainBreak(
                    seg.first_id, f"归档文件 {seg.file_name} 的 SHA-256 与归档记录不符：文件被改动"
                )
            )
        n, last = 0, None
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                row = _row_from_json(line)
                if n == 0 and row.prev_hash != seg.first_prev_hash:
                    raise _ArchiveUnreadable(ChainBreak(row.id, "归档段的首条记录与归档记录不符"))
                n, last = n + 1, row
                yield row
        if n != seg.row_count or last is None or last.hash != seg.last_hash:
            raise _ArchiveUnreadable(
                ChainBreak(
                    seg.last_id, f"归档文件 {seg.file_name} 的记录数或末条哈希与归档记录不符"
                )
            )


# --- public ------------------------------------------------------------------------------


def chain_verify(*, archive_dir: Path | str | None = None) -> ChainBreak | None:
    """Walk the live chain (from the end of the archive; with ``archive_dir``, from the
    genesis through every archive file) and check every checkpoint in the database and in
    the checkpoint file. Returns the first place that does not fit, or None."""
    segments = list(AuditArchiveSegment.objects.order_by("first_id"))
    for seg in segments:
        if seg.seal != _segment_seal(seg):
            return ChainBreak(seg.first_id, "归档记录的校验码不符：归档记录被伪造或改动")
    checkpoints, broken = _load_checkpoints()
    if broken:
        return broken
    head = Head(
        segments[-1].last_id if segments else 0,
        sum(s.row_count for s in segments),
        segments[-1].last_hash if segments else GENESIS,
    )
    live = AuditEvent.objects.filter(id__gt=head.last_id).order_by("id").iterator(2000)
    if archive_dir is not None:
        rows = _chain(_archived_rows(segments, Path(archive_dir)), live)
        prev, count, after = GENESIS, 0, 0
    else:
        rows, prev, count, after = live, head.last_hash, head.row_count, head.last_id
    try:
        broken, last_id, _, _ = _walk(rows, prev=prev, count=count, checkpoints=checkpoints)
    except _ArchiveUnreadable as e:
        return e.broken
    if broken:
        return broken
    return _unmet(checkpoints, after=after, last_id=last_id)


def _chain(*iterables):
    for it in iterables:
        yield from it


def audit_checkpoint(*, now: datetime | None = None) -> AuditCheckpoint | None:
    """Seal the chain's current head, once the rows since the previous checkpoint verify.

    Idempotent: nothing new since the last checkpoint, no new checkpoint. Raises
    ``AuditChainBroken`` rather than seal a chain that does not fit its last checkpoint."""
    now = now or timezone.now()
    with transaction.atomic():
        lock_chain()
        archived = archived_head()
        last = AuditCheckpoint.objects.order_by("-last_id", "-id").first()
        base = archived
        if last is not None and last.last_id >= archived.last_id:
            base = Head(last.last_id, last.row_count, last.head_hash)
            still_there = AuditEvent.objects.filter(id=last.last_id, hash=last.head_hash).exists()
            if last.last_id > archived.last_id and not still_there:
                reason = "上一检查点所记的记录已不存在或被改写：末尾的记录被删除或篡改"
                raise AuditChainBroken(ChainBreak(last.last_id, reason))
        rows = AuditEvent.objects.filter(id__gt=base.last_id).order_by("id").iterator(2000)
        broken, last_id, head_hash, count = _walk(
            rows, prev=base.last_hash, count=base.row_count, checkpoints={}
        )
        if broken:
            raise AuditChainBroken(broken)
        if last_id is None:
            if last is not None:
                return None
            last_id, head_hash, count = base.last_id, base.last_hash, base.row_count
        at = _iso(now)
        seal = _checkpoint_seal(at=at, last_id=last_id, row_count=count, head_hash=head_hash)
        checkpoint = AuditCheckpoint.objects.create(
            at=now, last_id=last_id, row_count=count, head_hash=head_hash, seal=seal
        )
        _append_checkpoint_file(
            {"at": at, "last_id": last_id, "row_count": count, "head_hash": head_hash, "seal": seal}
        )
    return checkpoint


def _append_checkpoint_file(data: dict) -> None:
    root = audit_dir()
    if root is None:
        return
    root.mkdir(parents=True, exist_ok=True)
    line = (json.dumps(data, sort_keys=True) + "\n").encode()
    fd = os.open(root / CHECKPOINT_FILE, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass(frozen=True)
class ArchiveOutcome:
    segments: list
    rows: int


def audit_archive(
    *,
    older_than_days: int | None = None,
    segment_rows: int = 50_000,
    out_dir: Path | str | None = None,
    now: datetime | None = None,
) -> ArchiveOutcome:
    """Move rows older than the retention into archive segments (files under ``out_dir``,
    default ``JICENG_AUDIT_DIR/archive``), each in its own transaction: write and fsync the
    file, record its hash, then delete its rows (the one delete the PostgreSQL trigger
    lets through). A segment's rows must verify first. Restart-safe: each run begins after
    the last recorded segment."""
    days = retention_days() if older_than_days is None else older_than_days
    if days < MIN_RETENTION_DAYS:
        raise ValidationFailed(f"审计日志至少保留 {MIN_RETENTION_DAYS} 天，不能归档更近的记录。")
    if segment_rows < 1:
        raise ValidationFailed("每段记录数须为正数。")
    if out_dir is None:
        root = audit_dir()
        if root is None:
            raise ValidationFailed("未设置 JICENG_AUDIT_DIR，请用 --out 指定归档目录。")
        out_dir = root / "archive"
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    now = now or timezone.now()
    cutoff = now - timedelta(days=days)
    made, total = [], 0
    while True:
        with transaction.atomic():
            lock_chain()
            head = archived_head()
            rows = list(
                AuditEvent.objects.filter(id__gt=head.last_id, at__lt=cutoff).order_by("id")[
                    :segment_rows
                ]
            )
            if not rows:
                break
            broken, _, _, _ = _walk(rows, prev=head.last_hash, count=0, checkpoints={})
            if broken:
                raise AuditChainBroken(broken)
            segment = _write_segment(rows, out_dir=out_dir, now=now, prev=head.last_hash)
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    cursor.execute("SET LOCAL jiceng.audit_archive = 'on'")
                cursor.execute(
                    "DELETE FROM core_auditevent WHERE id BETWEEN %s AND %s",
                    [segment.first_id, segment.last_id],
                )
                if connection.vendor == "postgresql":
                    cursor.execute("SET LOCAL jiceng.audit_archive = 'off'")
        made.append(segment)
        total += segment.row_count
    return ArchiveOutcome(made, total)


def _write_segment(rows: list, *, out_dir: Path, now: datetime, prev: str) -> AuditArchiveSegment:
    first, last = rows[0], rows[-1]
    name = f"audit-{first.id:012d}-{last.id:012d}.jsonl.gz"
    tmp = out_dir / (name + ".part")
    with tmp.open("wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
            for row in rows:
                gz.write((_row_to_json(row) + "\n").encode())
        raw.flush()
        os.fsync(raw.fileno())
    os.replace(tmp, out_dir / name)
    segment = AuditArchiveSegment(
        created_at=now,
        first_id=first.id,
        last_id=last.id,
        row_count=len(rows),
        first_prev_hash=prev,
        last_hash=last.hash,
        file_name=name,
        file_sha256=_file_sha256(out_dir / name),
    )
    segment.seal = _segment_seal(segment)
    segment.save()
    return segment
