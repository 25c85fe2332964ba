"""How the committed fixtures were made (run once; the tests read the files, not this script).

``ledger.xls`` is the workbook below saved by LibreOffice as Excel 97-2003 (xlrd reads only
that format); the CSV files are the same kind of sheet saved as GBK and as UTF-8 with a BOM,
as Excel and WPS save "CSV" on a Chinese Windows and "CSV UTF-8".

    .venv/bin/python tests/spreadsheet/data/make_fixtures.py
"""

from __future__ import annotations

import subprocess
import tempfile
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent

GBK_ROWS = [
    "党群线2008年考核台帐,,,,,,",
    "日期,社区名称,扣分标准,次数,扣分,情况说明,佐证材料",
    "2008-3-12,紫桥社区,制度不健全每项扣0.1分,2,,未建立两项制度,检查记录第1号",
    "2008年4月8日,北门,party.dues.collection,,0.3,党费收缴不及时,",
    "合计,,,2,0.3,,",
]
BOM_ROWS = [
    "时间,社区,考核内容,项数,扣分值,到位资金,备注,依据",
    "2008.5.6,dongsheng,一件重大事项不公开扣0.2分,1,,,重大事项未公开,",
    "6月1日,东升社区,招商引资,,,150,某项目到位资金,银行回单",
]


def xls_source(path: Path) -> None:
    book = Workbook()
    ws = book.active
    ws.title = "党群线"
    ws.append(["城北街道党群线2008年度日常考核台帐"])
    ws.append(["制表单位：党群线"])
    ws.append(["序号", "日期", "社区", "细则条目", "处数", "扣分", "说明"])
    ws.append([1, datetime(2008, 3, 12), "紫桥社区", "party.democracy.system", 1, None, "党员学习制度未建立"])
    ws.append([2, datetime(2008, 3, 20), None, "party.democracy.disclose", 2, None, "两件重大事项未公开"])
    ws.append([])
    ws.append([3, 39600, "北门社区", "party.culture.discretionary", None, 0.1 + 0.2, "未开展文体活动"])
    ws.append(["合计", None, None, None, 3, 0.1 + 0.2, None])
    for cells in ("A1:G1", "A2:G2", "C4:C5"):
        ws.merge_cells(cells)
    book.save(path)


def main() -> None:
    (HERE / "gbk.csv").write_bytes(("\r\n".join(GBK_ROWS) + "\r\n").encode("gbk"))
    (HERE / "bom.csv").write_bytes(("\ufeff" + "\r\n".join(BOM_ROWS) + "\r\n").encode("utf-8"))
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "ledger.xlsx"
        xls_source(source)
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "xls", "--outdir", str(HERE), str(source)],
            check=True,
            capture_output=True,
        )


if __name__ == "__main__":
    main()
