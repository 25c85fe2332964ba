"""Ledgers kept in Excel, WPS or CSV: ``build.py import`` reads them, ``build.py template`` writes a blank one.

- :mod:`.grid`: a sheet as a grid of cell values, and problems located at a cell (``台帐.xlsx:Sheet1!C12``);
- :mod:`.readers`: ``.xlsx`` (openpyxl), ``.xls`` (xlrd) and ``.csv`` (UTF-8 with or without BOM, GBK/GB18030) into grids;
- :mod:`.values`: one cell's text, exact decimal, whole number or date;
- :mod:`.mapping`: the optional mapping file naming the header row and the columns;
- :mod:`.columns`: finding the header row and which column holds which key;
- :mod:`.matching`: communities by id or name, rules and indicators by id or by their text;
- :mod:`.rows`: each row below the header as an entry, or why it is ignored;
- :mod:`.importer`: the ``import`` command, appending through :mod:`kaohe.actions.append`;
- :mod:`.template`: the ``template`` command's workbook.
"""
