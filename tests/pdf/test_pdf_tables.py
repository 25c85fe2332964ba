"""The notices' table templates on their own: a grouped table with no group still shows its heads."""

from __future__ import annotations

import re

from kaohe.cli.build import TEMPLATES_DIR
from kaohe.render.jinja import environment
from kaohe.render.pdf.views import Table
from kaohe.render.vocab import NO_EFFECTS

HEADS = ("日期", "细则条目", "扣分／计分", "说明")


def rendered(template: str, table: Table) -> str:
    return environment(TEMPLATES_DIR).get_template(template).render(table=table)


def test_a_detail_table_without_entries_says_so_under_its_column_heads() -> None:
    html = rendered("pdf/table-effects.html", Table("effects", HEADS, [], empty=NO_EFFECTS))
    assert re.search(r"<thead><tr><th>日期</th><th>细则条目</th><th>扣分／计分</th><th>说明</th></tr></thead>", html)
    assert f'<tr><td colspan="4">{NO_EFFECTS}</td></tr>' in html
    assert html.index("<thead>") < html.index(NO_EFFECTS)
    assert 'class="group"' not in html  # no group: no inner table
