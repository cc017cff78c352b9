"""Built-in dictionaries for reading administrative Vietnamese aloud.

Bulletins are written from official documents full of abbreviations ("UBND", "BHYT", "KT-XH") and
symbols ("km", "°C"); a voice spells them letter by letter, which listeners cannot follow. These tables
hold the common ones. Stations add their own (village names, local bodies) through their preset; theirs
extend and override these.

Rules for entries, which the tests enforce:
- keys are matched as whole tokens and case-sensitively, so "HTX" is expanded and "htx" is not;
- a key ending in "." ("TP.", "P.") is only expanded before a capitalised name or a number
  ("P. Phú Hội", "Q.3"), because a lone capital and a full stop also end sentences;
- no expansion may contain a key, otherwise normalising twice would change the text again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from types import MappingProxyType

__all__ = [
    "BUILTIN_ABBREVIATIONS",
    "DOCUMENT_ISSUERS",
    "DOCUMENT_TYPES",
    "RATE_WORDS",
    "UNIT_WORDS",
    "abbreviation_pattern",
    "document_issuer",
]

BUILTIN_ABBREVIATIONS: Mapping[str, str] = MappingProxyType(
    {
        # State bodies and mass organisations
        "UBND": "Ủy ban nhân dân",
        "HĐND": "Hội đồng nhân dân",
        "UBMTTQ": "Ủy ban Mặt trận Tổ quốc",
        "MTTQ": "Mặt trận Tổ quốc",
        "MTTQVN": "Mặt trận Tổ quốc Việt Nam",
        "UBKT": "Ủy ban Kiểm tra",
        "BCH": "Ban Chấp hành",
        "BCĐ": "Ban Chỉ đạo",
        "BQL": "Ban Quản lý",
        "TW": "Trung ương",
        "PCT": "Phó Chủ tịch",
        "CAND": "Công an nhân dân",
        "QĐND": "Quân đội nhân dân",
        "LHPN": "Liên hiệp Phụ nữ",
        "HLHPN": "Hội Liên hiệp Phụ nữ",
        "TNCS": "Thanh niên Cộng sản",
        "HCM": "Hồ Chí Minh",
        "ĐVTN": "đoàn viên thanh niên",
        "CCB": "cựu chiến binh",
        "NCT": "người cao tuổi",
        "LĐLĐ": "Liên đoàn Lao động",
        "HTX": "hợp tác xã",
        "CBCCVC": "cán bộ, công chức, viên chức",
        "CBCC": "cán bộ, công chức",
        "TTYT": "Trung tâm Y tế",
        "TYT": "trạm y tế",
        "BCHQS": "Ban Chỉ huy Quân sự",
        "CHQS": "chỉ huy quân sự",
        "DQTV": "dân quân tự vệ",
        "NVQS": "nghĩa vụ quân sự",
        # Departments (used in names such as "Phòng VH-TT", "Sở TT&TT")
        "TT&TT": "Thông tin và Truyền thông",
        "GD&ĐT": "Giáo dục và Đào tạo",
        "GD-ĐT": "Giáo dục và Đào tạo",
        "NN&PTNT": "Nông nghiệp và Phát triển nông thôn",
        "TN&MT": "Tài nguyên và Môi trường",
        "LĐ-TB&XH": "Lao động, Thương binh và Xã hội",
        "VH-TT": "Văn hóa Thể thao",
        "VHTTDL": "Văn hóa, Thể thao và Du lịch",
        # Programmes and topics
        "BHYT": "bảo hiểm y tế",
        "BHXH": "bảo hiểm xã hội",
        "BHTN": "bảo hiểm thất nghiệp",
        "THCS": "trung học cơ sở",
        "THPT": "trung học phổ thông",
        "PCCC": "phòng cháy chữa cháy",
        "CNCH": "cứu nạn cứu hộ",
        "PCCC&CNCH": "phòng cháy chữa cháy và cứu nạn cứu hộ",
        "PCTT": "phòng chống thiên tai",
        "TKCN": "tìm kiếm cứu nạn",
        "PCTT&TKCN": "phòng chống thiên tai và tìm kiếm cứu nạn",
        "ATGT": "an toàn giao thông",
        "TTATGT": "trật tự an toàn giao thông",
        "CSGT": "cảnh sát giao thông",
        "ANTT": "an ninh trật tự",
        "TTATXH": "trật tự an toàn xã hội",
        "ANQP": "an ninh quốc phòng",
        "QP-AN": "quốc phòng an ninh",
        "NTM": "nông thôn mới",
        "DTTS": "dân tộc thiểu số",
        "KT-XH": "kinh tế xã hội",
        "KTXH": "kinh tế xã hội",
        "VSATTP": "vệ sinh an toàn thực phẩm",
        "ATTP": "an toàn thực phẩm",
        "TDTT": "thể dục thể thao",
        "KHHGĐ": "kế hoạch hóa gia đình",
        "GPMB": "giải phóng mặt bằng",
        "QSDĐ": "quyền sử dụng đất",
        "CCCD": "căn cước công dân",
        "CMND": "chứng minh nhân dân",
        "KDC": "khu dân cư",
        "BVTV": "bảo vệ thực vật",
        "BVMT": "bảo vệ môi trường",
        "VSMT": "vệ sinh môi trường",
        "BĐKH": "biến đổi khí hậu",
        "TNGT": "tai nạn giao thông",
        "GPLX": "giấy phép lái xe",
        "CNTT": "công nghệ thông tin",
        "TTHC": "thủ tục hành chính",
        "TNHH": "trách nhiệm hữu hạn",
        "DTLCP": "dịch tả lợn châu Phi",
        "COVID-19": "Cô-vít mười chín",
        "CNXH": "chủ nghĩa xã hội",
        "XHCN": "xã hội chủ nghĩa",
        "CHXHCN": "Cộng hòa xã hội chủ nghĩa",
        "ĐVT": "đơn vị tính",
        "SĐT": "số điện thoại",
        "STK": "số tài khoản",
        "ĐT": "điện thoại",
        "VNĐ": "đồng",
        "VND": "đồng",
        "USD": "đô la Mỹ",
        # Places
        "VN": "Việt Nam",
        "ĐBSCL": "Đồng bằng sông Cửu Long",
        "TPHCM": "Thành phố Hồ Chí Minh",
        "TP": "thành phố",
        "TP.": "thành phố",
        "TX.": "thị xã",
        "TT.": "thị trấn",
        "Q.": "quận",
        "P.": "phường",
    }
)

# Who issued a legal document, keyed by the code after the number ("49/2024/NĐ-CP" → CP). Trailing
# digits (the National Assembly term in "QH14") are ignored when looking up.
DOCUMENT_ISSUERS: Mapping[str, str] = MappingProxyType(
    {
        "CP": "Chính phủ",
        "TTg": "Thủ tướng Chính phủ",
        "QH": "Quốc hội",
        "UBTVQH": "Ủy ban Thường vụ Quốc hội",
        "CTN": "Chủ tịch nước",
        "TW": "Trung ương",
        "UBND": "Ủy ban nhân dân",
        "HĐND": "Hội đồng nhân dân",
        "BTTTT": "Bộ Thông tin và Truyền thông",
        "BYT": "Bộ Y tế",
        "BTC": "Bộ Tài chính",
        "BCA": "Bộ Công an",
        "BQP": "Bộ Quốc phòng",
        "BNV": "Bộ Nội vụ",
        "BTP": "Bộ Tư pháp",
        "BXD": "Bộ Xây dựng",
        "BCT": "Bộ Công Thương",
        "BKHĐT": "Bộ Kế hoạch và Đầu tư",
        "BGDĐT": "Bộ Giáo dục và Đào tạo",
        "BGTVT": "Bộ Giao thông vận tải",
        "BNNPTNT": "Bộ Nông nghiệp và Phát triển nông thôn",
        "BTNMT": "Bộ Tài nguyên và Môi trường",
        "BLĐTBXH": "Bộ Lao động, Thương binh và Xã hội",
        "BVHTTDL": "Bộ Văn hóa, Thể thao và Du lịch",
        "NHNN": "Ngân hàng Nhà nước",
    }
)

# Codes for the kind of document (nghị định, quyết định, thông tư …). The text names the kind in words
# already ("Nghị định 49/2024/NĐ-CP"), so these are never read; they only tell the issuer apart.
DOCUMENT_TYPES: frozenset[str] = frozenset(
    {"NĐ", "QĐ", "TT", "TTLT", "NQ", "CT", "KH", "CV", "TB", "HD", "BC", "TTr", "CĐ", "KL", "QC", "L"}
)

# Symbols and units after a number ("15%", "2,5 km", "1.500.000đ").
UNIT_WORDS: Mapping[str, str] = MappingProxyType(
    {
        "%": "phần trăm",
        "đ": "đồng",
        "VNĐ": "đồng",
        "VND": "đồng",
        "vnđ": "đồng",
        "vnd": "đồng",
        "USD": "đô la Mỹ",
        "km²": "ki-lô-mét vuông",
        "km2": "ki-lô-mét vuông",
        "m²": "mét vuông",
        "m2": "mét vuông",
        "m³": "mét khối",
        "m3": "mét khối",
        "km": "ki-lô-mét",
        "Km": "ki-lô-mét",
        "cm": "xen-ti-mét",
        "mm": "mi-li-mét",
        "m": "mét",
        "kg": "ki-lô-gam",
        "Kg": "ki-lô-gam",
        "g": "gam",
        "mg": "mi-li-gam",
        "tấn": "tấn",
        "ha": "héc-ta",
        "lít": "lít",
        "ml": "mi-li-lít",
        "°C": "độ C",
        "ºC": "độ C",
        "℃": "độ C",
        "oC": "độ C",
        "°": "độ",
        "kW": "ki-lô-oát",
        "kWh": "ki-lô-oát giờ",
        "MW": "mê-ga-oát",
        "kV": "ki-lô-vôn",
        "kVA": "ki-lô-vôn-am-pe",
        "W": "oát",
        "h": "giờ",
    }
)

# What may follow a slash as "per …" ("30.000đ/kg" → "… đồng một ki-lô-gam"). Deliberately a closed list:
# "và/hoặc" or "nam/nữ" must keep their slash.
# fmt: off
_RATE_NOUNS = (
    "người", "hộ", "khẩu", "học sinh", "cháu", "em", "con", "cây", "chiếc", "suất", "lượt", "lần",
    "ca", "buổi", "tháng", "năm", "ngày", "tuần", "giờ", "phút", "sào", "tạ", "yến", "mét", "lít", "tấn",
    "ki-lô-gam", "lao động", "căn", "hồ sơ", "thửa", "xe", "lớp", "đối tượng", "hội viên", "kỳ", "đợt", "vụ",
    "liều",
)
# fmt: on
RATE_WORDS: Mapping[str, str] = MappingProxyType(
    {
        **{unit: word for unit, word in UNIT_WORDS.items() if unit[0].isalpha() and word != "đồng"},
        **{noun: noun for noun in _RATE_NOUNS},
        "s": "giây",  # "500 m3/s", "gió 15 m/s": only ever a rate, a lone "s" after a number is not a unit
    }
)


def document_issuer(code: str) -> str | None:
    """Who issued a document, from its code: "NĐ-CP" → "Chính phủ", "UBND-VP" → "Ủy ban nhân dân".

    The first part naming a known issuer wins; a leading document kind ("QĐ", "TT") is skipped, so
    "TT-BTTTT" is the ministry's circular. None when no part is known: say nothing rather than guess.
    """
    for i, part in enumerate(code.split("-")):
        part = part.rstrip("0123456789")
        if i == 0 and part in DOCUMENT_TYPES:
            continue
        if part in DOCUMENT_ISSUERS:
            return DOCUMENT_ISSUERS[part]
    return None


_UPPER = "A-ZÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


@lru_cache(maxsize=16)
def abbreviation_pattern(keys: frozenset[str]) -> re.Pattern[str] | None:
    """One regex matching any of ``keys`` as a whole token (see the module docstring), or None.

    A neighbouring letter blocks a match and a digit does not ("UBND5" still says "Ủy ban nhân dân"):
    digits become words later, and the match must not depend on that. Longest keys win ("TP." over
    "TP"). The leading look-ahead lets re skip to candidate characters on long text.
    """
    keys = frozenset(k for k in keys if k)
    dotted = [k for k in keys if k.endswith(".")]
    plain = [k for k in keys if not k.endswith(".")]
    alternatives = []
    if dotted:
        alternatives.append("(?:" + _alternation(dotted) + r")(?= ?[" + _UPPER + "0-9])")
    if plain:
        alternatives.append("(?:" + _alternation(plain) + r")(?![^\W\d_])")
    if not alternatives:
        return None
    first = "".join(sorted({re.escape(k[0]) for k in keys}))
    return re.compile("(?=[" + first + r"])(?<![^\W\d_])(?:" + "|".join(alternatives) + ")")
