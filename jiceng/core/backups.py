"""Verified PostgreSQL backups and the restore drill (docs/operations.md).

A backup is a directory: ``database.dump`` (``pg_dump -Fc``), ``media.tar.gz`` (uploaded
files; background export files are left out, they expire in a day) and ``manifest.json``
listing each file's size and SHA-256, the audit chain's head at dump time, and a seal keyed
from ``JICENG_FIELD_KEY``. A backup counts as made only once ``pg_restore --list`` reads the
dump back. The drill checks the manifest, restores the dump into a fresh database, unpacks
the media, runs ``audit_verify`` there (against the checkpoints inside the dump) and drops
the database again — proof that the backup can actually be restored.
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import psycopg
from django.conf import settings
from django.db import connection
from django.utils import timezone

from .crypto import mac
from .errors import ValidationFailed
from .models import AuditEvent

DUMP = "database.dump"
MEDIA = "media.tar.gz"
MANIFEST = "manifest.json"
_MEDIA_SKIPPED = {"exports"}
_DB_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


@dataclass
class DrillReport:
    database: str
    seconds: dict = field(default_factory=dict)
    audit_output: str = ""
    audit_rows: int = 0
    media_files: int = 0
    kept: bool = False


def _require_postgresql() -> dict:
    if connection.vendor != "postgresql":
        raise ValidationFailed(
            "备份与恢复演练需要 PostgreSQL；SQLite 部署请停机后直接复制数据库文件。"
        )
    return connection.settings_dict


def _pg_env(db: dict, name: str | None = None) -> dict:
    env = {**os.environ, "PGDATABASE": name or db["NAME"]}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[var] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _run(args: list[str], *, env: dict, what: str) -> str:
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise ValidationFailed(f"{what}失败：{(done.stderr or done.stdout).strip()[:500]}")
    return done.stdout


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _seal(manifest: dict) -> str:
    body = {k: v for k, v in manifest.items() if k != "seal"}
    return mac(b"backup-manifest", json.dumps(body, sort_keys=True).encode())


def _dump_entries(dump: Path, env: dict) -> list[str]:
    listing = _run(["pg_restore", "--list", str(dump)], env=env, what="pg_restore --list 读取备份")
    return [line for line in listing.splitlines() if line and not line.startswith(";")]


def _media_tar(target: Path) -> int:
    root = Path(settings.MEDIA_ROOT)
    count = 0
    with tarfile.open(target, "w:gz") as tar:
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                relative = path.relative_to(root)
                if relative.parts[0] in _MEDIA_SKIPPED or not path.is_file():
                    continue
                tar.add(path, arcname=str(relative), recursive=False)
                count += 1
    return count


def backup_create(*, out_dir: Path | str | None = None) -> Path:
    """Dump the database and the media into a new directory under ``out_dir`` and verify
    the dump; returns the directory. Nothing is left behind when a step fails."""
    db = _require_postgresql()
    root = Path(out_dir or settings.JICENG_BACKUP_DIR)
    root.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    target = root / f"jiceng-{stamp}"
    work = Path(tempfile.mkdtemp(prefix=f".jiceng-{stamp}-", dir=root))
    try:
        env = _pg_env(db)
        head = AuditEvent.objects.order_by("-id").values("id", "hash").first()
        audit_rows = AuditEvent.objects.count()
        _run(
            ["pg_dump", "--format=custom", "--file", str(work / DUMP)],
            env=env,
            what="pg_dump 导出数据库",
        )
        entries = _dump_entries(work / DUMP, env)
        if not any(" TABLE DATA " in e and " core_auditevent " in e for e in entries):
            raise ValidationFailed("备份校验失败：转储中没有审计日志表的数据。")
        media_files = _media_tar(work / MEDIA)
        with tarfile.open(work / MEDIA, "r:gz") as tar:
            if len(tar.getnames()) != media_files:
                raise ValidationFailed("备份校验失败：附件归档的文件数不符。")
        manifest = {
            "format": 1,
            "created_at": timezone.now().isoformat(),
            "database": db["NAME"],
            "server_version": connection.pg_version,
            "pg_dump": _run(["pg_dump", "--version"], env=env, what="pg_dump").strip(),
            "dump_entries": len(entries),
            "media_files": media_files,
            "audit": {
                "rows": audit_rows,
                "last_id": head["id"] if head else 0,
                "head_hash": head["hash"] if head else "",
            },
            "files": {
                name: {"bytes": (work / name).stat().st_size, "sha256": _sha256(work / name)}
                for name in (DUMP, MEDIA)
            },
        }
        manifest["seal"] = _seal(manifest)
        (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
        work.rename(target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def backup_verify(backup: Path | str) -> dict:
    """The manifest of ``backup`` once its seal and every file's hash check out."""
    backup = Path(backup)
    try:
        manifest = json.loads((backup / MANIFEST).read_text())
    except (OSError, ValueError):
        raise ValidationFailed(f"备份目录 {backup} 中没有可读的 {MANIFEST}。") from None
    if manifest.get("seal") != _seal(manifest):
        raise ValidationFailed("备份清单的校验码不符：清单被改动，或不是本系统（本密钥）生成的。")
    for name, facts in manifest["files"].items():
        path = backup / name
        if not path.is_file():
            raise ValidationFailed(f"备份文件 {name} 缺失。")
        if path.stat().st_size != facts["bytes"] or _sha256(path) != facts["sha256"]:
            raise ValidationFailed(f"备份文件 {name} 的 SHA-256 与清单不符：文件损坏或被改动。")
    return manifest


def restore_drill(*, backup: Path | str, database: str | None = None, keep: bool = False):
    """Restore ``backup`` into a new database, unpack its media, run ``audit_verify``
    there and drop the database (unless ``keep``). Raises ``ValidationFailed`` at the
    first step that fails; the drill database is dropped either way unless ``keep``."""
    db = _require_postgresql()
    backup = Path(backup)
    clock = time.monotonic()
    manifest = backup_verify(backup)
    name = database or f"jiceng_drill_{timezone.now():%Y%m%d%H%M%S}"
    if not _DB_NAME.match(name) or name == db["NAME"]:
        raise ValidationFailed("演练数据库名须为小写字母、数字和下划线，且不能是当前数据库。")
    report = DrillReport(database=name, kept=keep)
    report.seconds["verify"] = time.monotonic() - clock
    env = _pg_env(db)
    _dump_entries(backup / DUMP, env)
    admin = psycopg.connect(**_conninfo(db, "postgres"), autocommit=True)
    try:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            raise ValidationFailed(f"数据库 {name} 已存在；演练只恢复到新建的数据库。")
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            clock = time.monotonic()
            _run(
                [
                    "pg_restore",
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    "--dbname",
                    name,
                    str(backup / DUMP),
                ],
                env=_pg_env(db, name),
                what="pg_restore 恢复数据库",
            )
            report.seconds["restore"] = time.monotonic() - clock
            clock = time.monotonic()
            with tempfile.TemporaryDirectory(prefix="jiceng-drill-media-") as media:
                with tarfile.open(backup / MEDIA, "r:gz") as tar:
                    tar.extractall(media, filter="data")
                report.media_files = sum(1 for p in Path(media).rglob("*") if p.is_file())
            if report.media_files != manifest["media_files"]:
                raise ValidationFailed("恢复的附件文件数与清单不符。")
            report.seconds["media"] = time.monotonic() - clock
            clock = time.monotonic()
            report.audit_output = _audit_verify_in(db, name)
            with psycopg.connect(**_conninfo(db, name)) as restored:
                report.audit_rows = restored.execute(
                    "SELECT count(*) FROM core_auditevent"
                ).fetchone()[0]
            if report.audit_rows != manifest["audit"]["rows"]:
                raise ValidationFailed(
                    f"恢复后的审计日志为 {report.audit_rows} 条，清单记录 "
                    f"{manifest['audit']['rows']} 条。"
                )
            report.seconds["audit_verify"] = time.monotonic() - clock
        finally:
            if not keep:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.close()
    return report


def _conninfo(db: dict, name: str) -> dict:
    info = {"dbname": name}
    for key, arg in (
        ("HOST", "host"),
        ("PORT", "port"),
        ("USER", "user"),
        ("PASSWORD", "password"),
    ):
        if db.get(key):
            info[arg] = str(db[key])
    return info


def _audit_verify_in(db: dict, name: str) -> str:
    """``manage.py audit_verify`` run against the restored database, as its own process
    (the checkpoints it compares with are those inside the dump: the live checkpoint file
    may be newer than the backup)."""
    user = quote(db.get("USER") or "", safe="")
    if db.get("PASSWORD"):
        user += ":" + quote(db["PASSWORD"], safe="")
    host = db.get("HOST") or "localhost"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    url = f"postgres://{user + '@' if user else ''}{host}{port}/{name}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": os.environ.get(
            "DJANGO_SETTINGS_MODULE", "config.settings.production"
        ),
        "JICENG_AUDIT_DIR": "",
    }
    done = subprocess.run(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "audit_verify"],
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise ValidationFailed(f"恢复后的审计日志校验失败：{(done.stderr or done.stdout).strip()}")
    return done.stdout.strip()
