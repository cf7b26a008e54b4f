"""Countries (SPEC §3, Ranges): alpha-2 in any case, alpha-3, English and Chinese names -> alpha-2."""

from __future__ import annotations

import pycountry
import pytest

from esg_audit.normalise.countries import (
    COUNTRY_CODES,
    NAMES_FILE,
    OFFICIAL_CODES,
    build_country_names,
    country_names,
    country_names_text,
    read_country,
)

ALL = sorted(pycountry.countries, key=lambda c: c.alpha_2)

# Chinese names as a Chinese-speaking supplier writes them (Simplified, some Traditional).
CHINESE = {
    "中国": "CN", "德国": "DE", "英国": "GB", "美国": "US", "法国": "FR", "日本": "JP",
    "韩国": "KR", "大韩民国": "KR", "朝鲜": "KP", "俄罗斯": "RU", "印度": "IN", "越南": "VN",
    "土耳其": "TR", "意大利": "IT", "西班牙": "ES", "荷兰": "NL", "比利时": "BE", "瑞士": "CH",
    "瑞典": "SE", "波兰": "PL", "奥地利": "AT", "墨西哥": "MX", "巴西": "BR", "加拿大": "CA",
    "澳大利亚": "AU", "新加坡": "SG", "马来西亚": "MY", "泰国": "TH", "印度尼西亚": "ID",
    "菲律宾": "PH", "香港": "HK", "澳门": "MO", "台湾": "TW", "南非": "ZA", "埃及": "EG",
    "沙特阿拉伯": "SA", "阿联酋": "AE", "以色列": "IL", "纳米比亚": "NA",
    "中华人民共和国": "CN", "中國": "CN", "德國": "DE", "英國": "GB", "美國": "US",
}


def test_the_code_list_is_iso_3166_1_as_pycountry_ships_it():
    assert OFFICIAL_CODES == {c.alpha_2 for c in pycountry.countries}
    assert COUNTRY_CODES == OFFICIAL_CODES | {"XK"}


@pytest.mark.parametrize("country", ALL, ids=[c.alpha_2 for c in ALL])
def test_every_iso_entry_reads_back_to_its_code(country):
    code = country.alpha_2
    assert read_country(country.name) == (code, None)
    assert read_country(country.alpha_3) == (code, None)
    assert read_country(country.alpha_3.lower()) == (code, None)
    assert read_country(code.lower()) == (code, None)
    assert read_country(country.name.upper()) == (code, None)
    for other in ("official_name", "common_name"):
        if getattr(country, other, None):
            assert read_country(getattr(country, other)) == (code, None)


def test_chinese_names():
    assert len(CHINESE) >= 30
    assert {name: read_country(name) for name in CHINESE} == {
        name: (code, None) for name, code in CHINESE.items()}


@pytest.mark.parametrize(("written", "code"), [
    ("United Kingdom", "GB"), ("UK", "GB"), ("Great Britain", "GB"),
    ("Türkiye", "TR"), ("Turkiye", "TR"), ("Turkey", "TR"), ("Korea, Republic of", "KR"),
    ("South Korea", "KR"), ("Republic of Korea", "KR"), ("North Korea", "KP"),
    ("Germany", "DE"), ("DEU", "DE"), ("germany ", "DE"), ("USA", "US"),
    ("United States of America", "US"), ("Russia", "RU"), ("Russian Federation", "RU"),
    ("Vietnam", "VN"), ("Viet Nam", "VN"), ("Iran", "IR"), ("Czech Republic", "CZ"),
    ("Czechia", "CZ"), ("The Netherlands", "NL"), ("Cote d'Ivoire", "CI"), ("Congo", "CG"),
    ("Taiwan", "TW"), ("Kosovo", "XK"), ("xk", "XK"), ("Namibia", "NA"), ("na", "NA"),
])
def test_common_forms(written, code):
    assert read_country(written) == (code, None)


@pytest.mark.parametrize(("written", "problem"), [
    ("Korea", "ambiguous country name (KP or KR)"),
    ("Virgin Islands", "ambiguous country name (VG or VI)"),
])
def test_ambiguous_names_are_problems(written, problem):
    assert read_country(written) == (written, problem)


@pytest.mark.parametrize("written", [
    "Atlantis", "XX", "EU", "EL", "Europe", "n/a", "n.a.", "N-A", "D.E."])
def test_unknown_names_are_left_for_validation(written):
    code, problem = read_country(written)
    assert (code, problem) == (written.upper(), None)
    assert code not in COUNTRY_CODES


def test_no_iso_name_is_ambiguous():
    table, ambiguous = country_names()
    assert set(ambiguous) == {"korea", "virginislands"}


def test_a_column_of_names_gives_one_note_and_its_issues(kit):
    data = kit.audit(kit.suppliers(
        ["Country"], ["S1", "Germany"], ["S2", "United Kingdom"], ["S3", "中国"],
        ["S4", "Germany"], ["S5", "de"], ["S6", "DEU"], ["S7", "Korea"], ["S8", "Atlantis"],
        ["S9", None], ["S10", "NA"],
    ))
    assert kit.column(data, "country") == [
        "DE", "GB", "CN", "DE", "DE", "DE", None, None, None, "NA"]
    assert kit.issues(data) == [
        ("book.xlsx", "Suppliers", 8, "Country", "Korea", "ambiguous country name (KP or KR)"),
        ("book.xlsx", "Suppliers", 9, "Country", "Atlantis", "unknown country code"),
    ]
    assert [(n.column, n.note) for n in data.notes] == [(
        "Country",
        "5 cells read as ISO 3166-1 alpha-2 codes (Germany → DE, United Kingdom → GB, 中国 → CN, DEU → DE)",
    )]


def test_a_column_of_codes_gives_no_note(kit):
    data = kit.audit(kit.suppliers(["Country"], ["S1", "de"], ["S2", "CN"], ["S3", " na "]))
    assert kit.column(data, "country") == ["DE", "CN", "NA"]
    assert data.notes == ()
    assert data.data_issues == ()


def test_the_shipped_name_table_is_the_one_pycountry_builds():
    # After upgrading pycountry, `make countries` rewrites the table.
    assert country_names() == build_country_names()
    assert NAMES_FILE.read_text(encoding="utf-8") == country_names_text()
