"""`python -m dossiers seed --count N` and `python -m dossiers samples`."""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import List, Optional

from sqlalchemy.exc import SQLAlchemyError

from dossiers import seed
from dossiers.models import STATUS_LABELS
from dossiers.workdays import WorkingCalendar
from settings import Settings, SettingsError
from storage import migrate
from storage.engine import make_engine


def _short(name: str, limit: int = 60) -> str:
    """`name` cut at a word boundary to at most `limit` characters, with "…" when cut."""
    if len(name) <= limit:
        return name
    return name[:limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:-") + "…"


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dossiers", description="Hồ sơ mẫu (dữ liệu sinh ngẫu nhiên)")
    parser.add_argument("--database-url", help="mặc định: DATABASE_URL hoặc var/catalogue.db")
    sub = parser.add_subparsers(dest="command", required=True)
    make = sub.add_parser("seed", help="sinh hồ sơ mẫu")
    make.add_argument("--count", type=int, default=300)
    make.add_argument("--seed", type=int, default=7)
    make.add_argument("--if-empty", action="store_true", help="chỉ sinh khi kho hồ sơ còn trống")
    make.add_argument("--anchor", type=dt.date.fromisoformat,
                      help="ngày làm mốc (YYYY-MM-DD) thay cho hôm nay: cùng mốc, cùng seed thì cùng mã hồ sơ")
    show = sub.add_parser("samples", help="liệt kê vài mã hồ sơ mẫu kèm 4 số cuối điện thoại")
    show.add_argument("--limit", type=int, default=8)
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    engine = make_engine(args.database_url or settings.database_url)
    try:
        migrate.upgrade(engine)
        if args.command == "seed":
            if args.if_empty and seed.count_dossiers(engine):
                print(f"Kho hồ sơ đã có {seed.count_dossiers(engine)} hồ sơ; không sinh thêm.")
                return 0
            calendar = WorkingCalendar.from_file(settings.dossier_calendar_file)
            written = seed.generate(engine, max(0, args.count), settings.hash_key, seed=args.seed,
                                    today=args.anchor, calendar=calendar)
            print(f"Đã sinh {written} hồ sơ mẫu (người nộp, số điện thoại đều là dữ liệu giả).")
            return 0
        print("Mã hồ sơ | tình trạng | 4 số cuối điện thoại | thủ tục")
        for code, status, name, digits in seed.samples(engine, args.limit):
            print(f"{code} | {STATUS_LABELS.get(status, status)} | {digits} | {_short(name)}")
        return 0
    except (SQLAlchemyError, RuntimeError) as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
