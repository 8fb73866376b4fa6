"""Write the template-based part of the NLU training data (bot/data/nlu/generated/<topic>.yml).

Question templates written for this project are filled with the everyday and
official names of many procedures (the curated catalogue's names and
everyday names, plus a list of other procedures below), then varied the way
citizens type: without diacritics, with abbreviations, with chatty or formal
openings. Hand-written examples live in bot/data/nlu/<topic>.yml; a generated
example already written by hand (compared folded) is left out. The test set
in tests/nlu/ is written separately and never generated from here.

Each intent's examples go to the file named like the domain file that
declares the intent (bot/domain/procedures.yml -> generated/procedures.yml).

    .venv/bin/python -m scripts.generate_nlu_data      (make nlu-data)
"""
from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Dict, List

import yaml

from vietnamese.folding import fold

ROOT = Path(__file__).resolve().parent.parent
DOMAIN_DIR = ROOT / "bot" / "domain"
NLU_DIR = ROOT / "bot" / "data" / "nlu"
GENERATED_DIR = NLU_DIR / "generated"
CURATED = ROOT / "procedures_kb" / "data" / "curated"
SEED = 20261122

# Procedures beyond the curated catalogue, in the words people use.
OTHER_PROCEDURES = """
đăng ký khai sinh lưu động
đăng ký khai tử lưu động
đăng ký kết hôn lưu động
đăng ký chấm dứt giám hộ
đăng ký giám sát việc giám hộ
đăng ký nuôi con nuôi
cấp giấy xác nhận có quốc tịch Việt Nam
thôi quốc tịch Việt Nam
nhập quốc tịch Việt Nam
cấp phiếu lý lịch tư pháp số 2
cấp giấy phép chặt hạ cây xanh
gia hạn giấy phép xây dựng
cấp lại giấy phép xây dựng
điều chỉnh giấy phép xây dựng
đính chính sổ đỏ
chuyển mục đích sử dụng đất
đăng ký thế chấp quyền sử dụng đất
xóa đăng ký thế chấp
khai lệ phí trước bạ nhà đất
khai thuế sử dụng đất phi nông nghiệp
khôi phục mã số thuế
chấm dứt hiệu lực mã số thuế
khai thuế hộ kinh doanh
hoàn thuế thu nhập cá nhân
quyết toán thuế thu nhập cá nhân
hưởng chế độ ốm đau
trợ cấp dưỡng sức sau sinh
hưởng lương hưu
chuyển nơi hưởng lương hưu
cấp lại sổ bảo hiểm xã hội
đổi chứng nhận đăng ký xe
thu hồi đăng ký biển số xe
đăng ký xe tạm thời
cấp giấy phép kinh doanh karaoke
cấp giấy chứng nhận đủ điều kiện an ninh trật tự
cấp giấy phép sử dụng pháo hoa
khai báo vũ khí thô sơ
cấp thị thực cho người nước ngoài
gia hạn tạm trú cho người nước ngoài
cấp thẻ tạm trú cho người nước ngoài
khai báo tạm trú cho người nước ngoài
cấp giấy thông hành biên giới
mở khóa tài khoản định danh điện tử
điều chỉnh thông tin trong cơ sở dữ liệu dân cư
tích hợp thông tin lên thẻ căn cước
cấp giấy chứng nhận căn cước
đăng ký hợp tác xã
thành lập doanh nghiệp tư nhân
cấp giấy chứng nhận an toàn thực phẩm
cấp giấy phép xả thải
đăng ký tàu cá
cấp giấy phép khai thác thủy sản
kiểm dịch động vật
cấp chứng chỉ hành nghề môi giới bất động sản
đăng ký phương tiện thủy nội địa
cấp giấy phép lái tàu
""".strip().splitlines()

# Names in the official style of the national catalogue's long tail (written here, not taken from it): the
# formal questions below name them, so that a long unfamiliar name in a formal frame ("Kiểm tra nhà nước về
# chất lượng ...", "Hồ sơ đề nghị ...") is read as a question about a procedure, not a dossier look-up.
FORMAL_STYLE_NAMES = """
Kiểm tra nhà nước về chất lượng hàng hóa nhập khẩu
Kiểm tra nhà nước về an toàn thực phẩm đối với thực phẩm nhập khẩu
Cấp Giấy chứng nhận đủ điều kiện kinh doanh dịch vụ bảo vệ
Cấp lại Giấy chứng nhận đủ điều kiện sản xuất phân bón
Cấp giấy phép hoạt động khoáng sản
Gia hạn Giấy phép khai thác nước dưới đất
Thẩm định báo cáo đánh giá tác động môi trường
Phê duyệt phương án cải tạo, phục hồi môi trường
Công nhận trường trung học đạt chuẩn quốc gia
Cho phép trường tiểu học hoạt động giáo dục
Thành lập trung tâm học tập cộng đồng
Cấp chứng chỉ hành nghề khám bệnh, chữa bệnh
Cấp giấy phép hoạt động đối với phòng khám đa khoa
Công bố cơ sở đủ điều kiện thực hiện tiêm chủng
Cấp Giấy xác nhận nội dung quảng cáo thực phẩm
Đăng ký hoạt động của văn phòng công chứng
Thu hồi quyết định cho phép thành lập văn phòng công chứng
Cấp giấy phép thành lập quỹ xã hội, quỹ từ thiện
Công nhận ban vận động thành lập hội
Cho phép tổ chức lễ hội cấp tỉnh
Cấp giấy phép tổ chức triển lãm
Cấp phép nhập khẩu văn hóa phẩm không nhằm mục đích kinh doanh
Xác nhận đăng ký hoạt động tôn giáo
Chấp thuận chủ trương đầu tư dự án
Điều chỉnh Giấy chứng nhận đăng ký đầu tư
Cấp giấy phép sử dụng tần số vô tuyến điện
Cấp phép xây dựng công trình viễn thông
Cấp giấy phép vận tải đường bộ quốc tế
Cấp Giấy chứng nhận an toàn kỹ thuật phương tiện thủy nội địa
Cấp chứng chỉ chuyên môn thuyền viên
Giao đất, cho thuê đất không thông qua đấu giá quyền sử dụng đất
Thu hồi đất do vi phạm pháp luật về đất đai
Xác định lại diện tích đất ở
Cấp Giấy phép khai thác, sử dụng tài nguyên nước mặt
Hỗ trợ đầu tư cơ sở hạ tầng vùng nuôi trồng thủy sản
Xác nhận nguồn gốc lâm sản
Phê duyệt phương án quản lý rừng bền vững
Cấp giấy phép nhập khẩu giống cây trồng
Trợ giúp xã hội khẩn cấp về hỗ trợ làm nhà ở
Công nhận hộ nghèo, hộ cận nghèo phát sinh trong năm
Giải quyết chế độ trợ cấp một lần đối với thân nhân người có công
Xác nhận người có công với cách mạng
Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam
Đăng ký nội quy lao động của doanh nghiệp
Cấp lại chứng chỉ hành nghề kiến trúc
Điều chỉnh giấy phép hoạt động xây dựng của nhà thầu nước ngoài
Cấp giấy phép kinh doanh dịch vụ lữ hành quốc tế
Công nhận hạng cơ sở lưu trú du lịch
Đăng ký tổ chức thi đấu thể thao quần chúng
Cấp giấy chứng nhận đăng ký hoạt động khoa học và công nghệ
Đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ
Cấp giấy phép tiến hành công việc bức xạ
Miễn nhiệm thừa phát lại
Bổ nhiệm giám định viên tư pháp
Giải quyết khiếu nại lần đầu
Tiếp công dân tại cấp xã
Giải quyết tố cáo tại cấp tỉnh
Giải quyết yêu cầu bồi thường tại cơ quan trực tiếp quản lý người thi hành công vụ
Hoàn thuế giá trị gia tăng đối với dự án đầu tư
Miễn tiền thuê đất đối với dự án ưu đãi đầu tư
""".strip().splitlines()

TEMPLATES: Dict[str, List[str]] = {
    "ask_documents": [
        "muốn {p} thì cần nộp những gì",
        "{p} phải mang giấy gì theo",
        "làm {p} thì chuẩn bị giấy tờ như nào",
        "{p} cần nộp giấy gì",
        "hồ sơ để {p} có những loại giấy nào",
        "{p} cần bản chính những giấy nào",
        "đi làm {p} có cần mang căn cước không",
        "{p} thì phải có những giấy gì trong tay",
        "em cần chuẩn bị gì khi đi {p}",
        "{p} nộp kèm những giấy tờ gì",
        "{p} cần giấy tờ gì",
        "{p} cần những giấy tờ gì",
        "hồ sơ {p} gồm những gì",
        "thành phần hồ sơ {p}",
        "làm {p} cần mang theo gì",
        "muốn {p} thì phải chuẩn bị giấy tờ gì",
        "giấy tờ cần có để {p}",
        "{p} phải nộp những giấy tờ nào",
        "chuẩn bị hồ sơ {p} như thế nào",
        "đi {p} cần mang những gì",
        "{p} cần bản sao hay bản chính",
        "hồ sơ {p} cần mấy bộ",
        "{p} có cần photo công chứng giấy tờ không",
    ],
    "ask_procedure": [
        "tôi muốn {p} để {u}",
        "mình cần {p} để {u}, làm thế nào",
        "em định {p} để {u}",
        "làm {p} như nào",
        "{p} ra sao",
        "thủ tục {p} ra sao",
        "tôi cần {p}",
        "em cần {p} thì làm thế nào",
        "{p} xong thì làm tiếp thế nào",
        "{p} thì làm như nào ạ",
        "muốn {p} thì làm những gì",
        "{p} thì phải làm gì bây giờ",
        "bị mất giấy nên muốn {p}, làm sao",
        "mình đang cần {p} gấp",
        "{p} thì làm thế nào cho nhanh",
        "tôi chưa biết {p} bắt đầu từ đâu",
        "nhờ hướng dẫn {p} từ đầu",
        "mình định {p} mà không biết làm sao",
        "{p} là làm gì",
        "có ai chỉ giúp {p} không",
        "giờ muốn {p} thì tính sao",
        "hướng dẫn thủ tục {p}",
        "thủ tục {p} như thế nào",
        "làm {p} thế nào",
        "tôi muốn {p}",
        "{p} làm sao",
        "cách {p}",
        "tư vấn giúp tôi thủ tục {p}",
        "tôi cần làm thủ tục {p}",
        "thủ tục {p}",
        "muốn {p} thì làm thế nào",
        "{p} thì phải làm gì",
    ],
    "ask_fee": [
        "{p} tính phí thế nào",
        "{p} thu phí theo trang hay theo bản",
        "{p} hết khoảng bao nhiêu",
        "{p} có tốn phí gì không",
        "{p} đóng bao nhiêu tiền",
        "làm {p} thì mất phí bao nhiêu",
        "{p} có phải nộp tiền không",
        "giá làm {p} bao nhiêu",
        "{p} miễn phí hay có thu phí",
        "{p} hết bao nhiêu tiền",
        "lệ phí {p} là bao nhiêu",
        "{p} có mất phí không",
        "phí {p} bao nhiêu",
        "{p} tốn bao nhiêu tiền",
        "làm {p} mất bao nhiêu tiền",
        "{p} có được miễn phí không",
        "chi phí {p}",
        "nộp lệ phí {p} bao nhiêu",
        "mức thu lệ phí {p}",
    ],
    "ask_processing_time": [
        "{p} mấy hôm thì có",
        "{p} bao lâu thì lấy được",
        "{p} có lâu không",
        "{p} phải chờ bao nhiêu ngày",
        "{p} bao giờ thì nhận",
        "nộp {p} hôm nay thì khi nào có",
        "{p} làm xong trong bao lâu",
        "{p} thường mất mấy ngày làm việc",
        "{p} mất bao lâu",
        "{p} bao lâu thì có kết quả",
        "thời gian giải quyết {p}",
        "{p} mấy ngày thì xong",
        "làm {p} bao nhiêu ngày",
        "nộp hồ sơ {p} bao lâu thì nhận",
        "thời hạn giải quyết {p} là bao lâu",
        "{p} có làm nhanh được không",
        "bao giờ thì có kết quả {p}",
        "{p} trong ngày có được không",
    ],
    "ask_where": [
        "{p} ở chỗ nào",
        "{p} thì nộp giấy tờ ở đâu",
        "làm {p} thì ra đâu",
        "{p} thì lên phường hay lên tỉnh",
        "{p} làm ở công an hay ở ủy ban",
        "{p} có làm ở nơi tạm trú được không",
        "địa chỉ nộp hồ sơ {p}",
        "{p} làm ở bộ phận một cửa nào",
        "{p} nộp ở đâu",
        "làm {p} ở đâu",
        "cơ quan nào giải quyết {p}",
        "nộp hồ sơ {p} tại đâu",
        "{p} thì đến đâu làm",
        "đi đâu để {p}",
        "{p} làm ở xã hay ở tỉnh",
        "{p} có làm ở phường được không",
        "nơi tiếp nhận hồ sơ {p}",
        "{p} nộp ở công an hay ủy ban",
    ],
    "ask_steps": [
        "{p} làm theo những bước nào",
        "trình tự {p} ra sao",
        "{p} thì làm bước nào trước",
        "thứ tự các bước {p}",
        "{p} quy trình gồm mấy bước",
        "các bước {p}",
        "quy trình {p}",
        "trình tự thực hiện {p}",
        "{p} gồm những bước nào",
        "các bước thực hiện {p} như thế nào",
        "quy trình giải quyết {p} ra sao",
        "trình tự các bước {p}",
        "{p} phải làm những bước gì",
    ],
    "ask_online": [
        "{p} qua mạng được không",
        "có làm {p} online không",
        "{p} có thể làm tại nhà qua điện thoại không",
        "làm {p} trên cổng dịch vụ công thế nào",
        "{p} có bắt buộc đến nộp trực tiếp không",
        "{p} nộp trực tuyến như thế nào",
        "{p} đăng ký qua app được không",
        "{p} làm online được không",
        "có thể nộp {p} trực tuyến không",
        "{p} nộp qua dịch vụ công được không",
        "làm {p} trên vneid được không",
        "{p} có làm online được không",
        "nộp hồ sơ {p} qua mạng được không",
        "{p} có dịch vụ công trực tuyến không",
        "đăng ký online {p} thế nào",
        "{p} có cần đến trực tiếp không",
        "{p} có gửi qua bưu điện được không",
    ],
    "ask_form": [
        "{p} tải tờ khai ở đâu",
        "tờ khai {p} mẫu nào",
        "{p} điền mẫu đơn gì",
        "xin file mẫu đơn {p}",
        "giấy đề nghị {p} lấy ở đâu",
        "{p} khai vào mẫu số mấy",
        "download mẫu {p}",
        "mẫu đơn {p}",
        "tờ khai {p} lấy ở đâu",
        "tải mẫu tờ khai {p}",
        "{p} dùng mẫu nào",
        "cho xin mẫu tờ khai {p}",
        "mẫu tờ khai {p} là mẫu số mấy",
        "biểu mẫu {p}",
        "mẫu đơn đề nghị {p} ở đâu",
    ],
    "ask_requirements": [
        "{g} có được {p} không",
        "{g} thì có {p} được không",
        "không có giấy tờ gì thì có {p} được không",
        "{p} có yêu cầu diện tích tối thiểu không",
        "bao nhiêu tuổi thì được {p}",
        "{p} có cần đủ 18 tuổi không",
        "{p} có được không khi chưa đủ tuổi",
        "ai thì được {p}",
        "có phải ai cũng được {p} không",
        "{p} cần đáp ứng những gì",
        "{p} có điều kiện về diện tích không",
        "đóng bao lâu thì được {p}",
        "trường hợp của tôi có được {p} không",
        "chưa có giấy tờ thì có được {p} không",
        "người nước ngoài có được {p} không",
        "{p} thì cần đủ bao nhiêu tuổi",
        "điều kiện {p}",
        "ai được {p}",
        "{p} cần điều kiện gì",
        "đối tượng nào được {p}",
        "muốn {p} phải đáp ứng điều kiện gì",
        "{p} có yêu cầu gì không",
        "trường hợp nào được {p}",
        "{p} có giới hạn độ tuổi không",
    ],
    "ask_legal_basis": [
        "{p} quy định ở đâu trong luật",
        "{p} áp dụng theo nghị định nào",
        "văn bản pháp luật về {p}",
        "{p} căn cứ vào đâu",
        "căn cứ pháp lý {p}",
        "{p} theo luật nào",
        "văn bản nào quy định {p}",
        "nghị định nào quy định về {p}",
        "cơ sở pháp lý của thủ tục {p}",
        "{p} được quy định ở thông tư nào",
        "luật nào quy định {p}",
    ],
    "ask_result": [
        "{p} thì được cấp giấy gì",
        "{p} xong được giấy gì",
        "làm {p} thì nhận được giấy tờ gì",
        "{p} xong thì nhận lại cái gì",
        "kết quả của {p} là giấy gì",
        "{p} xong thì được cấp những giấy gì",
        "làm {p} xong có được cấp giấy không",
        "{p} nhận được gì",
        "sau {p} được cấp giấy tờ gì",
        "{p} xong có sổ không",
        "{p} xong được nhận gì",
        "kết quả {p} là gì",
        "làm {p} xong nhận giấy gì",
        "{p} được cấp giấy gì",
        "sau khi {p} thì được cấp gì",
        "kết quả giải quyết {p} là giấy tờ gì",
        "{p} nhận kết quả ở đâu",
    ],
    # A procedure's name alone: asks about it (an overview); `inform` is a bare code or digits.
    "bare_name": [
        "{p}",
        "thủ tục {p}",
        "tôi hỏi về {p}",
        "về {p}",
        "{p} ạ",
        "là {p}",
    ],
}

PREFIXES = ["", "", "", "cho mình hỏi ", "ad ơi ", "xin hỏi ", "cho em hỏi ", "chị ơi ", "anh ơi cho hỏi ", "bạn ơi ", "tôi muốn hỏi ",
            "nhờ ad tư vấn ", "mình hỏi chút ", "dạ cho em hỏi là ", "em chào ad, "]
CONTEXTS = ["nhà em ở quê, ", "tôi đang đi làm xa, ", "mình mới chuyển nhà, ", "con tôi năm nay 16 tuổi, ",
            "bố mẹ tôi già rồi, ", "em là sinh viên, ", "tôi đang ở nước ngoài, ", "vợ chồng tôi mới cưới, ",
            "tôi làm công nhân ở khu công nghiệp, ", "mẹ em mới mất, ", "tuần sau tôi cần gấp, ",
            "tôi bị mất ví hôm qua, ", "nhà tôi có mảnh đất ở quê, ", "tôi 60 tuổi rồi, "]
SUFFIXES = ["", "", "", " ạ", " vậy", " nhé", " với", "?", " ạ?", " thế"]
FORMAL = [
    "Kính gửi quý cơ quan, đề nghị cho biết {q}",
    "Tôi xin hỏi về {q}",
    "Đề nghị hướng dẫn giúp tôi {q}",
]

# How the national portal's FAQ and official letters ask (issue 12): the official name inside a formal frame.
# "Hồ sơ đề nghị <tên>" asks for the documents; it is not a dossier look-up.
FORMAL_QUESTIONS: Dict[str, List[str]] = {
    "ask_documents": ["Hồ sơ đề nghị {p} gồm những giấy tờ gì", "Thành phần, số lượng hồ sơ {p}",
                      "Hồ sơ {p} bao gồm những gì", "Khi thực hiện thủ tục {p} cần nộp hồ sơ gồm những gì",
                      "Hồ sơ đề nghị {p} gồm những gì", "Hồ sơ {p} gồm", "Thành phần hồ sơ thủ tục {p}"],
    "ask_where": ["Thẩm quyền giải quyết thủ tục {p}", "Cơ quan nào có thẩm quyền giải quyết {p}",
                  "Cơ quan thực hiện thủ tục {p} là cơ quan nào", "Nộp hồ sơ {p} tại cơ quan nào",
                  "Thẩm quyền giải quyết {p} thuộc cơ quan nào"],
    "ask_fee": ["Quy định về phí, lệ phí của thủ tục {p}", "Phí, lệ phí khi thực hiện {p} là bao nhiêu",
                "Mức thu lệ phí {p}", "Quy định về lệ phí {p}"],
    "ask_requirements": ["Đối tượng thực hiện thủ tục {p}", "Yêu cầu, điều kiện thực hiện thủ tục {p}",
                         "Đối tượng nào được thực hiện {p}", "Điều kiện để được {p}", "Đối tượng thực hiện {p}",
                         "Thủ tục {p} cần đáp ứng yêu cầu, điều kiện gì"],
    "ask_processing_time": ["Thời hạn giải quyết thủ tục {p}", "Thời gian giải quyết {p} là bao lâu",
                            "Thời hạn giải quyết hồ sơ {p} là bao nhiêu ngày"],
    "ask_steps": ["Trình tự thực hiện thủ tục {p}", "Các bước thực hiện {p}", "Trình tự, thủ tục {p} như thế nào",
                  "Cách thức thực hiện thủ tục {p}", "Trình tự thực hiện {p}"],
    "ask_legal_basis": ["Căn cứ pháp lý của thủ tục {p}", "Văn bản quy phạm pháp luật quy định thủ tục {p}",
                        "Thủ tục {p} được quy định tại văn bản nào"],
    "ask_result": ["Kết quả thực hiện thủ tục {p}", "Kết quả giải quyết {p} là gì",
                   "Thực hiện xong {p} thì được cấp giấy gì"],
    "ask_online": ["Thủ tục {p} có thực hiện trực tuyến không", "Có thể nộp hồ sơ {p} qua dịch vụ công trực tuyến không"],
    "ask_form": ["Mẫu đơn, tờ khai của thủ tục {p}", "Tờ khai {p} theo mẫu nào", "Mẫu đơn đề nghị {p}"],
}
FORMAL_PER_INTENT = 30
# Formal questions over the official-style names above, per intent.
FORMAL_STYLE_PER_INTENT = 12
# Official-style names alone, of the names above (the curated names alone are the bare-name examples).
FORMAL_STYLE_BARE = 40

ABBREVIATE = [
    (r"\bđăng ký\b", ["đk", "dk", "đky"]),
    (r"\bkhông\b", ["ko", "k", "hông"]),
    (r"\bđược\b", ["dc", "đc"]),
    (r"\bhồ sơ\b", ["hs"]),
    (r"\bcăn cước công dân\b", ["cccd"]),
    (r"\bgiấy phép lái xe\b", ["gplx"]),
    (r"\bnhư thế nào\b", ["ntn"]),
    (r"\bbao nhiêu\b", ["bn"]),
    (r"\bgì\b", ["j", "gi"]),
    (r"\bthủ tục\b", ["tt"]),
    (r"\bbảo hiểm xã hội\b", ["bhxh"]),
    (r"\bmã số thuế\b", ["mst"]),
    (r"\blý lịch tư pháp\b", ["lltp"]),
]

SMALLTALK = {
    "greet": ["xin chào", "chào bạn", "chào ad", "alo", "hello", "hi", "chào buổi sáng", "ad ơi", "bot ơi",
              "chào em", "em chào anh chị", "có ai không", "chào trợ lý", "hế lô", "chào buổi chiều", "alo alo"],
    "goodbye": ["tạm biệt", "bye", "chào nhé", "hẹn gặp lại", "thôi mình đi đây", "bai bai", "tôi không hỏi nữa",
                "vậy thôi nhé", "chào tạm biệt", "hết rồi cảm ơn, tạm biệt", "mình out đây"],
    "thank": ["cảm ơn", "cám ơn bạn", "cảm ơn nhiều", "thanks", "thank you", "ok cảm ơn ad", "tks", "hay quá cảm ơn",
              "cảm ơn em nhé", "rất cảm ơn", "cám ơn nhiều lắm", "thanks ad", "cảm ơn bạn đã giúp"],
    "affirm": ["đúng rồi", "đúng", "ừ", "vâng", "dạ vâng", "ok", "đồng ý", "chính xác", "phải", "dạ đúng",
               "có", "ừ đúng thế", "được", "ok luôn", "chuẩn rồi", "đúng vậy", "yes", "oke"],
    "deny": ["không", "không phải", "sai rồi", "không đúng", "không phải cái đó", "ko phải", "chưa đúng",
             "không cần", "thôi không", "nhầm rồi", "không phải thủ tục đó", "no"],
    "bot_challenge": ["bạn là người hay máy", "bạn là bot à", "đây có phải người thật không", "bạn là ai",
                      "tôi đang nói chuyện với ai vậy", "bạn có phải robot không", "có người thật trực không",
                      "bạn là trí tuệ nhân tạo à", "em là máy hả", "ai đang trả lời tôi vậy"],
    "ask_capabilities": ["bạn làm được gì", "bạn giúp được gì cho tôi", "bạn hỗ trợ những gì", "tôi có thể hỏi gì",
                         "trợ lý này dùng để làm gì", "hướng dẫn cách dùng", "bạn biết những thủ tục nào",
                         "bạn trả lời được những câu hỏi gì", "có thể hỏi bạn về cái gì", "chức năng của bạn là gì"],
    "request_human": ["cho tôi gặp cán bộ", "tôi muốn nói chuyện với người thật", "chuyển cho nhân viên",
                      "gặp tổng đài viên", "cho gặp cán bộ một cửa", "tôi cần người hỗ trợ trực tiếp",
                      "nối máy cho cán bộ giúp tôi", "có cán bộ nào trực không", "tôi muốn gặp người phụ trách",
                      "chuyển sang nhân viên tư vấn", "gọi giúp tôi cán bộ", "bot không hiểu, cho gặp người",
                      "tôi muốn khiếu nại với cán bộ", "cho xin số điện thoại cán bộ", "liên hệ cán bộ thế nào"],
    "out_of_scope": ["hôm nay thời tiết thế nào", "kể chuyện cười đi", "giá vàng hôm nay bao nhiêu",
                     "đặt cho tôi vé máy bay", "tỉ số trận bóng tối qua", "bạn thích ăn gì", "viết giúp tôi bài văn",
                     "cho tôi số đề hôm nay", "mua điện thoại nào tốt", "nấu phở thế nào", "bitcoin lên hay xuống",
                     "hát một bài đi", "bạn có người yêu chưa", "dịch câu này sang tiếng anh", "tư vấn chứng khoán",
                     "tìm nhà hàng gần đây", "cách giảm cân nhanh", "xem phim gì hay", "ngày mai có mưa không",
                     "giải bài toán này giúp tôi", "tỷ giá đô la hôm nay", "làm sao để giàu", "mấy giờ rồi",
                     "kể về lịch sử việt nam", "công thức làm bánh mì", "cách chơi game liên quân",
                     "bệnh cảm cúm uống thuốc gì", "mua bảo hiểm nhân thọ nào tốt", "lãi suất ngân hàng nào cao nhất",
                     "đặt grab giúp tôi", "review điện thoại iphone"],
}

STATUS_TEMPLATES = [
    "hồ sơ của tôi đến đâu rồi", "tra cứu hồ sơ", "kiểm tra tình trạng hồ sơ", "hồ sơ {c} đã xong chưa",
    "mã hồ sơ {c}", "tra cứu hồ sơ {c}", "hồ sơ {c} đang ở đâu", "cho tôi kiểm tra hồ sơ số {c}",
    "hồ sơ của tôi đã có kết quả chưa", "bao giờ hồ sơ của tôi xong", "tôi nộp hồ sơ tuần trước giờ sao rồi",
    "xem tiến độ hồ sơ {c}", "hồ sơ {c} bị trễ hẹn à", "sao hồ sơ của tôi lâu thế", "tình trạng hồ sơ {c}",
    "hồ sơ nộp online của tôi đã được duyệt chưa", "kiểm tra giúp hồ sơ {c}", "tra hồ sơ mã {c}",
    "hồ sơ đã quá hạn mà chưa có kết quả", "hồ sơ của tôi đang ở khâu nào", "hồ sơ {c} đang xử lý ở bước nào",
    "hồ sơ đang nằm ở phòng nào rồi", "hồ sơ của mình đang chờ ai ký", "hồ sơ của tôi có phải bổ sung giấy tờ không", "hồ sơ bị trả về để bổ sung à",
    "cán bộ có yêu cầu bổ sung hồ sơ {c} không", "hồ sơ {c} bị từ chối vì sao", "hồ sơ của tôi bị tạm dừng à", "tôi muốn biết hồ sơ của mình xử lý đến đâu",
    "đã đến ngày hẹn chưa nhận được kết quả", "hồ sơ {c} có phải bổ sung gì không", "check hồ sơ {c}",
]

DIGITS_INFORM = ["{d}", "số cuối là {d}", "4 số cuối {d}", "{d} ạ", "bốn số cuối là {d}", "sđt đuôi {d}", "đuôi {d}"]


MORE_SMALLTALK = {'greet': ['chào anh chị', 'xin chào buổi tối', 'chào cán bộ', 'chào bạn nhé', 'hello ad', 'dạ em chào', 'chào', 'hí ad', 'xin chào ạ', 'chào trợ lý ảo', 'alo ad ơi', 'good morning'], 'goodbye': ['thôi chào nhé', 'chào ad mình đi', 'bye bye', 'hẹn gặp lại sau', 'mình xin phép', 'tạm biệt ad', 'hết việc rồi, chào', 'chúc một ngày tốt lành', 'thôi nha', 'để mai mình hỏi tiếp, chào'], 'thank': ['cảm ơn ad nhiều', 'thank ad', 'cám ơn nhé', 'ok thanks', 'cảm ơn đã trả lời', 'dạ em cảm ơn', 'vâng cảm ơn', 'cảm ơn, rất hữu ích', 'tuyệt, cảm ơn nha', 'cảm ơn trợ lý', 'thanks nhiều'], 'affirm': ['đúng thủ tục đó', 'phải rồi', 'chuẩn', 'ok đúng', 'vâng đúng rồi', 'dạ phải', 'đúng cái đó', 'đúng ý tôi', 'ừ', 'ờ đúng', 'có, đúng vậy', 'chính nó', 'đúng là nó'], 'deny': ['không phải vậy', 'không phải ý tôi', 'sai', 'không, cái khác', 'không đúng thủ tục', 'không phải đâu', 'nhầm rồi bạn', 'k phải', 'hông phải', 'không, tôi hỏi cái khác', 'chưa phải'], 'bot_challenge': ['bạn có phải là người không', 'đây là máy trả lời à', 'bạn là chatbot hả', 'người hay máy vậy', 'có phải tổng đài tự động không', 'mình đang nói chuyện với máy à', 'bạn là ai vậy'], 'ask_capabilities': ['bạn biết làm gì', 'bạn tư vấn được những gì', 'trợ lý hỗ trợ được gì', 'mình hỏi được những gì', 'bạn giúp được việc gì', 'có thể hỏi những gì ở đây', 'bạn làm được những việc gì', 'bạn trả lời được gì', 'bạn biết những gì về thủ tục', 'dùng trợ lý này thế nào'], 'request_human': ['cho gặp người thật', 'tôi muốn gặp nhân viên', 'chuyển máy cho cán bộ', 'nói chuyện với cán bộ được không', 'kết nối với tổng đài viên', 'cho xin gặp chuyên viên', 'tôi cần cán bộ tư vấn trực tiếp', 'bot trả lời sai, cho gặp người', 'gọi cán bộ giúp tôi', 'có ai là người thật không, cho tôi gặp', 'cần nhân viên hỗ trợ gấp', 'nhờ cán bộ xử lý giúp'], 'out_of_scope': ['thời tiết hà nội mai thế nào', 'kết quả xổ số hôm qua', 'hôm nay ăn gì', 'giá xăng hôm nay', 'đội tuyển việt nam đá với ai', 'nên mua xe máy hãng nào', 'viết thơ tình giúp tôi', 'bài hát nào đang hot', 'kể chuyện ma', 'cách nấu bún bò', 'giá cà phê hôm nay', 'mua vé xem phim ở đâu', 'giá đất ở hà nội bao nhiêu một mét', 'cách trồng rau sạch', 'học tiếng anh ở đâu tốt', 'cách sửa máy giặt', 'chơi gì ở đà lạt', 'tư vấn mua laptop', 'bạn bao nhiêu tuổi', 'hôm nay là ngày bao nhiêu âm lịch', 'bói tình yêu cho tôi', 'làm sao để ngủ ngon', 'giá bitcoin', 'đặt đồ ăn giúp tôi', 'trận chung kết mấy giờ', 'nên đầu tư vàng hay đất', 'cách làm trà sữa', 'kể chuyện cổ tích', 'ai là người giàu nhất thế giới', 'tỷ giá yên nhật', 'chỉ đường đến hồ gươm', 'tính giúp 15 nhân 37', 'nuôi chó giống gì dễ', 'cách chữa đau đầu', 'mua quà sinh nhật gì cho mẹ']}
MORE_SMALLTALK["greet"] += ['chào ad, cho em hỏi chút', 'xin chào, mình muốn hỏi', 'chào bạn, mình cần hỏi một chút', 'chào ad ơi', 'chào em, cho anh hỏi']
MORE_SMALLTALK["bot_challenge"] += ['bạn là nhân viên thật à', 'bạn có phải cán bộ không', 'người trả lời là cán bộ hay máy']
for _intent, _examples in MORE_SMALLTALK.items():
    SMALLTALK[_intent].extend(_examples)


PURPOSES = ["đi du lịch", "đi học", "xin việc", "vay ngân hàng", "mua nhà", "đi xuất khẩu lao động", "bán đất",
            "cho con đi học", "làm hồ sơ du học", "mở cửa hàng"]
GROUPS = ["trẻ em", "người nước ngoài", "người chưa đủ 18 tuổi", "sinh viên", "người già", "người khuyết tật",
          "việt kiều", "người thuê nhà", "hộ nghèo", "con dưới 14 tuổi", "người đang ở nước ngoài"]


def dossier_code(rng: random.Random) -> str:
    agency = f"{rng.randint(0, 999):03d}.{rng.randint(0, 99):02d}.{rng.randint(0, 99):02d}.{rng.choice('HGKXT')}{rng.randint(10, 99)}"
    date = f"{rng.randint(22, 26):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    code = f"{agency}-{date}-{rng.randint(1, 9999):04d}"
    style = rng.random()
    if style < 0.2:
        return code.lower()
    if style < 0.35:
        return code.replace(".", "").replace("-", "")
    if style < 0.5:
        return code.replace(".", " ").replace("-", " ")
    return code


# Bare names added to the curated everyday names for the search and the entity extractor (issue 12: "khai
# sinh" alone starts an overview); kept out of the templates so that a bare name is never a training example.
SEARCH_ONLY_ALIASES = frozenset({"khai sinh", "kết hôn", "tạm trú", "thường trú"})


def procedures() -> List[str]:
    names: List[str] = []
    for file in sorted(CURATED.glob("*.yml")):
        for entry in yaml.safe_load(file.read_text(encoding="utf-8"))["procedures"]:
            names.extend(a for a in entry.get("aliases") or [] if a not in SEARCH_ONLY_ALIASES)
            short = re.sub(r"^thủ tục ", "", entry["name"].lower())
            short = re.sub(r"\s*\(.*?\)\s*", " ", short).strip()
            if len(short.split()) <= 9:
                names.append(short)
    names.extend(OTHER_PROCEDURES)
    # Everyday names phrased as questions ("xây nhà có cần xin phép") do not fit the templates.
    question_words = re.compile(r"\b(có cần|cần gì|làm gì|thế nào|bao nhiêu|làm sao|ở đâu|phải làm)\b")
    return [n for n in dict.fromkeys(n.strip() for n in names) if n and not question_words.search(n)]


def official_names() -> List[str]:
    """The curated procedures' official names (level and "Thủ tục" aside) and the other procedures listed above."""
    names: List[str] = []
    for file in sorted(CURATED.glob("*.yml")):
        for entry in yaml.safe_load(file.read_text(encoding="utf-8"))["procedures"]:
            name = re.sub(r"^thủ tục ", "", entry["name"], flags=re.IGNORECASE)
            names.append(re.sub(r"\s*\(.*?\)\s*", " ", name).strip())
    names.extend(OTHER_PROCEDURES)
    return [n for n in dict.fromkeys(names) if n]


def abbreviate(text: str, rng: random.Random) -> str:
    changed = text
    for pattern, options in ABBREVIATE:
        if re.search(pattern, changed) and rng.random() < 0.8:
            changed = re.sub(pattern, rng.choice(options), changed)
    return changed


def variants(text: str, rng: random.Random) -> List[str]:
    """The sentence as written, and sometimes without diacritics or abbreviated."""
    out = [text]
    roll = rng.random()
    if roll < 0.4:
        out.append(fold(text) if rng.random() < 0.7 else fold(abbreviate(text, rng)))
    elif roll < 0.6:
        out.append(abbreviate(text, rng))
    return out


def decorate(question: str, rng: random.Random) -> str:
    if rng.random() < 0.06:
        return rng.choice(FORMAL).format(q=question)
    context = rng.choice(CONTEXTS) if rng.random() < 0.15 else ""
    return f"{rng.choice(PREFIXES)}{context}{question}{rng.choice(SUFFIXES)}".strip()


def generate() -> Dict[str, List[str]]:
    rng = random.Random(SEED)
    names = procedures()
    data: Dict[str, List[str]] = {intent: [] for intent in [i for i in TEMPLATES if i != "bare_name"] + list(SMALLTALK)
                                  + ["check_dossier_status", "inform"]}
    per_intent = {"bare_name": 90, "ask_procedure": 200, "ask_documents": 200}
    for intent, templates in TEMPLATES.items():
        for _ in range(per_intent.get(intent, 160)):
            name = rng.choice(names)
            question = rng.choice(templates).format(p=name, g=rng.choice(GROUPS), u=rng.choice(PURPOSES))
            if intent != "bare_name":
                question = decorate(question, rng)
            data["ask_procedure" if intent == "bare_name" else intent].extend(variants(question, rng))
    for _ in range(45):
        data["inform"].append(dossier_code(rng))
    for _ in range(35):
        data["inform"].append(rng.choice(DIGITS_INFORM).format(d=f"{rng.randint(0, 9999):04d}"))
    for intent, examples in SMALLTALK.items():
        for example in examples:
            data[intent].append(example)
            if rng.random() < 0.5:
                data[intent].append(fold(example))
    for _ in range(120):
        template = rng.choice(STATUS_TEMPLATES)
        question = decorate(template.format(c=dossier_code(rng)), rng)
        data["check_dossier_status"].extend(variants(question, rng))
    formal = random.Random(SEED + 1)  # its own sequence: the examples above stay as they were
    names = official_names()
    for intent, templates in FORMAL_QUESTIONS.items():
        for _ in range(FORMAL_PER_INTENT):
            question = formal.choice(templates).format(p=formal.choice(names)) + formal.choice(["", "?", " ạ?"])
            data[intent].extend(variants(question, formal))
    styled = random.Random(SEED + 2)  # its own sequence again: everything above stays as it was
    for intent, templates in FORMAL_QUESTIONS.items():
        for _ in range(FORMAL_STYLE_PER_INTENT):
            question = styled.choice(templates).format(p=styled.choice(FORMAL_STYLE_NAMES))
            data[intent].extend(variants(question + styled.choice(["", "?", " ạ?"]), styled))
    # An official name alone asks about that procedure ("Kiểm tra nhà nước về chất lượng ..." is no look-up).
    for name in styled.sample(FORMAL_STYLE_NAMES, FORMAL_STYLE_BARE):
        data["ask_procedure"].extend(variants(name, styled))
    return data


def intent_topics(domain_dir: Path = DOMAIN_DIR) -> Dict[str, str]:
    """Intent name -> topic: the stem of the bot/domain/<topic>.yml file that declares the intent."""
    topics: Dict[str, str] = {}
    for file in sorted(domain_dir.glob("*.yml")):
        for intent in (yaml.safe_load(file.read_text(encoding="utf-8")) or {}).get("intents", []):
            topics[intent if isinstance(intent, str) else next(iter(intent))] = file.stem
    return topics


def handwritten(nlu_dir: Path = NLU_DIR) -> Dict[str, str]:
    """Folded examples already written by hand (bot/data/nlu/*.yml) -> their intent, to avoid duplicates."""
    seen: Dict[str, str] = {}
    for file in sorted(nlu_dir.glob("*.yml")):
        for block in yaml.safe_load(file.read_text(encoding="utf-8")).get("nlu", []):
            for line in block.get("examples", "").splitlines():
                if line.strip().startswith("- "):
                    seen[fold(line.strip()[2:])] = block.get("intent", "")
    return seen


def render(data: Dict[str, List[str]], seen: Dict[str, str], topics: Dict[str, str]) -> Dict[str, str]:
    """Generated examples -> {"<topic>.yml": file text}, without duplicates (folded) or hand-written ones.

    Raises ValueError for an intent that no domain file declares.
    """
    seen = dict(seen)
    cleaned: Dict[str, List[str]] = {}
    for intent, examples in data.items():
        for example in examples:
            key = fold(example)
            if not key or key in seen:
                continue
            seen[key] = intent
            cleaned.setdefault(intent, []).append(example)
    by_topic: Dict[str, List[str]] = {}
    for intent in data:
        if intent not in topics:
            raise ValueError(f"intent {intent!r} is declared in no {DOMAIN_DIR.relative_to(ROOT)}/*.yml")
        by_topic.setdefault(topics[intent], []).append(intent)
    files: Dict[str, str] = {}
    for topic, intents in by_topic.items():
        lines = [
            "# Generated by scripts/generate_nlu_data.py — edit the templates there, not this file.",
            'version: "3.1"',
            "nlu:",
        ]
        for intent in intents:
            lines.append(f"  - intent: {intent}")
            lines.append("    examples: |")
            for example in cleaned.get(intent, []):
                lines.append(f"      - {example}")
        files[f"{topic}.yml"] = "\n".join(lines) + "\n"
    return files


def write(files: Dict[str, str], out_dir: Path = GENERATED_DIR) -> None:
    """Write the rendered files and remove generated files of topics that have no generated intent any more.

    A file whose text is unchanged is not rewritten, so that `make model` does not retrain for nothing.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in sorted(set(p.name for p in out_dir.glob("*.yml")) - set(files)):
        (out_dir / stale).unlink()
    for file_name, text in files.items():
        path = out_dir / file_name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        print(out_dir.relative_to(ROOT) / file_name, text.count("\n      - "))


if __name__ == "__main__":
    write(render(generate(), handwritten(), intent_topics()))
