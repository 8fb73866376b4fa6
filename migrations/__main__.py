"""`python -m migrations upgrade|downgrade REV|current [--database-url URL]`: the schema of every feature."""
from __future__ import annotations

import argparse
import sys
from typing import List, Optional

from alembic.runtime.migration import MigrationContext
from sqlalchemy.exc import SQLAlchemyError

from settings import Settings
from storage import migrate
from storage.engine import make_engine


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m migrations", description="Lược đồ cơ sở dữ liệu (Alembic)")
    parser.add_argument("--database-url", help="mặc định: DATABASE_URL hoặc var/catalogue.db")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("upgrade", help="tạo hoặc nâng cấp lược đồ lên phiên bản mới nhất")
    down = sub.add_parser("downgrade", help="hạ lược đồ về một phiên bản (mất dữ liệu của các bảng bị xóa)")
    down.add_argument("revision", help="ví dụ 0003_dossiers, hoặc base")
    sub.add_parser("current", help="phiên bản hiện tại của lược đồ")
    args = parser.parse_args(argv)
    engine = make_engine(args.database_url or Settings.from_env().database_url)
    try:
        if args.command == "upgrade":
            migrate.upgrade(engine)
            print("Lược đồ cơ sở dữ liệu đã ở phiên bản mới nhất.")
        elif args.command == "downgrade":
            migrate.downgrade(engine, args.revision)
            print(f"Lược đồ đã hạ về {args.revision}.")
        else:
            with engine.connect() as connection:
                print(MigrationContext.configure(connection).get_current_revision() or "(trống)")
        return 0
    except SQLAlchemyError as exc:
        print(f"Lỗi cơ sở dữ liệu: {type(exc).__name__}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
