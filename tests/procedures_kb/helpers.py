"""Synthetic records in the national portal's format (generated, not copied)."""
from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Iterable, List

HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"
DOCS = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"


def national_record(code: str, name: str, levels: str = "Cấp xã", **extra) -> dict:
    record = {
        "ma_thu_tuc": code,
        "ten_thu_tuc": name,
        "so_quyet_dinh": "1/QĐ-TEST",
        "cap_thuc_hien": levels,
        "loai_thu_tuc": "TTHC được luật giao quy định chi tiết",
        "linh_vuc": "Lĩnh vực thử",
        "doi_tuong_thuc_hien": "Công dân Việt Nam",
        "co_quan_thuc_hien": "Ủy ban nhân dân cấp xã",
        "co_quan_co_tham_quyen": "",
        "dia_chi_tiep_nhan": "",
        "co_quan_duoc_uy_quyen": "",
        "co_quan_phoi_hop": "",
        "thu_tuc_lien_quan": "Không có thông tin",
        "trinh_tu_thuc_hien": "Bước 1: Nộp hồ sơ.\nBước 2: Nhận kết quả.",
        "cach_thuc_thuc_hien": HEADER + "Trực tiếp3 Ngày làm việc20,000 Việt Nam Đồng(Miễn cho hộ nghèo)"
        + "Trực tuyến3 Ngày làm việc10,000 Việt Nam Đồng",
        "thanh_phan_ho_so": "* Giấy tờ phải nộp:" + DOCS + "- Tờ khai theo mẫu1 bản chính- Ảnh 4x60 bản chính,2 bản sao",
        "can_cu_phap_ly": "Tên văn bản pháp lýMã văn bảnLuật thử nghiệm1/2024/QH15",
        "yeu_cau_dieu_kien": "Không có thông tin",
        "ket_qua_xu_ly": "Giấy chứng nhận thửMã: KQ.1Từ khóa",
        "detail_url": f"https://example.invalid/thu-tuc/{code}",
        "raw_text": "",
        "_source_group": "test",
    }
    record.update(extra)
    return record


def write_jsonl(path: Path, records: Iterable[dict], gz: bool = None) -> Path:
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    if gz if gz is not None else path.suffix == ".gz":
        with gzip.open(path, "wt", encoding="utf-8") as handle:
            handle.write(lines)
    else:
        path.write_text(lines, encoding="utf-8")
    return path


def sample_records() -> List[dict]:
    return [
        national_record("9.000001", "Thủ tục đăng ký thử nghiệm"),
        national_record("9.000002", "Cấp giấy phép thử nghiệm", levels="Cấp tỉnh"),
        national_record("9.000003", "Cấp giấy phép thử nghiệm (thực hiện tại cấp xã)", levels="Cấp xã"),
    ]
