"""Dòng lệnh danh mục thủ tục: import (nhập), search (tìm), show (xem), stats (đếm), redigest (tính lại bản tóm tắt trả lời).

    python -m procedures_kb import ../shared/catalogue/national_catalogue.jsonl.gz
    python -m procedures_kb import procedures_kb/data/curated --if-changed
    python -m procedures_kb search "lam so do"
    python -m procedures_kb show 1.001193
    python -m procedures_kb redigest [--all]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import List, Optional

from sqlalchemy.exc import OperationalError, SQLAlchemyError

from procedures_kb import repository
from procedures_kb.formatting import format_procedure
from procedures_kb.importer import (
    FORMAT_CURATED,
    FORMAT_NATIONAL,
    ImportFailed,
    detect_format,
    fingerprint,
    import_path,
    last_import,
    refresh_digests,
)
from procedures_kb.national_format import CODE_RE
from procedures_kb.paths import CURATED_DIR
from procedures_kb.search import SearchIndex
from settings import Settings
from storage import migrate
from storage.engine import make_engine, make_session_factory


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m procedures_kb", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="SQLAlchemy URL (mặc định: DATABASE_URL hoặc var/catalogue.db)")
    sub = parser.add_subparsers(dest="command", required=True)
    imp = sub.add_parser("import", help="nhập danh mục thủ tục (JSONL quốc gia hoặc YAML của dự án)")
    imp.add_argument("path", nargs="?", default=str(CURATED_DIR))
    imp.add_argument("--format", choices=[FORMAT_NATIONAL, FORMAT_CURATED])
    imp.add_argument("--no-progress", action="store_true")
    imp.add_argument("--if-changed", action="store_true",
                     help="bỏ qua nếu lần nhập gần nhất cùng định dạng đã nhập đúng nội dung này (so sha256)")
    search = sub.add_parser("search", help="tìm thủ tục theo câu hỏi")
    search.add_argument("query")
    search.add_argument("--limit", type=int, default=5)
    show = sub.add_parser("show", help="xem một thủ tục theo mã")
    show.add_argument("code")
    sub.add_parser("stats", help="số thủ tục trong cơ sở dữ liệu")
    redigest = sub.add_parser("redigest", help="tính lại bản tóm tắt trả lời (digest) đã cũ của các thủ tục")
    redigest.add_argument("--all", action="store_true", help="tính lại cho mọi thủ tục")
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    args = _parser().parse_args(argv)
    engine = make_engine(args.database_url or Settings.from_env().database_url)
    try:
        migrate.upgrade(engine)
        sessions = make_session_factory(engine)
        with sessions() as session:
            return _run(args, session)
    except ImportFailed as exc:
        print(f"Lỗi nhập dữ liệu: {exc}", file=sys.stderr)
        return 1
    except OperationalError as exc:
        print(f"Không kết nối được cơ sở dữ liệu: {exc.orig}", file=sys.stderr)
        return 2
    except SQLAlchemyError as exc:
        print(f"Lỗi cơ sở dữ liệu: {type(exc).__name__}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()


def _run(args: argparse.Namespace, session) -> int:
    if args.command == "import":
        path = Path(args.path)
        if args.if_changed and _unchanged(session, path, args.format or detect_format(path)):
            return 0
        result = import_path(session, path, args.format, show_progress=not args.no_progress and sys.stderr.isatty())
        print(f"Đã nhập {result.path} ({result.source_format}): "
              f"{result.created} thủ tục mới, {result.updated} thủ tục cập nhật.")
        print(result.coverage.report())
        return 0
    if args.command == "redigest":
        count = refresh_digests(session, everything=args.all)
        print(f"Đã tính lại bản tóm tắt trả lời cho {count} thủ tục." if count else "Bản tóm tắt trả lời của mọi thủ tục đã mới.")
        return 0
    if args.command == "stats":
        print(f"{repository.count_procedures(session)} thủ tục")
        return 0
    if args.command == "search":
        hits = SearchIndex.from_session(session).search(args.query, limit=max(1, min(args.limit, 50)))
        if not hits:
            print("Không tìm thấy thủ tục phù hợp.")
            return 0
        for rank, hit in enumerate(hits, start=1):
            levels = ", ".join(hit.levels)
            print(f"{rank}. {hit.code}  {hit.name}  [{levels}]  ({hit.score:.2f})")
            for alt in hit.alternatives[:4]:
                print(f"     cấp khác: {alt.code}  {alt.name}  [{', '.join(alt.levels)}]")
        return 0
    if args.command == "show":
        code = args.code.strip()
        if not CODE_RE.match(code):
            print(f"Mã thủ tục không hợp lệ: {code[:40]!r}. Mã có dạng 1.001193.", file=sys.stderr)
            return 1
        procedure = repository.get_procedure(session, code)
        if procedure is None:
            print(f"Không có thủ tục mã {code} trong cơ sở dữ liệu.", file=sys.stderr)
            return 1
        print(format_procedure(procedure))
        return 0
    return 1


def _unchanged(session, path: Path, source_format: str) -> bool:
    """True, after saying so, when the last import of this format read exactly this content."""
    if not path.exists():
        return False  # import_path reports the missing file
    try:
        current = fingerprint(path)
    except OSError as exc:
        raise ImportFailed(f"Không đọc được {path}: {exc.strerror or exc}") from exc
    last = last_import(session, source_format)
    if last is None or last.source_sha256 != current:
        return False
    print(f"Bỏ qua {path}: nội dung không đổi kể từ lần nhập trước "
          f"({last.records} thủ tục, lúc {last.finished_at:%d/%m/%Y %H:%M} UTC, sha256 {current[:12]}).")
    return True
